import type { Knex } from 'knex';

/**
 * The versions of every dataset (`data_versions`: stations bumped by the stations write, the
 * others by statement triggers, migrations 0010–0011) as one comparable string. Caches of views
 * keyed by it never serve a figure older than the last committed write.
 *
 * Reads are coalesced: a caller arriving while a read is in flight waits for the next read, which
 * starts after that one ends, and shares it with everyone else who arrived meanwhile. Each caller
 * thus gets a read that started after it asked (so it sees every write committed before), while
 * 200 concurrent requests cost a handful of queries instead of 200.
 */
export function readDataVersions(knex: Knex): Promise<string> {
  let reader = readers.get(knex);
  if (!reader) readers.set(knex, (reader = coalesced(() => queryVersions(knex))));
  return reader();
}

const readers = new WeakMap<Knex, () => Promise<string>>();

async function queryVersions(knex: Knex): Promise<string> {
  const { rows } = await knex.raw("SELECT string_agg(name || '=' || version, ',' ORDER BY name) AS v FROM data_versions");
  return String(rows[0]?.v ?? '');
}

/** `read`, with callers arriving during a read sharing the next one (see above). */
export function coalesced<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  const start = (): Promise<T> => {
    const p = read();
    inFlight = p;
    const clear = () => {
      if (inFlight === p) inFlight = null;
    };
    p.then(clear, clear);
    return p;
  };
  return () => {
    if (!inFlight) return start();
    if (!queued) {
      queued = inFlight.then(() => undefined, () => undefined).then(() => {
        queued = null;
        // Started after every caller now waiting arrived: either a read someone began just now, or ours.
        return inFlight ?? start();
      });
    }
    return queued;
  };
}

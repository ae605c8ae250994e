import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { openEmbedded } from './embedded';

export type EngineName = 'embedded' | 'server';

/** An open database: knex plus what is needed to close it cleanly. */
export interface Database {
  knex: Knex;
  engine: EngineName;
  /** Human-readable location, for logs (never contains a password). */
  where: string;
  close(): Promise<void>;
}

// Both engines go through the `pg` driver: make bigint (count(*)) and numeric come back as
// numbers on both, so repositories never see strings. Our counts and areas fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export interface OpenOptions {
  databaseUrl: string | null;
  dataDir: string;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    // A server that is down fails requests within seconds (503), not after knex's default 60 s.
    const knex = knexFactory({ client: 'pg', connection: options.databaseUrl, pool: { min: 0, max: 10 }, acquireConnectionTimeout: 5000 });
    return { knex, engine: 'server', where: redact(options.databaseUrl), close: () => knex.destroy() };
  }
  const handle = await openEmbedded(options.dataDir);
  const knex = knexFactory({
    client: 'pg',
    connection: { host: handle.host, port: handle.port, user: 'postgres', database: 'postgres' },
    pool: { min: 0, max: 4 },
  });
  const where = handle.attached
    ? `${options.dataDir} (through the running process ${handle.ownerPid})`
    : options.dataDir;
  return {
    knex,
    engine: 'embedded',
    where,
    async close() {
      await knex.destroy();
      await handle.close();
    },
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'server';
  }
}

/**
 * The one cache of answers: kept until the data they were computed from change, frozen so that
 * nobody can change a cached answer under the next reader.
 *
 * The stamp names the data's version (the `data_versions` rows, and the day where an answer
 * depends on it); a new stamp empties the cache. Callers asking for the same key while it is
 * computed share that computation; a failed one is forgotten. Past `maxEntries`, the least
 * recently used entry goes. Every value it keeps is deep-frozen (`deepFreeze`) in every
 * environment: a mutation throws a TypeError (strict mode, which ES modules are) instead of
 * silently changing what the next request gets. What is derived from a cached answer once and
 * for all (its JSON bytes, server/http/json-answer.ts) is kept with it (`derivedOnce`).
 */
export function versionedCache(maxEntries = 64) {
  let stamp: string | null = null;
  const entries = new Map<string, Promise<unknown>>();
  return <T>(currentStamp: string, key: string, compute: () => Promise<T>): Promise<T> => {
    if (currentStamp !== stamp) {
      stamp = currentStamp;
      entries.clear();
    }
    const hit = entries.get(key);
    if (hit) {
      // Map keeps insertion order: re-inserting marks the entry as the most recently used.
      entries.delete(key);
      entries.set(key, hit);
      return hit as Promise<T>;
    }
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    const value = compute().then(keep);
    entries.set(key, value);
    value.catch(() => {
      if (entries.get(key) === value) entries.delete(key);
    });
    return value;
  };
}

/**
 * `versionedCache` with its stamp read at each call (the data versions, with the day where the
 * answers depend on it): `cached(key, compute)` is fresh after any write.
 */
export function stampedCache(stamp: () => Promise<string>, maxEntries?: number) {
  const cache = versionedCache(maxEntries);
  return async <T>(key: string, compute: () => Promise<T>): Promise<T> => cache(await stamp(), key, compute);
}

/**
 * One value at a time, for the last key asked. Unlike the answer caches above it does not freeze:
 * it holds working state of the coverage service (commune indexes, radio states with typed
 * arrays, which cannot be frozen), never sent as it is.
 */
export function lastKeyCache<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  let last: { key: string; value: Promise<T> } | null = null;
  return (key) => {
    if (last?.key === key) return last.value;
    const entry = { key, value: load(key) };
    last = entry;
    entry.value.catch(() => {
      if (last === entry) last = null;
    });
    return entry.value;
  };
}

/** What is derived from each cached answer, by the answer itself (dropped with it). */
const derived = new WeakMap<object, Map<string, unknown>>();

function keep<T>(value: T): T {
  deepFreeze(value);
  if (typeof value === 'object' && value !== null && !derived.has(value)) derived.set(value, new Map());
  return value;
}

/**
 * `build()` once per cached answer (a value `stampedCache` returned) and `key`; for any other
 * value, `build()` each time: only a frozen answer cannot change after its derivation was made.
 */
export function derivedOnce<D>(value: unknown, key: string, build: () => D): D {
  const memo = typeof value === 'object' && value !== null ? derived.get(value) : undefined;
  if (!memo) return build();
  if (!memo.has(key)) memo.set(key, build());
  return memo.get(key) as D;
}

const refuse = (what: string) => () => {
  throw new TypeError(`a cached answer is frozen: ${what} is not allowed`);
};

/**
 * Freezes `value` and everything it holds: plain objects, arrays, Maps and Sets (whose mutating
 * methods are replaced by ones that throw, since freezing a Map does not stop `set`). Buffers and
 * other typed arrays cannot be frozen and are left as they are; Dates keep their setters.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  if (value instanceof Map) {
    for (const [k, v] of value) { deepFreeze(k); deepFreeze(v); }
    for (const m of ['set', 'delete', 'clear']) Object.defineProperty(value, m, { value: refuse(`Map.${m}`) });
  } else if (value instanceof Set) {
    for (const v of value) deepFreeze(v);
    for (const m of ['add', 'delete', 'clear']) Object.defineProperty(value, m, { value: refuse(`Set.${m}`) });
  }
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return value;
}

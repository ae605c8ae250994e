/**
 * Answers kept until the data they were computed from change. The stamp names the data's version
 * (the `data_versions` rows, and the day where an answer depends on it); a new stamp empties the
 * cache. Callers asking for the same key while it is computed share that computation; a failed one
 * is forgotten. Past `maxEntries`, the least recently used entry goes.
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
    const value = compute();
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

/** One value at a time, for the last key asked: `versionedCache` with the key as its stamp. */
export function lastKeyCache<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = versionedCache(1);
  return (key) => cache(key, '', () => load(key));
}

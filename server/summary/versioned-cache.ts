/**
 * Answers kept until the data they were computed from changes. The stamp names the data's version
 * (the `data_versions` rows and the day); a new stamp empties the cache. Callers asking for the
 * same key while it is computed share that computation; a failed one is forgotten.
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
    if (hit) return hit as Promise<T>;
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    const value = compute();
    entries.set(key, value);
    value.catch(() => {
      if (entries.get(key) === value) entries.delete(key);
    });
    return value;
  };
}

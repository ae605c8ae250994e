/**
 * For loops over many items on the main thread: `await tick()` in the loop gives the event loop a
 * turn (setImmediate) once `budgetMs` of work has passed since the last one, so that a request
 * arriving meanwhile waits at most about that long. The clock is read every `every` calls (cheap
 * items: many; expensive ones: 1).
 */
export function cooperate(options: { budgetMs?: number; every?: number } = {}): () => Promise<void> | undefined {
  const budgetMs = options.budgetMs ?? 10;
  const every = options.every ?? 512;
  let calls = 0;
  let since = performance.now();
  return () => {
    if (++calls % every !== 0 || performance.now() - since < budgetMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        since = performance.now();
        resolve();
      }),
    );
  };
}

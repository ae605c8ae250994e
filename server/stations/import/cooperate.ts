/**
 * For loops over many rows on the main thread: `await tick()` in the loop gives the event loop a
 * turn (setImmediate) once `budgetMs` of work has passed since the last one, so that a request
 * arriving meanwhile waits at most about that long. Checks the clock every 512 calls.
 */
export function cooperate(budgetMs = 10): () => Promise<void> | undefined {
  let calls = 0;
  let since = performance.now();
  return () => {
    if (++calls % 512 !== 0 || performance.now() - since < budgetMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        since = performance.now();
        resolve();
      }),
    );
  };
}

// Starts the plan worker (TypeScript) in a worker thread: lowers its priority, then registers the
// tsx loader there and imports the worker.
import fs from 'node:fs';
import os from 'node:os';

// A plan is background work: its thread runs at a lower scheduling priority (a higher nice value)
// than the server's, so that on a machine with few cores a request the main thread answers gets
// the CPU first (Linux: a thread's own id, read from /proc/thread-self, takes its own nice value;
// elsewhere the worker keeps the process's priority). Set before the loader and the modules load,
// so that their start-up runs at this priority too. What it bought: test/bench/README.md, plans.
const PLAN_THREAD_NICE = 15;
try {
  const threadId = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(threadId) && threadId > 0) os.setPriority(threadId, PLAN_THREAD_NICE);
} catch {
  // no /proc (not Linux) or not permitted: the default priority
}
const { register } = await import('tsx/esm/api');
register();
await import('./plan.worker.ts');

// Starts the plan worker (TypeScript) in a worker thread: registers the tsx loader there first.
import fs from 'node:fs';
import os from 'node:os';
import { register } from 'tsx/esm/api';

// A plan is background work: its thread runs at a lower scheduling priority (a higher nice value)
// than the server's, so that on a machine with few cores a request the main thread answers gets
// the CPU first (Linux: a thread's own id, read from /proc/thread-self, takes its own nice value;
// elsewhere the worker keeps the process's priority). What it bought: test/bench/README.md, plans.
const PLAN_THREAD_NICE = 15;
try {
  const threadId = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(threadId) && threadId > 0) os.setPriority(threadId, PLAN_THREAD_NICE);
} catch {
  // no /proc (not Linux) or not permitted: the default priority
}
register();
await import('./plan.worker.ts');

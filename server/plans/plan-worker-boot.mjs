// Starts the plan worker (TypeScript) in a worker thread: registers the tsx loader there first.
import { register } from 'tsx/esm/api';

register();
await import('./plan.worker.ts');

// Worker thread of footprints.ts. Plain JavaScript: a worker starts without the TypeScript loader
// the main thread may have (Vitest's, for one), so it registers tsx before loading the task.
import { register } from 'tsx/esm/api';

register();
const task = import('./footprint-task.ts');

export default async function run(input) {
  return (await task).default(input);
}

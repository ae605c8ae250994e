/**
 * The plan's heavy loop, in a worker thread so that the server keeps answering while it runs. It
 * is given data (communes, radios), never a database connection: the embedded database lives in
 * the main thread only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { evaluationModelFrom } from '../scenarios/evaluator';
import { unpackPlanInput, type PackedPlanInput } from './pack';
import { planSites, type PlanInput } from './planner';

const { packed, populationRaster } = workerData as { packed: PackedPlanInput; populationRaster: string | null };
const input: PlanInput = unpackPlanInput(packed);
try {
  let last = -1;
  const result = planSites(input, await evaluationModelFrom(populationRaster), (percent) => {
    const p = Math.floor(percent);
    if (p !== last) parentPort!.postMessage({ type: 'progress', percent: p });
    last = p;
  });
  parentPort!.postMessage({ type: 'done', result });
} catch (err) {
  parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}

/**
 * The plan's heavy loop, in a worker thread so that the server keeps answering while it runs. It
 * is given data (communes, radios), never a database connection: the embedded database lives in
 * the main thread only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEvaluationModel } from '../scenarios/evaluator';
import { unpackPlanInput, type PackedPlanInput } from './pack';
import { planSites, type PlanInput } from './planner';

const input: PlanInput = unpackPlanInput(workerData as PackedPlanInput);
try {
  let last = -1;
  const result = planSites(input, createEvaluationModel(), (percent) => {
    const p = Math.floor(percent);
    if (p !== last) parentPort!.postMessage({ type: 'progress', percent: p });
    last = p;
  });
  parentPort!.postMessage({ type: 'done', result });
} catch (err) {
  parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}

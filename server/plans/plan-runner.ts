import { Worker } from 'node:worker_threads';
import type { ModelSources } from '../scenarios/evaluator';
import { packPlanInputInTurns, transferablesOf } from './pack';
import type { PlanInput, PlanResult } from './planner';

/**
 * Runs a plan in a worker thread. The worker is TypeScript: a small bootstrap (plan-worker-boot.mjs) registers the tsx
 * loader in the worker and then imports it, whether or not the parent runs under tsx (vitest
 * transforms its own modules, not a worker's; a loader given by --import does not reach one).
 */
/**
 * The input goes packed in typed arrays (pack.ts), moved or copied as blocks: cloning it as objects
 * would hold the event loop. The worker reads the population raster and the SRTM
 * folder of `sources` itself.
 */
export async function runPlanInWorker(input: PlanInput, onProgress: (percent: number) => void = () => {}, sources: ModelSources = { populationRaster: null, terrain: null }): Promise<PlanResult> {
  const packed = await packPlanInputInTurns(input);
  const worker = new Worker(new URL('./plan-worker-boot.mjs', import.meta.url), { workerData: { packed, sources }, transferList: transferablesOf(packed), execArgv: [] });
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: { type: 'progress'; percent: number } | { type: 'done'; result: PlanResult } | { type: 'error'; message: string }) => {
      if (m.type === 'progress') onProgress(m.percent);
      else if (m.type === 'done') { settled = true; resolve(m.result); void worker.terminate(); }
      else { settled = true; reject(new Error(m.message)); void worker.terminate(); }
    });
    worker.on('error', (err) => { if (!settled) { settled = true; reject(err); } });
    worker.on('exit', (code) => { if (!settled) { settled = true; reject(new Error(`plan worker exited with code ${code}`)); } });
  });
}

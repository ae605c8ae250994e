/**
 * The plan's heavy loop, in a worker thread so that the server keeps answering while it runs. It
 * is given data (communes, radios, the terrain footprints of the radios on air), never a database
 * connection: the embedded database lives in the main thread only. It computes the candidates'
 * footprints itself, over the SRTM folder it opens.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { evaluationModelFrom, type ModelSources } from '../scenarios/evaluator';
import { unpackPlanInput, type PackedPlanInput } from './pack';
import { planSites, type PlanInput } from './planner';

const { packed, sources } = workerData as { packed: PackedPlanInput; sources: ModelSources };
const input: PlanInput = unpackPlanInput(packed);
try {
  // Footprints of the radios on air over terrain, but no folder to shape the candidates': they would be flat discs among terrain ones.
  if (input.strips && !sources.terrain) throw new Error('terrain footprints were given without the SRTM folder they come from');
  let last = -1;
  const result = planSites(input, await evaluationModelFrom(sources), (percent) => {
    const p = Math.floor(percent);
    if (p !== last) parentPort!.postMessage({ type: 'progress', percent: p });
    last = p;
  });
  parentPort!.postMessage({ type: 'done', result });
} catch (err) {
  parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}

/**
 * Terrain footprints computed in a worker thread (footprints.ts hands out batches through
 * server/jobs/off-thread.ts): the worker opens the SRTM folder itself, once, and answers with
 * plain data.
 */
import { heightSampler, openSrtmFolder, type Terrain } from '../terrain/srtm';
import { sweepScratch, type RadioSite, type TerrainFootprint } from './engine/index';
import type { EngineRadio } from './coverage.model';
import { computeFootprint } from './footprints';

const folders = new Map<string, Promise<Terrain>>();

export interface FootprintTask {
  dir: string;
  /** Must match the digest of the heights the main thread's cache belongs to. */
  sha256: string;
  items: Array<{ radio: EngineRadio; site: RadioSite }>;
}

export default async function computeBatch(task: FootprintTask): Promise<Array<TerrainFootprint | null>> {
  let terrain = folders.get(task.dir);
  if (!terrain) folders.set(task.dir, (terrain = openSrtmFolder(task.dir)));
  const t = await terrain;
  if (t.sha256 !== task.sha256) throw new Error(`terrain folder ${task.dir} changed since the service read it`);
  const scratch = sweepScratch();
  const heightAt = heightSampler(t);
  return task.items.map(({ radio, site }) => computeFootprint(radio, site, heightAt, scratch));
}

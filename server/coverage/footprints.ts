/**
 * Terrain footprints of modelled radios, computed once and kept: keyed by everything a footprint
 * depends on (position, antenna height, band, technology, environment, sector), in a cache that
 * belongs to one set of heights (its digest is in the model version), so a warm recompute only
 * looks footprints up.
 *
 * The loss at a point is the empirical median path loss of propagation.ts plus DIFFRACTION_WEIGHT
 * times the Bullington diffraction loss over the terrain profile (engine/diffraction.ts); the point
 * is covered while that stays within the link budget's allowed path loss.
 */
import type { Polygon, Position } from 'geojson';
// Turf's own module, not all of @turf/turf (why: README, "Dependencies and why").
import { destination } from '@turf/destination';
import {
  DEFAULT_LINK_BUDGET,
  maxPathLossDb,
  pathLossDb,
  sweepScratch,
  terrainFootprint,
  type FootprintStrips,
  type HeightSampler,
  type RadioSite,
  type TerrainFootprint,
} from './engine/index';
import os from 'node:os';
import { createOffThread, type OffThread } from '../jobs/off-thread';
import type { EngineRadio, FootprintOf } from './coverage.model';
import type { FootprintTask } from './footprint-task';

/**
 * Weight of the diffraction term. Hata and TR 38.901 are medians over "quasi-smooth" terrain, so
 * part of an average obstruction is in them already; planning tools put a weight on the
 * diffraction term and calibrate it with drive tests (K7 of the Standard Propagation Model, Forsk's
 * "Atoll SPM calibration guide", 2004). With no measurements here, half the knife-edge loss: 0.5.
 */
export const DIFFRACTION_WEIGHT = 0.5;

/** Bumped whenever the footprint method changes (it enters the model version). */
export const TERRAIN_FOOTPRINT_VERSION = 'bullington-k4/3-radials2deg-128samples-v2';

const SPEED_OF_LIGHT_M_S = 299_792_458;
/** Worker threads for a cold batch: the machine this runs on has 2 cores. */
const MAX_THREADS = 2;
/** Below this many missing footprints a batch is computed on this thread (a worker's start-up would cost more; test/bench/README.md). */
const MIN_BATCH_FOR_THREADS = 200;
/** Smaller batches than threads, so that one slow batch does not leave a core idle at the end. */
const CHUNKS_PER_THREAD = 8;
/** The worker-thread task (server/jobs/off-thread.ts runs it). */
const FOOTPRINT_TASK = new URL('./footprint-task.ts', import.meta.url).href;

/** The radio's own fields only (no strips), as a worker receives it. */
function plainRadio(r: EngineRadio): EngineRadio {
  return { radioId: r.radioId, stationId: r.stationId, siteCode: r.siteCode, operator: r.operator, technology: r.technology, lon: r.lon, lat: r.lat, radiusM: r.radiusM, azimuthDeg: r.azimuthDeg ?? null, beamwidthDeg: r.beamwidthDeg ?? null };
}

/** Heights for footprints: a sampler and the digest of the tiles behind it. */
export interface Heights {
  heightAt: HeightSampler;
  sha256: string;
  /** The SRTM folder they come from, when they do: worker threads then read it themselves. */
  dir?: string;
}

/** A radio whose footprint is wanted, with the site its radius came from. */
export interface FootprintRequest {
  radio: EngineRadio;
  site: RadioSite;
}

export interface FootprintCache {
  /** The cached footprint's strips (computed here, on this thread, when missing). */
  footprintOf: FootprintOf;
  /**
   * Computes the missing footprints of a batch ahead of footprintOf: in worker threads (one per
   * core, at most 2) when the heights come from a folder and the batch is large, else here.
   */
  prepare(requests: readonly FootprintRequest[]): Promise<void>;
  /** Ends the worker threads. */
  close(): Promise<void>;
  /** The full footprint behind a radio's strips (for drawing it), if it has one. */
  detailOf(strips: FootprintStrips): TerrainFootprint | undefined;
  /** Forget every footprint not used since the last call (after a full read of the radios). */
  sweep(): void;
  size(): number;
  /** Footprints computed (not found in the cache) so far, and the time spent on them, ms. */
  stats(): { computed: number; computeMs: number };
}

/** A footprint cache over one set of heights. */
export function createFootprintCache(heights: Heights): FootprintCache {
  const cache = new Map<string, TerrainFootprint | null>();
  const keyOf = (radio: EngineRadio, site: RadioSite) =>
    `${radio.lon}|${radio.lat}|${radio.radiusM}|${site.heightM ?? ''}|${site.bandMhz ?? ''}|${site.technology}|${site.environment}|${radio.azimuthDeg ?? ''}|${radio.beamwidthDeg ?? ''}`;
  let pool: OffThread | null = null;
  const threads = Math.min(MAX_THREADS, os.availableParallelism());
  const store = (key: string, footprint: TerrainFootprint | null) => {
    cache.set(key, footprint);
    if (footprint) details.set(footprint.strips, footprint);
  };
  let used = new Set<string>();
  const details = new WeakMap<FootprintStrips, TerrainFootprint>();
  const scratch = sweepScratch();
  let computed = 0;
  let computeMs = 0;
  return {
    footprintOf(radio: EngineRadio, site: RadioSite) {
      const key = keyOf(radio, site);
      used.add(key);
      let footprint = cache.get(key);
      if (footprint === undefined) {
        const started = performance.now();
        footprint = computeFootprint(radio, site, heights.heightAt, scratch);
        computeMs += performance.now() - started;
        computed++;
        store(key, footprint);
      }
      return footprint ? footprint.strips : null;
    },
    async prepare(requests) {
      const missing = new Map<string, FootprintRequest>();
      for (const r of requests) {
        const key = keyOf(r.radio, r.site);
        if (!cache.has(key) && !missing.has(key)) missing.set(key, { radio: plainRadio(r.radio), site: r.site });
      }
      if (!heights.dir || threads < 2 || missing.size < MIN_BATCH_FOR_THREADS) return;
      const started = performance.now();
      pool ??= createOffThread({ maxThreads: threads });
      const keys = [...missing.keys()];
      const chunk = Math.ceil(keys.length / (threads * CHUNKS_PER_THREAD));
      const batches: Promise<void>[] = [];
      for (let i = 0; i < keys.length; i += chunk) {
        const part = keys.slice(i, i + chunk);
        const task: FootprintTask = { dir: heights.dir, sha256: heights.sha256, items: part.map((k) => missing.get(k)!) };
        batches.push(pool.run<Array<TerrainFootprint | null>>(FOOTPRINT_TASK, task).then(({ done }) => part.forEach((k, j) => store(k, done[j]))));
      }
      await Promise.all(batches);
      computeMs += performance.now() - started;
      computed += keys.length;
    },
    async close() {
      const p = pool;
      pool = null;
      await p?.close();
    },
    detailOf: (strips) => details.get(strips),
    sweep() {
      for (const key of cache.keys()) if (!used.has(key)) cache.delete(key);
      used = new Set();
    },
    size: () => cache.size,
    stats: () => ({ computed, computeMs }),
  };
}

/** One radio's terrain footprint under the default link budget (null: its flat disc stands). */
export function computeFootprint(radio: EngineRadio, site: RadioSite, heightAt: HeightSampler, scratch = sweepScratch()): TerrainFootprint | null {
  const budget = DEFAULT_LINK_BUDGET;
  const bandMhz = site.bandMhz ?? budget.defaultBandMhz[site.technology];
  const allowed = maxPathLossDb(site.technology, budget);
  return terrainFootprint({
    lon: radio.lon, lat: radio.lat, radiusM: radio.radiusM, azimuthDeg: radio.azimuthDeg, beamwidthDeg: radio.beamwidthDeg,
    antennaAboveGroundM: site.heightM ?? budget.defaultHeightM,
    receiverAboveGroundM: budget.receiverHeightM,
    wavelengthM: SPEED_OF_LIGHT_M_S / (bandMhz * 1e6),
    allowedDiffractionDb: (d) => allowed - pathLossDb(site, d, budget),
    diffractionWeight: DIFFRACTION_WEIGHT,
  }, heightAt, {}, scratch);
}

/**
 * Polygons that draw a terrain footprint: for each radial its covered runs as quadrilaterals
 * between the radial's two edges (neighbouring radials with the same runs joined into one piece
 * along an arc). Unioned by PostGIS for the layer and the gaps, as the discs are.
 *
 * @param everyNth join this many radials into one piece for display (their shortest runs drawn)
 */
export function footprintPolygons(radio: Pick<EngineRadio, 'lon' | 'lat'>, fp: TerrainFootprint, everyNth = 1): Polygon[] {
  const centre: Position = [radio.lon, radio.lat];
  const at = (bearingDeg: number, distanceM: number): Position =>
    distanceM <= 0 ? centre : destination(centre, distanceM / 1000, bearingDeg, { units: 'kilometers' }).geometry.coordinates;
  const polygons: Polygon[] = [];
  for (let k0 = 0; k0 < fp.radials; k0 += everyNth) {
    const k1 = Math.min(fp.radials, k0 + everyNth);
    // The runs every radial of the group has: intersect them, so a drawn piece never overstates.
    let common = runsOf(fp, k0);
    for (let k = k0 + 1; k < k1; k++) common = intersectRuns(common, runsOf(fp, k));
    const from = fp.startDeg + k0 * fp.radialDeg;
    const to = fp.startDeg + k1 * fp.radialDeg;
    for (let q = 0; q < common.length; q += 2) {
      const [a, b] = [common[q], common[q + 1]];
      const arc = Math.max(1, Math.ceil((to - from) / 2));
      const outer: Position[] = [];
      const inner: Position[] = [];
      for (let s = 0; s <= arc; s++) {
        const bearing = from + ((to - from) * s) / arc;
        outer.push(at(bearing, b));
        if (a > 0) inner.push(at(bearing, a));
      }
      const ring = a > 0 ? [...inner, ...outer.reverse()] : [centre, ...outer.reverse()];
      ring.push(ring[0]);
      polygons.push({ type: 'Polygon', coordinates: [ring] });
    }
  }
  return polygons;
}

function runsOf(fp: TerrainFootprint, k: number): number[] {
  return Array.from(fp.runs.subarray(2 * fp.runOffsets[k], 2 * fp.runOffsets[k + 1]));
}

function intersectRuns(a: number[], b: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i += 2) for (let j = 0; j < b.length; j += 2) {
    const lo = Math.max(a[i], b[j]);
    const hi = Math.min(a[i + 1], b[j + 1]);
    if (hi > lo) out.push(lo, hi);
  }
  return out;
}

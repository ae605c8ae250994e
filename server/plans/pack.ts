/**
 * A plan's input as typed arrays and a few strings, for the worker thread. Structured cloning
 * tens of thousands of small objects (radios, polygon rings) holds the event loop for a few
 * hundred milliseconds; typed arrays copy as one block. Pure.
 */
import type { MultiPolygon } from 'geojson';
import type { FootprintStrips, Technology } from '../coverage/engine/index';
import type { EvaluatorCommune, KnownOperators, RadioRow } from '../scenarios/evaluator';
import type { PlanInput, PlanRequest } from './planner';

export interface PackedPlanInput {
  communes: Array<Omit<EvaluatorCommune, 'geometry'>>;
  /** Per commune: parts, then per part its rings, then per ring its points (counts). */
  shape: Int32Array;
  coords: Float64Array;
  strings: string[];
  /** Per row: operator, siteCode, technology, communeCode (indices into `strings`, −1 for null). */
  rowText: Int32Array;
  /** Per row: radioId, stationId, bandMhz, heightM, azimuthDeg, beamwidthDeg, radiusM, lon, lat (NaN for null). */
  rowNum: Float64Array;
  known: KnownOperators;
  request: PlanRequest;
  /** The terrain footprints of `PlanInput.strips`, absent on flat ground (see packStrips). */
  strips?: PackedStrips;
}

/**
 * Footprint strips by radio id: per entry its radio id and a head (south, stepDeg, count, minLon,
 * maxLon, minLat, maxLat; count NaN for no strips), then every entry's offsets and longitudes one
 * after the other.
 */
export interface PackedStrips {
  radioIds: Float64Array;
  head: Float64Array;
  offsets: Int32Array;
  lons: Float64Array;
}

const NUM = 9;
const TEXT = 4;
const HEAD = 7;

/** Items (rows, footprints) packed between two turns of the event loop by packPlanInputInTurns: a few milliseconds' work. */
const ITEMS_PER_TURN = 2000;

/** Packs the strips, yielding every ITEMS_PER_TURN footprints (packPlanInputInTurns lets requests in there). */
function* packStrips(strips: ReadonlyMap<number, FootprintStrips | null>): Generator<void, PackedStrips> {
  const radioIds = new Float64Array(strips.size);
  const head = new Float64Array(strips.size * HEAD);
  let offsetsLength = 0;
  let lonsLength = 0;
  for (const s of strips.values()) if (s) { offsetsLength += s.count + 1; lonsLength += s.lons.length; }
  const offsets = new Int32Array(offsetsLength);
  const lons = new Float64Array(lonsLength);
  let i = 0;
  let o = 0;
  let l = 0;
  for (const [radioId, s] of strips) {
    radioIds[i] = radioId;
    if (s) {
      head.set([s.south, s.stepDeg, s.count, s.minLon, s.maxLon, s.minLat, s.maxLat], i * HEAD);
      offsets.set(s.offsets.subarray(0, s.count + 1), o);
      lons.set(s.lons, l);
      o += s.count + 1;
      l += s.lons.length;
    } else head.fill(Number.NaN, i * HEAD, (i + 1) * HEAD);
    if (++i % ITEMS_PER_TURN === 0) yield;
  }
  return { radioIds, head, offsets, lons };
}

function unpackStrips(p: PackedStrips): Map<number, FootprintStrips | null> {
  const out = new Map<number, FootprintStrips | null>();
  let o = 0;
  let l = 0;
  for (let i = 0; i < p.radioIds.length; i++) {
    const h = p.head.subarray(i * HEAD, (i + 1) * HEAD);
    if (Number.isNaN(h[2])) { out.set(p.radioIds[i], null); continue; }
    const count = h[2];
    const offsets = p.offsets.subarray(o, o + count + 1);
    const lons = p.lons.subarray(l, l + 2 * offsets[count]);
    o += count + 1;
    l += lons.length;
    out.set(p.radioIds[i], { south: h[0], stepDeg: h[1], count, offsets, lons, minLon: h[3], maxLon: h[4], minLat: h[5], maxLat: h[6] });
  }
  return out;
}

/**
 * The buffers of a packed input to transfer to the worker rather than copy: the rows' and the
 * strips'. The communes' boundaries are kept for the next plan (packedCommunes), so they are copied
 * (one block each).
 */
export function transferablesOf(p: PackedPlanInput): ArrayBuffer[] {
  const arrays = [p.rowText, p.rowNum, ...(p.strips ? [p.strips.radioIds, p.strips.head, p.strips.offsets, p.strips.lons] : [])];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

type PackedCommunes = Pick<PackedPlanInput, 'communes' | 'shape' | 'coords'>;
/**
 * By the communes list: the evaluator keeps one list per version of the commune table
 * (server/coverage/coverage.reads.ts), so every plan on the same communes packs their boundaries
 * (megabytes of coordinates, tens of milliseconds) once.
 */
const packedByList = new WeakMap<readonly EvaluatorCommune[], PackedCommunes>();

/** Communes packed between two turns of the event loop (their boundaries: a few milliseconds). */
const COMMUNES_PER_TURN = 16;

function* packedCommunes(list: readonly EvaluatorCommune[]): Generator<void, PackedCommunes> {
  const kept = packedByList.get(list);
  if (kept) return kept;
  const shape: number[] = [];
  const coords: number[] = [];
  const communes: PackedCommunes['communes'] = [];
  for (const { geometry, ...rest } of list) {
    shape.push(geometry.coordinates.length);
    for (const part of geometry.coordinates) {
      shape.push(part.length);
      for (const ring of part) {
        shape.push(ring.length);
        for (const [x, y] of ring) coords.push(x, y);
      }
    }
    communes.push(rest);
    if (communes.length % COMMUNES_PER_TURN === 0) yield;
  }
  const packed = { communes, shape: Int32Array.from(shape), coords: Float64Array.from(coords) };
  packedByList.set(list, packed);
  return packed;
}

/** Packs the rows, yielding every ITEMS_PER_TURN rows. */
function* packRows(rows: readonly RadioRow[]): Generator<void, Pick<PackedPlanInput, 'strings' | 'rowText' | 'rowNum'>> {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (s: string | null) => {
    if (s === null) return -1;
    let i = index.get(s);
    if (i === undefined) { i = strings.length; strings.push(s); index.set(s, i); }
    return i;
  };
  const n = rows.length;
  const rowText = new Int32Array(n * TEXT);
  const rowNum = new Float64Array(n * NUM);
  const num = (v: number | null) => (v === null ? Number.NaN : v);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    rowText.set([str(r.operator), str(r.siteCode), str(r.technology), str(r.communeCode)], i * TEXT);
    rowNum.set([r.radioId, r.stationId, r.bandMhz, num(r.heightM), num(r.azimuthDeg), num(r.beamwidthDeg), num(r.radiusM), r.lon, r.lat], i * NUM);
    if ((i + 1) % ITEMS_PER_TURN === 0) yield;
  }
  return { strings, rowText, rowNum };
}

/** The packing, one step per yield: packPlanInput runs it through, packPlanInputInTurns gives the event loop a turn at each. */
function* packSteps(input: PlanInput): Generator<void, PackedPlanInput> {
  yield; // the caller's own preparation has just run: a turn before packing begins
  const communes = yield* packedCommunes(input.communes);
  const rows = yield* packRows(input.rows);
  const strips = input.strips ? { strips: yield* packStrips(input.strips) } : {};
  return { ...communes, ...rows, known: input.known, request: input.request, ...strips };
}

export function packPlanInput(input: PlanInput): PackedPlanInput {
  const steps = packSteps(input);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** The same, giving the event loop a turn every few milliseconds of packing (the runner's way: requests wait less). */
export async function packPlanInputInTurns(input: PlanInput): Promise<PackedPlanInput> {
  const steps = packSteps(input);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export function unpackPlanInput(p: PackedPlanInput): PlanInput {
  let s = 0;
  let k = 0;
  const communes = p.communes.map((c) => {
    const coordinates: MultiPolygon['coordinates'] = [];
    const parts = p.shape[s++];
    for (let a = 0; a < parts; a++) {
      const rings = p.shape[s++];
      const part: number[][][] = [];
      for (let b = 0; b < rings; b++) {
        const points = p.shape[s++];
        const ring: number[][] = [];
        for (let q = 0; q < points; q++, k += 2) ring.push([p.coords[k], p.coords[k + 1]]);
        part.push(ring);
      }
      coordinates.push(part);
    }
    return { ...c, geometry: { type: 'MultiPolygon' as const, coordinates } };
  });
  const text = (i: number) => (i < 0 ? null : p.strings[i]);
  const num = (v: number) => (Number.isNaN(v) ? null : v);
  const rows: RadioRow[] = [];
  for (let i = 0; i * NUM < p.rowNum.length; i++) {
    const t = i * TEXT;
    const o = i * NUM;
    rows.push({
      operator: text(p.rowText[t])!, siteCode: text(p.rowText[t + 1])!, technology: text(p.rowText[t + 2]) as Technology, communeCode: text(p.rowText[t + 3]),
      radioId: p.rowNum[o], stationId: p.rowNum[o + 1], bandMhz: p.rowNum[o + 2], heightM: num(p.rowNum[o + 3]), azimuthDeg: num(p.rowNum[o + 4]),
      beamwidthDeg: num(p.rowNum[o + 5]), radiusM: num(p.rowNum[o + 6]), lon: p.rowNum[o + 7], lat: p.rowNum[o + 8],
    });
  }
  return { communes, rows, known: p.known, request: p.request, ...(p.strips ? { strips: unpackStrips(p.strips) } : {}) };
}

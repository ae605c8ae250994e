import { describe, expect, it } from 'vitest';
import { createEvaluationModel, type RadioRow } from '../../../server/scenarios/evaluator';
import { buildDemandGrid, forEachPointIn, pointLat, pointLon } from '../../../server/plans/demand';
import { stripsContain } from '../../../server/coverage/engine/index';
import { metresPerDegreeLon } from '../../../server/coverage/engine/geodesy';
import { greedyPrefix, lazyGreedy, type CoverageInstance } from '../../../server/plans/greedy';
import { exactMaxCoverage, exactMinSites } from '../../../server/plans/exact';
import { coverageInstance, planSites, type PlanRequest } from '../../../server/plans/planner';
import { packPlanInput, packPlanInputInTurns, unpackPlanInput } from '../../../server/plans/pack';
import { buildBaseline, evaluateScenario } from '../../../server/scenarios/scenario-eval';
import { seededRandom } from '../coverage/synthetic';
import { row, square } from './fixtures';

const model = createEvaluationModel();

/** Plain greedy, every gain recomputed at every step: what the lazy version must reproduce. */
function plainGreedy(inst: CoverageInstance, k: number): number[] {
  const covered = new Uint8Array(inst.weights.length);
  const out: number[] = [];
  for (let s = 0; s < k; s++) {
    let best = -1;
    let bestGain = 0;
    inst.covers.forEach((pts, c) => {
      let g = 0;
      for (const p of pts) if (!covered[p]) g += inst.weights[p];
      if (g > bestGain) { best = c; bestGain = g; }
    });
    if (best < 0) break;
    for (const p of inst.covers[best]) covered[p] = 1;
    out.push(best);
  }
  return out;
}

function randomInstance(seed: number, points: number, candidates: number, perCandidate: number): CoverageInstance {
  const random = seededRandom(seed);
  const weights = Float64Array.from({ length: points }, () => 1 + Math.floor(random() * 100));
  const covers = Array.from({ length: candidates }, () => {
    const centre = Math.floor(random() * points);
    const set = new Set<number>();
    for (let i = 0; i < perCandidate; i++) set.add((centre + Math.floor((random() - 0.5) * perCandidate * 3) + points) % points);
    return Int32Array.from(set);
  });
  return { weights, covers };
}

describe('demand points', () => {
  it('add up to each commune\'s population and area, and a disc holds πr² of them', () => {
    const c = square('00001', 105, 21, 0.1, 50_000);
    const g = buildDemandGrid([c], model.densityFor([c]), 100);
    const people = g.people.reduce((a, b) => a + b, 0);
    const area = g.areaKm2.reduce((a, b) => a + b, 0);
    expect(people).toBeCloseTo(50_000, 6);
    expect(area).toBeCloseTo(c.areaKm2, 6);
    expect(g.count / (c.areaKm2 / 0.01)).toBeGreaterThan(0.97);
    expect(g.count / (c.areaKm2 / 0.01)).toBeLessThan(1.03);
    let n = 0;
    forEachPointIn(g, { lon: 105.05, lat: 21.05, radiusM: 2000 }, () => n++);
    expect(n * 0.01).toBeGreaterThan(Math.PI * 4 * 0.98);
    expect(n * 0.01).toBeLessThan(Math.PI * 4 * 1.02);
    let wedge = 0;
    forEachPointIn(g, { lon: 105.05, lat: 21.05, radiusM: 2000, azimuthDeg: 90, beamwidthDeg: 120 }, () => wedge++);
    expect(wedge / n).toBeGreaterThan(1 / 3 - 0.02);
    expect(wedge / n).toBeLessThan(1 / 3 + 0.02);
  });

  it('take their weights from the density function', () => {
    const c = square('00001', 105, 21, 0.1, 10_000);
    // All the people in the western half: the eastern points weigh nothing.
    const g = buildDemandGrid([c], (_code, lon) => (lon < 105.05 ? 2 : 0), 200);
    let east = 0;
    for (let p = 0; p < g.count; p++) if (g.lon0 + (g.cell[p] % g.width) * g.dLon > 105.05) east += g.people[p];
    expect(east).toBe(0);
    expect(g.people.reduce((a, b) => a + b, 0)).toBeCloseTo(10_000, 6);
  });
});

describe('greedy with lazy evaluation', () => {
  it('chooses what plain greedy chooses', () => {
    for (const seed of [1, 2, 3]) {
      const inst = randomInstance(seed, 2000, 150, 60);
      expect(greedyPrefix(inst, 40).map((s) => s.candidate)).toEqual(plainGreedy(inst, 40));
    }
  });

  it('takes the largest gain first and stops when nothing is left to add', () => {
    const weights = Float64Array.from([5, 5, 1, 1, 1, 9]);
    const covers = [Int32Array.from([0, 1]), Int32Array.from([2, 3, 4]), Int32Array.from([5]), Int32Array.from([0, 5])];
    const steps = [...lazyGreedy({ weights, covers })];
    // {0,5} weighs 14; then {0,1} adds only 5, {2,3,4} 3, and {5} nothing.
    expect(steps.map((s) => s.candidate)).toEqual([3, 0, 1]);
    expect(steps.map((s) => s.gain)).toEqual([14, 5, 3]);
    expect(steps.map((s) => s.cumulative)).toEqual([14, 19, 22]);
  });
});

describe('exact maximum coverage (HiGHS)', () => {
  it('beats greedy where greedy is known to go wrong', async () => {
    // Greedy takes the big middle set first and then needs two more; the best two cover everything.
    const weights = Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1]);
    const covers = [Int32Array.from([0, 1, 2, 3]), Int32Array.from([4, 5, 6, 7]), Int32Array.from([1, 2, 3, 4, 5])];
    const greedy = greedyPrefix({ weights, covers }, 2);
    expect(greedy[0].candidate).toBe(2);
    expect(greedy.at(-1)!.cumulative).toBe(7);
    const exact = await exactMaxCoverage({ weights, covers }, 2);
    expect(exact.coveredWeight).toBe(8);
    expect(exact.chosen).toEqual([0, 1]);
    expect((await exactMinSites({ weights, covers }, 8)).chosen).toHaveLength(2);
  });

  it('is never below greedy, and greedy is within 1 − 1/e of it', async () => {
    const inst = randomInstance(7, 800, 80, 40);
    const k = 8;
    const greedy = greedyPrefix(inst, k).at(-1)!.cumulative;
    const exact = await exactMaxCoverage(inst, k);
    expect(exact.status).toBe('Optimal');
    expect(exact.coveredWeight).toBeGreaterThanOrEqual(greedy - 1e-6);
    expect(greedy).toBeGreaterThanOrEqual((1 - 1 / Math.E) * exact.coveredWeight);
    console.log(`random instance: greedy ${greedy}, exact ${exact.coveredWeight} (gap ${(100 * (1 - greedy / exact.coveredWeight)).toFixed(2)} %)`);
  }, 60_000);
});

describe('planSites', () => {
  const communes = [square('00001', 105, 21, 0.06, 40_000), square('00002', 105.06, 21, 0.06, 10_000)];
  const rows: RadioRow[] = [
    row(1, 1, 105.01, 21.01, '4G', 1800), row(2, 2, 105.03, 21.04, '4G', 1800), row(3, 3, 105.05, 21.02, '4G', 1800),
    row(4, 4, 105.09, 21.03, '4G', 1800, 'vnpt', '00002'), row(5, 4, 105.09, 21.03, '5G', 3700, 'vnpt', '00002'),
  ];
  const known = { '2G': [], '3G': [], '4G': ['viettel', 'vnpt'], '5G': ['vnpt'] };
  const request: PlanRequest = { technology: '5G', weight: 'population', threshold: 40, operator: 'all', candidates: 'both', maxSites: null, scope: null };

  it('meets the threshold at sitesNeeded and not one site earlier, with the engine\'s own figures', () => {
    const r = planSites({ communes, rows, known, request }, model);
    expect(r.reached).toBe(true);
    expect(r.sitesNeeded).toBe(r.sites.length);
    expect(r.sites.at(-1)!.cumulative.value).toBeGreaterThanOrEqual(40);
    expect(r.sites.at(-2)!.cumulative.value).toBeLessThan(40);
    expect(r.candidates.upgrade).toBe(3); // the viettel sites without 5G; the vnpt one has it
    // The plan's sites as a scenario give its figures (the engine on every commune).
    const base = buildBaseline('2026-01-01', communes, rows, known, ['viettel', 'vnpt'], model);
    const changes = r.sites.map((s) => (s.kind === 'upgrade'
      ? { kind: 'upgrade' as const, stationId: s.stationId!, technology: s.technology, bandMhz: s.bandMhz }
      : { kind: 'add' as const, lon: s.lon, lat: s.lat, operator: s.operator, technology: s.technology, bandMhz: s.bandMhz, heightM: s.heightM }));
    const figure = (n: number) => {
      const ev = evaluateScenario(base, changes.slice(0, n), model);
      const all = model.rollup(ev.figures).find((f) => f.technology === '5G' && f.operator === 'all')!;
      return all.populationPct;
    };
    expect(Math.abs(figure(changes.length) - r.after.value)).toBeLessThanOrEqual(0.05);
    expect(figure(changes.length - 1)).toBeLessThan(40);
    expect(Math.abs(figure(0) - r.before.value)).toBeLessThan(1e-9);
  });

  it('says why when the candidates cannot reach the target', () => {
    const r = planSites({ communes, rows, known, request: { ...request, candidates: 'upgrade', threshold: 99 } }, model);
    expect(r.reached).toBe(false);
    expect(r.sitesNeeded).toBeNull();
    expect(r.sites.length).toBeLessThanOrEqual(3);
    expect(r.reason).toMatch(/every candidate/);
    const capped = planSites({ communes, rows, known, request: { ...request, maxSites: 2 } }, model);
    expect(capped.sites).toHaveLength(2);
    expect(capped.reason).toMatch(/maxSites/);
  });

  it('goes to the worker unchanged', () => {
    const input = { communes, rows, known, request };
    expect(unpackPlanInput(packPlanInput(input))).toEqual(input);
  });

  it('is packed in turns of the event loop: the same input, and other callbacks run while a large one is packed', async () => {
    const many = Array.from({ length: 9000 }, (_, i) => row(1000 + i, 1000 + i, 105.01 + (i % 90) / 1000, 21.01 + Math.floor(i / 90) / 10000, i % 2 ? '4G' : '5G', i % 2 ? 1800 : 3500));
    const strips = new Map(many.map((r) => [r.radioId, null]));
    const input = { communes, rows: many, known, request, strips };
    let turns = 0;
    const counting = setInterval(() => turns++, 0);
    const packed = await packPlanInputInTurns(input);
    clearInterval(counting);
    expect(unpackPlanInput(packed)).toEqual(input);
    expect(packed).toEqual(packPlanInput(input));
    // 9,000 rows and 9,000 footprints at 2,000 per turn: about ten turns, in several of which a timer ran.
    expect(turns).toBeGreaterThanOrEqual(4);
  });
});

describe('scenario evaluation', () => {
  it('gives what the engine gives on every commune, also when an operator gets its first radio of a technology', () => {
    const communes = [square('00001', 105, 21, 0.06, 40_000), square('00002', 105.06, 21, 0.06, 10_000), square('00003', 105.3, 21, 0.05, 5_000)];
    const rows = [row(1, 1, 105.01, 21.01, '4G', 1800), row(2, 2, 105.09, 21.03, '4G', 1800, 'vnpt', '00002'), row(3, 2, 105.09, 21.03, '5G', 3700, 'vnpt', '00002'), row(4, 3, 105.32, 21.02, '3G', 2100, 'vnpt', '00003')];
    const known = { '2G': [], '3G': ['vnpt'], '4G': ['viettel', 'vnpt'], '5G': ['vnpt'] };
    const base = buildBaseline('2026-01-01', communes, rows, known, ['viettel', 'vnpt', 'mobifone'], model);
    const changes = [
      { kind: 'upgrade' as const, stationId: 1, technology: '5G' as const },
      { kind: 'add' as const, lon: 105.08, lat: 21.05, operator: 'mobifone', technology: '4G' as const },
      { kind: 'off' as const, stationId: 2, technology: '5G' as const },
    ];
    const ev = evaluateScenario(base, changes, model);
    expect(ev.recomputed).toBe(2); // the third commune is out of reach
    const applied = [row(1, 1, 105.01, 21.01, '4G', 1800), row(-1, 1, 105.01, 21.01, '5G', 3500), row(2, 2, 105.09, 21.03, '4G', 1800, 'vnpt', '00002'), row(4, 3, 105.32, 21.02, '3G', 2100, 'vnpt', '00003'),
      { ...row(-2, -1, 105.08, 21.05, '4G', 1800, 'mobifone', '00002'), siteCode: 'PLAN1' }];
    const full = model.compute(communes, model.toEngineRadios(applied, base.byCode), { operators: { '2G': [], '3G': ['vnpt'], '4G': ['mobifone', 'viettel', 'vnpt'], '5G': ['viettel', 'vnpt'] } });
    expect(ev.figures).toEqual(full);
  });
});

describe('over terrain', () => {
  // A 5G site in the middle of a commune, and a 200 m wall north–south half its flat radius east of it.
  const c = square('00001', 105, 21, 0.06, 40_000);
  const byCode = new Map([[c.code, c]]);
  const site = row(-1, -1, 105.03, 21.03, '5G', 3500);
  const radiusM = model.toEngineRadios([site], byCode)[0].radiusM;
  const mLon = metresPerDegreeLon(21.03);
  const wallLon = 105.03 + (0.4 * radiusM) / mLon;
  const wallHalfDeg = 50 / mLon;
  const heightAt = (lon: number) => (Math.abs(lon - wallLon) < wallHalfDeg ? 220 : 20);
  const terrain = createEvaluationModel({
    terrain: { heights: { heightAt, sha256: 'wall' }, model: { id: 'srtm', tiles: ['synthetic'], sha256: 'wall', source: 'test' } },
  });

  it('a candidate whose flat disc covers a shadowed place does not count it', () => {
    const grid = buildDemandGrid([c], model.densityFor([c]), 50);
    const [flat] = model.toEngineRadios([site], byCode);
    const [shaped] = terrain.toEngineRadios([site], byCode);
    expect(flat.strips ?? null).toBeNull();
    expect(shaped.strips).toBeTruthy();
    expect(shaped.radiusM).toBe(flat.radiusM);
    const inst = coverageInstance(grid, [], [[flat], [shaped]], 'population');
    const flatSet = new Set(inst.covers[0]);
    const shapedSet = new Set(inst.covers[1]);
    // Terrain only takes away, and only what its strips do not hold.
    for (const p of shapedSet) {
      expect(flatSet.has(p)).toBe(true);
      expect(stripsContain(shaped.strips!, pointLon(grid, p), pointLat(grid, p))).toBe(true);
    }
    const lost = [...flatSet].filter((p) => !shapedSet.has(p));
    expect(lost.length).toBeGreaterThan(0.1 * flatSet.size);
    for (const p of lost) expect(stripsContain(shaped.strips!, pointLon(grid, p), pointLat(grid, p))).toBe(false);
    // What is lost lies behind the wall: in front of it, the disc keeps nearly everything.
    const behind = lost.filter((p) => pointLon(grid, p) > wallLon);
    expect(behind.length).toBeGreaterThan(0.9 * lost.length);
    // A point well behind the wall, inside the flat disc: counted flat, not over terrain.
    const p = grid.pointAt[Math.round((21.03 - grid.lat0) / grid.dLat) * grid.width + Math.round((wallLon + (0.3 * radiusM) / mLon - grid.lon0) / grid.dLon)];
    expect(flatSet.has(p)).toBe(true);
    expect(shapedSet.has(p)).toBe(false);
  });

  it('plans with the terrain footprints: the plan as a scenario gives its figure; the radios on air go to the worker with theirs', () => {
    const communes = [c, square('00002', 105.06, 21, 0.06, 10_000)];
    const codes = new Map(communes.map((x) => [x.code, x]));
    const rows: RadioRow[] = [
      row(1, 1, 105.01, 21.01, '4G', 1800), row(2, 2, 105.03, 21.045, '4G', 1800), row(3, 3, 105.05, 21.02, '4G', 1800),
      row(4, 4, 105.09, 21.03, '4G', 1800, 'vnpt', '00002'), row(5, 4, 105.09, 21.03, '5G', 3700, 'vnpt', '00002'),
      row(6, 5, 105.03, 21.03, '4G', 1800), row(7, 5, 105.03, 21.03, '5G', 3500),
    ];
    const known = { '2G': [], '3G': [], '4G': ['viettel', 'vnpt'], '5G': ['viettel', 'vnpt'] };
    const request: PlanRequest = { technology: '5G', weight: 'population', threshold: 30, operator: 'all', candidates: 'both', maxSites: null, scope: null };
    const strips = new Map(terrain.toEngineRadios(rows.filter((r) => r.technology === '5G'), codes).map((r) => [r.radioId, r.strips ?? null]));
    expect(strips.get(7)).toBeTruthy(); // the one by the wall (a footprint terrain does not change stays a disc: null)
    const input = { communes, rows, known, request, strips };
    const r = planSites(input, terrain);
    expect(r.terrainModel.id).toBe('srtm');
    expect(r.modelVersion).toBe(terrain.modelVersion);
    expect(r.modelVersion).not.toBe(model.modelVersion);
    expect(r.reached).toBe(true);
    expect(r.sites.length).toBeGreaterThan(1);
    // The same plan from the packed input (strips given, not recomputed).
    const unpacked = unpackPlanInput(packPlanInput(input));
    expect(unpacked.strips).toEqual(strips);
    const again = planSites(unpacked, terrain);
    expect(again.sites).toEqual(r.sites);
    expect(again.after).toEqual(r.after);
    // Over terrain the plan's figures are the engine's over terrain (a scenario of its sites), not the flat ones.
    const base = buildBaseline('2026-01-01', communes, rows, known, ['viettel', 'vnpt'], terrain);
    const changes = r.sites.map((s) => (s.kind === 'upgrade'
      ? { kind: 'upgrade' as const, stationId: s.stationId!, technology: s.technology, bandMhz: s.bandMhz }
      : { kind: 'add' as const, lon: s.lon, lat: s.lat, operator: s.operator, technology: s.technology, bandMhz: s.bandMhz, heightM: s.heightM }));
    const figure = (n: number) => terrain.rollup(evaluateScenario(base, changes.slice(0, n), terrain).figures).find((f) => f.technology === '5G' && f.operator === 'all')!.populationPct;
    expect(Math.abs(figure(0) - r.before.value)).toBeLessThan(1e-9);
    expect(Math.abs(figure(changes.length) - r.after.value)).toBeLessThanOrEqual(0.05);
    expect(figure(changes.length - 1)).toBeLessThan(30);
    const flatBefore = planSites({ communes, rows, known, request }, model).before.value;
    expect(r.before.value).toBeLessThan(flatBefore);
  });
});

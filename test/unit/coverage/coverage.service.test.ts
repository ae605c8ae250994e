/**
 * The coverage service against an in-memory repository: after any write the figures it stores
 * equal those of a fresh service, its terrain footprints are computed once per radio state and
 * kept, and figures of another model are stale. (test/api/coverage-incremental.test.ts checks
 * the same through the real import path on both database engines.)
 */
import { describe, expect, it } from 'vitest';
import type { Position } from 'geojson';
import type { ActiveRadio, CommuneForCoverage, CoverageRepo, RunInfo, StoredFigure } from '../../../server/coverage/coverage.repo';
import { createCoverageService } from '../../../server/coverage/coverage.service';
import type { CoverageFigure, Technology } from '../../../server/coverage/engine';
import { offset, squareAround } from './analytic';
import type { CoverageInputs } from '../../../server/coverage/coverage.inputs';

const ORIGIN: Position = [105.2, 21.3];
const SIDE_M = 3000;

/** A 5 × 5 grid of 3 km square communes, codes 00000…00044 (row, column). */
function gridCommunes(): CommuneForCoverage[] {
  const communes: CommuneForCoverage[] = [];
  for (let row = 0; row < 5; row++) {
    for (let col = 0; col < 5; col++) {
      const centre = offset(ORIGIN, col * SIDE_M, row * SIDE_M);
      const { polygon } = squareAround(centre, SIDE_M / 2);
      communes.push({ code: `000${row}${col}`, name: `C${row}${col}`, kind: 'xa', population: 1000, areaKm2: 9, geometry: { type: 'MultiPolygon', coordinates: [polygon.coordinates] } });
    }
  }
  return communes;
}

/** The centre of grid cell (row, col), moved by (dx, dy) metres. */
const at = (row: number, col: number, dx = 0, dy = 0) => offset(ORIGIN, col * SIDE_M + dx, row * SIDE_M + dy);

interface Station { id: number; operator: string; pos: Position; radios: Array<{ id: number; technology: Technology; radiusM: number; active: boolean }> }

/** An in-memory repository: stations and radios with a data version, runs and stored figures. */
function fakeRepo(communes: CommuneForCoverage[]) {
  const stations = new Map<number, Station>();
  let version = 0;
  let nextRadio = 1;
  const runs: RunInfo[] = [];
  const stored = new Map<string, CoverageFigure & { runId: number }>();
  const failSaves = { next: false };

  const rowsOf = (s: Station): ActiveRadio[] => s.radios.filter((r) => r.active).map((r) => ({
    radioId: r.id, stationId: s.id, operator: s.operator, siteCode: `S${s.id}`, technology: r.technology, bandMhz: 1800, heightM: 30,
    azimuthDeg: null, beamwidthDeg: null, radiusM: r.radiusM > 0 ? r.radiusM : null, lon: s.pos[0], lat: s.pos[1], communeCode: null,
  }));

  const repo: CoverageRepo = {
    communesStamp: async () => 'grid',
    communes: async () => communes,
    activeRadios: async () => [...stations.values()].flatMap(rowsOf),
    radiosSnapshot: async (_asOf, ids) => {
      const chosen = [...stations.values()].filter((s) => !ids || ids.includes(s.id));
      return {
        version,
        radios: chosen.flatMap(rowsOf).sort((a, b) => a.radioId - b.radioId),
        known: [...new Set(chosen.flatMap((s) => s.radios.map((r) => `${r.technology}|${s.operator}`)))].map((k) => {
          const [technology, operator] = k.split('|');
          return { technology: technology as Technology, operator };
        }),
      };
    },
    radiosVersion: async () => String(version),
    // As the triggers do: any station write or run change moves it.
    dataVersions: async () => `stations=${version},runs=${runs.map((r) => r.status).join('/')}`,
    startRun: async (run) => {
      const id = runs.length + 1;
      runs.push({ id, startedAt: new Date(), finishedAt: null, asOf: run.asOf, modelVersion: run.modelVersion, inputsDigest: null, scope: run.scope, communes: 0, radios: 0, durationMs: null, trigger: run.trigger, status: 'running' });
      return id;
    },
    saveRun: async (runId, codes, figures, meta) => {
      if (failSaves.next) {
        failSaves.next = false;
        throw new Error('disk full');
      }
      for (const key of [...stored.keys()]) if (codes.includes(key.split('|')[0])) stored.delete(key);
      for (const f of figures) stored.set(`${f.communeCode}|${f.technology}|${f.operator}`, { ...f, runId });
      Object.assign(runs[runId - 1], { status: 'succeeded', finishedAt: new Date(), inputsDigest: meta.inputsDigest, communes: codes.length });
    },
    failRun: async (runId) => { runs[runId - 1].status = 'failed'; },
    figures: async () => [...stored.values()] as unknown as StoredFigure[],
    lastRun: async () => [...runs].reverse().find((r) => r.status === 'succeeded') ?? null,
    lastRunWithStaleness: async () => {
      const last = [...runs].reverse().find((r) => r.status === 'succeeded');
      return last ? { ...last, stale: false } : null;
    },
    run: async (id) => runs[id - 1] ?? null,
    isStale: async () => false,
    uncovered: async () => null,
    union: async () => null,
  };

  /** One committed write: the version moves by one; returns the touched station ids. */
  function write(change: () => number[]): number[] {
    const ids = change();
    version++;
    return ids;
  }
  return {
    repo, runs, stored, failSaves,
    add: (id: number, operator: string, pos: Position, radii: Array<[Technology, number]>) => write(() => {
      stations.set(id, { id, operator, pos, radios: radii.map(([technology, radiusM]) => ({ id: nextRadio++, technology, radiusM, active: true })) });
      return [id];
    }),
    move: (id: number, pos: Position) => write(() => { stations.get(id)!.pos = pos; return [id]; }),
    offAir: (id: number) => write(() => { for (const r of stations.get(id)!.radios) r.active = false; return [id]; }),
    /** Writes without telling the service (another process). */
    silently: (f: () => void) => f(),
  };
}

function setup(inputs?: CoverageInputs) {
  const communes = gridCommunes();
  const fake = fakeRepo(communes);
  // A background of stations: every cell has one viettel and one vnpt 4G site.
  for (let row = 0; row < 5; row++) for (let col = 0; col < 5; col++) {
    fake.add(100 + row * 10 + col, 'viettel', at(row, col, 300, 200), [['4G', 1200], ['2G', 2500]]);
    fake.add(200 + row * 10 + col, 'vnpt', at(row, col, -400, -300), [['4G', 900]]);
  }
  return { communes, fake, service: createCoverageService(fake.repo, {}, inputs) };
}

/** The stored figures equal those of a full recompute by a fresh service. */
async function expectSameAsFull(fake: ReturnType<typeof fakeRepo>, inputs?: CoverageInputs) {
  const incremental = new Map([...fake.stored].map(([k, f]) => [k, [f.coveredKm2, f.areaPct]]));
  await createCoverageService(fake.repo, {}, inputs).recompute({ trigger: 'check' });
  const full = new Map([...fake.stored].map(([k, f]) => [k, [f.coveredKm2, f.areaPct]]));
  expect(incremental).toEqual(full);
}

/** Terrain for the grid: flat at 20 m, with a 200 m wall running north–south along column 2's axis. */
const WALL_LON = at(0, 2)[0];
const wallInputs = (): CoverageInputs => ({
  population: null,
  terrain: {
    heights: { heightAt: (lon) => (Math.abs(lon - WALL_LON) < 0.0006 ? 220 : 20), sha256: 'wall' },
    model: { id: 'srtm', tiles: ['synthetic'], sha256: 'wall', source: 'test' },
  },
});

describe('coverage service', () => {
  it('after every write, stored figures equal a fresh full recompute', async () => {
    const { fake, service } = setup();
    await service.recompute({ trigger: 'test' });
    await expectSameAsFull(fake);
    fake.add(1, 'viettel', at(2, 2), [['4G', 2000], ['5G', 400]]);
    await service.recompute({ trigger: 'import' });
    await expectSameAsFull(fake);
    fake.move(1, at(4, 1));
    await service.recompute({ trigger: 'import' });
    await expectSameAsFull(fake);
    fake.offAir(100);
    fake.silently(() => fake.move(200, at(0, 4)));
    await service.recompute({ trigger: 'import' });
    await expectSameAsFull(fake);
  });

  it('a failed save fails its run and changes no stored figure; the next run stores them all', async () => {
    const { fake, service } = setup();
    await service.recompute({ trigger: 'test' });
    const before = new Map(fake.stored);
    fake.add(1, 'viettel', at(2, 2), [['4G', 2000]]);
    fake.failSaves.next = true;
    await expect(service.recompute({ trigger: 'import' })).rejects.toThrow('disk full');
    expect(fake.runs.at(-1)!.status).toBe('failed');
    expect(fake.stored).toEqual(before);
    await service.recompute({ trigger: 'import' });
    await expectSameAsFull(fake);
  });

  it('terrain: a wall takes coverage from behind it, footprints are computed once and kept', async () => {
    const inputs = wallInputs();
    const { fake, service } = setup(inputs);
    // A modelled 4G radio (no explicit radius) in column 1, west of the wall.
    fake.add(1, 'mobifone', at(2, 1), [['4G', 0]]);
    await service.recompute({ trigger: 'test' });
    const computed = service.footprintStats().computed;
    expect(computed).toBe(1); // the grid's own radios have explicit radii: discs, no terrain
    const flat = setup();
    flat.fake.add(1, 'mobifone', at(2, 1), [['4G', 0]]);
    await flat.service.recompute({ trigger: 'test' });
    const mobifone = (f: ReturnType<typeof fakeRepo>, code: string) => [...f.stored.values()].find((x) => x.communeCode === code && x.operator === 'mobifone' && x.technology === '4G')!.areaPct;
    // East of the wall (column 3) loses; the radio's own cell, in front of it, keeps most of it.
    expect(mobifone(fake, '00023')).toBeLessThan(mobifone(flat.fake, '00023') - 5);
    expect(mobifone(fake, '00021')).toBeGreaterThan(mobifone(flat.fake, '00021') - 1);
    // A second run and a write elsewhere compute no footprint again; moving the radio computes one.
    await service.recompute({ trigger: 'test' });
    fake.add(2, 'viettel', at(4, 4), [['4G', 1500]]);
    await service.recompute({ trigger: 'import' });
    expect(service.footprintStats().computed).toBe(computed);
    fake.move(1, at(1, 1));
    await service.recompute({ trigger: 'import' });
    expect(service.footprintStats().computed).toBe(computed + 1);
    await expectSameAsFull(fake, inputs);
  });

  it('figures stored under another model (flat ground) are stale for a service with terrain', async () => {
    const { fake, service } = setup();
    await service.recompute({ trigger: 'test' });
    expect((await service.figures({})).stale).toBe(false);
    const withTerrain = createCoverageService(fake.repo, {}, wallInputs());
    expect(withTerrain.modelVersion).not.toBe(service.modelVersion);
    expect((await withTerrain.figures({})).stale).toBe(true);
    expect(await withTerrain.storedIsCurrent()).toBe(false);
    expect(await service.storedIsCurrent()).toBe(true);
  });
});

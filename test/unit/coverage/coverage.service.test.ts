/**
 * The service's incremental recompute against an in-memory repository: which communes a write
 * reaches, what it does when it does not know the radios before a write, and that the figures it
 * stores always equal a full recompute. (test/api/coverage-incremental.test.ts does the same
 * through the real import path on both database engines.)
 */
import { describe, expect, it } from 'vitest';
import type { Position } from 'geojson';
import type { ActiveRadio, CommuneForCoverage, CoverageRepo, RunInfo, StoredFigure } from '../../../server/coverage/coverage.repo';
import { createCoverageService } from '../../../server/coverage/coverage.service';
import type { CoverageFigure, Technology } from '../../../server/coverage/engine';
import { offset, squareAround } from './analytic';

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
    azimuthDeg: null, beamwidthDeg: null, radiusM: r.radiusM, lon: s.pos[0], lat: s.pos[1], communeCode: null,
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
    lastRunIfConsistent: async () => {
      const full = [...runs].reverse().find((r) => (r.scope === 'full' || r.communes >= communes.length) && r.status === 'succeeded');
      if (!full || runs.some((r) => r.id > full.id && r.status !== 'succeeded')) return null;
      return [...runs].reverse().find((r) => r.status === 'succeeded') ?? null;
    },
    lastRunWithStaleness: async () => null,
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

function setup() {
  const communes = gridCommunes();
  const fake = fakeRepo(communes);
  // A background of stations: every cell has one viettel and one vnpt 4G site.
  for (let row = 0; row < 5; row++) for (let col = 0; col < 5; col++) {
    fake.add(100 + row * 10 + col, 'viettel', at(row, col, 300, 200), [['4G', 1200], ['2G', 2500]]);
    fake.add(200 + row * 10 + col, 'vnpt', at(row, col, -400, -300), [['4G', 900]]);
  }
  return { communes, fake, service: createCoverageService(fake.repo) };
}

/** The stored figures equal those of a full recompute by a fresh service. */
async function expectSameAsFull(fake: ReturnType<typeof fakeRepo>) {
  const incremental = new Map([...fake.stored].map(([k, f]) => [k, [f.coveredKm2, f.areaPct]]));
  await createCoverageService(fake.repo).recompute({ trigger: 'check' });
  const full = new Map([...fake.stored].map(([k, f]) => [k, [f.coveredKm2, f.areaPct]]));
  expect(incremental).toEqual(full);
}

describe('coverage service, incremental recompute', () => {
  it('recomputes every commune for a write when it does not know the radios before it', async () => {
    const { fake, service } = setup();
    const ids = fake.add(1, 'viettel', at(2, 2), [['4G', 500]]);
    const codes = await service.affectedCommunes(ids);
    expect(codes).toHaveLength(25);
    await service.recompute({ codes, trigger: 'import' });
    expect(fake.runs.at(-1)).toMatchObject({ scope: 'communes', communes: 25 });
    // That run was of every commune: the next write is incremental.
    expect(await service.affectedCommunes(fake.move(1, at(2, 3)))).toEqual(['00022', '00023']);
  });

  it('after a full run, a write reaches the communes around the old and the new position only', async () => {
    const { fake, service } = setup();
    await service.recompute({ trigger: 'start' });
    const ids = fake.add(1, 'viettel', at(0, 0), [['4G', 500]]);
    expect(await service.affectedCommunes(ids)).toEqual(['00000']);
    await service.recompute({ codes: ['00000'], trigger: 'import' });

    // Moved from the corner cell to the far corner: both cells, and only those.
    const moved = fake.move(1, at(4, 4));
    const codes = await service.affectedCommunes(moved);
    expect(codes).toEqual(['00000', '00044']);
    await service.recompute({ codes, trigger: 'import' });
    expect(fake.stored.get('00000|4G|viettel')!.runId).toBe(fake.runs.length);
    await expectSameAsFull(fake);

    // Near a corner, a 2 km footprint reaches the four cells around it.
    const near = fake.move(1, at(2, 2, SIDE_M / 2 - 10, SIDE_M / 2 - 10));
    await service.recompute({ codes: await service.affectedCommunes(near), trigger: 'import' });
    await expectSameAsFull(fake);

    const off = fake.offAir(100 + 22);
    const offCodes = await service.affectedCommunes(off);
    expect(offCodes).toContain('00022');
    expect(offCodes.length).toBeLessThan(25);
    await service.recompute({ codes: offCodes, trigger: 'import' });
    await expectSameAsFull(fake);
  });

  it('catches up with writes it was not told of by comparing every radio', async () => {
    const { fake, service } = setup();
    await service.recompute({ trigger: 'start' });
    fake.silently(() => fake.move(100, at(3, 3))); // another process: version + 1, no call here
    const ids = fake.move(101, at(1, 4));
    const codes = await service.affectedCommunes(ids);
    expect(codes).toEqual(expect.arrayContaining(['00000', '00033', '00001', '00014']));
    expect(codes.length).toBeLessThan(25);
    await service.recompute({ codes, trigger: 'import' });
    await expectSameAsFull(fake);
  });

  it('recomputes every commune when an operator gets its first radio of a technology', async () => {
    const { fake, service } = setup();
    await service.recompute({ trigger: 'start' });
    const ids = fake.add(2, 'mobifone', at(1, 1), [['5G', 300]]);
    const codes = await service.affectedCommunes(ids);
    expect(codes).toHaveLength(25);
    await service.recompute({ codes, trigger: 'import' });
    expect(fake.stored.get('00044|5G|mobifone')).toMatchObject({ coveredKm2: 0 });
    await expectSameAsFull(fake);
  });

  it('after a failed run, trusts nothing it kept: the next write recomputes every commune', async () => {
    const { fake, service } = setup();
    await service.recompute({ trigger: 'start' });
    const ids = fake.move(100, at(4, 0));
    const codes = await service.affectedCommunes(ids);
    fake.failSaves.next = true;
    await expect(service.recompute({ codes, trigger: 'import' })).rejects.toThrow('disk full');
    expect(await service.affectedCommunes(fake.move(101, at(4, 1)))).toHaveLength(25);
  });

  it('a new service takes the radios as they are when the last runs are consistent with them (warm)', async () => {
    const { fake, service } = setup();
    await service.recompute({ trigger: 'start' });
    const restarted = createCoverageService(fake.repo);
    await restarted.warm();
    const codes = await restarted.affectedCommunes(fake.move(100, at(0, 1)));
    expect(codes).toEqual(expect.arrayContaining(['00000', '00001']));
    expect(codes.length).toBeLessThan(10);
    await restarted.recompute({ codes, trigger: 'import' });
    await expectSameAsFull(fake);

    // A failed run since the last full one: no longer trusted after a restart.
    fake.failSaves.next = true;
    await expect(restarted.recompute({ codes: ['00000'], trigger: 'import' })).rejects.toThrow();
    const again = createCoverageService(fake.repo);
    await again.warm();
    expect(await again.affectedCommunes(fake.move(100, at(0, 2)))).toHaveLength(25);
  });
});

/**
 * The proof of the coverage figures: for the SYNTHETIC demo stations, the engine's per-commune
 * area % (as stored by the service's recompute) against the exact PostGIS computation
 * (`exactPostgisCoverage`: footprints in UTM 48N, ST_Union, ST_Intersection, ST_Area, with the
 * same radii), within 0.5 points for every commune, technology and group checked. A subset of
 * communes runs on both engines; the whole province on the server engine only (about twice as
 * fast as the embedded one for these unions): all operators combined for each technology, plus the
 * operators whose figures are partial (Gmobile for 2G–4G, the three 5G operators). The other
 * operators' 2G–4G figures are 100 % nearly everywhere and cost most of the union time:
 * `npm run bench:coverage` checks all 22 groups (same SQL) and prints the largest difference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoverageRepo } from '../../server/coverage/coverage.repo';
import { createCoverageService } from '../../server/coverage/coverage.service';
import { toEngineRadios } from '../../server/coverage/coverage.model';
import type { CoverageFigure, CoverageRadio } from '../../server/coverage/engine/index';
import { loadDemoStations } from '../../server/stations/demo/load-demo';
import { compareFigures, exactPostgisCoverage, type ReferenceGroup } from '../../scripts/bench-coverage';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';

/** The agreement the issue asks for, percentage points. */
const TOLERANCE_PTS = 0.5;

/**
 * Phường: Việt Trì, Vân Phú, Vĩnh Phúc, Xuân Hoà (96 km², partly covered by Gmobile); xã of the
 * plain with the most 5G: Tề Lỗ, Liên Châu (Gmobile 3G 7 %); the largest mountain xã: Xuân Đài,
 * Nật Sơn, Mai Châu, Quy Đức, Tân Mai; and Phù Ninh in the midlands.
 */
const SUBSET = ['07900', '07918', '08716', '08746', '09040', '09064', '08590', '04990', '05200', '04873', '05206', '08230'];
/** For each technology 'all' and one operator: Gmobile's few sites leave gaps in 2G–4G; it has no 5G. */
const SUBSET_GROUPS: ReferenceGroup[] = [
  ...(['2G', '3G', '4G', '5G'] as const).map((technology) => ({ technology, operator: 'all' })),
  ...(['2G', '3G', '4G'] as const).map((technology) => ({ technology, operator: 'gmobile' })),
  { technology: '5G', operator: 'viettel' },
];

describe.each(ENGINES)('coverage figures against exact PostGIS on the %s engine', (engine) => {
  let db: TestDatabase;
  let figures: CoverageFigure[];
  let radios: CoverageRadio[];
  /** Read from the database, not restated from the demo set. */
  let communeCount: number;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    await loadDemoStations(db.knex);
    const repo = createCoverageRepo(db.knex);
    const run = await createCoverageService(repo).recompute({ trigger: 'test' });
    figures = await repo.figures({});
    const last = await repo.lastRun();
    communeCount = Number((await db.knex.raw('SELECT count(*) AS n FROM communes')).rows[0].n);
    expect(communeCount).toBeGreaterThan(SUBSET.length);
    expect(last).toMatchObject({ id: run.runId, scope: 'full', communes: communeCount });
    // The radii the service used: same radios on the run's date, same link budget.
    const communes = await repo.communes();
    radios = toEngineRadios(await repo.activeRadios(last!.asOf), new Map(communes.map((c) => [c.code, c])));
    expect(radios.length).toBe(run.radios);
  });
  afterAll(async () => {
    await db?.close();
  });

  async function prove(groups: readonly ReferenceGroup[], codes?: readonly string[]) {
    const started = performance.now();
    const exact = await exactPostgisCoverage(db.knex, radios, groups, { codes });
    const cmp = compareFigures(exact.figures, figures);
    const label = `${engine}, ${codes ? `${codes.length} communes` : 'every commune'} × ${groups.length} groups`;
    console.log(
      `coverage proof (${label}): ${cmp.rows.length} figures, max |Δ| ${cmp.max.toFixed(4)} points ` +
        `(${cmp.worst.communeCode} ${cmp.worst.technology}/${cmp.worst.operator}: engine ${cmp.worst.enginePct.toFixed(3)} %, PostGIS ${cmp.worst.areaPct.toFixed(3)} %), ` +
        `mean ${cmp.mean.toFixed(5)}; PostGIS ${((performance.now() - started) / 1000).toFixed(1)} s ` +
        `(${exact.footprints} footprints in ${(exact.setupMs / 1000).toFixed(1)} s)`,
    );
    expect(cmp.rows).toHaveLength((codes?.length ?? communeCount) * groups.length);
    const off = cmp.rows.filter((r) => !(r.diff <= TOLERANCE_PTS))
      .map((r) => `${r.communeCode} ${r.technology}/${r.operator}: engine ${r.enginePct.toFixed(3)} %, PostGIS ${r.areaPct.toFixed(3)} %`);
    expect(off).toEqual([]);
    return cmp;
  }

  it('agrees within 0.5 points on 12 communes, all four technologies', async () => {
    const cmp = await prove(SUBSET_GROUPS, SUBSET);
    // Not a vacuous proof: part of the figures are partial coverage, not 0 or 100 %.
    expect(cmp.rows.filter((r) => r.areaPct > 1 && r.areaPct < 99).length).toBeGreaterThanOrEqual(12);
  }, 180_000);

  it.runIf(engine === 'server')('agrees within 0.5 points for every commune and technology', async () => {
    const groups: ReferenceGroup[] = [
      ...SUBSET_GROUPS,
      { technology: '5G', operator: 'vnpt' },
      { technology: '5G', operator: 'mobifone' },
    ];
    await prove(groups);
  }, 240_000);
});

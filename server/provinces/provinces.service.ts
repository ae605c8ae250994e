import { BOUNDARY_ATTRIBUTION } from '../communes/communes.schema';
import type { CommunesService } from '../communes/communes.service';
import { stampedCache } from '../db/versioned-cache';
import { NotFoundError } from '../errors';
import { evaluateTarget } from '../summary/progress';
import { provinceValues } from '../summary/indicators';
import type { SummaryService } from '../summary/summary.service';
import { PCT_METRICS, type MetricValues } from '../targets/metrics';
import type { Target } from '../targets/targets.schema';
import type { TargetsService } from '../targets/targets.service';
import type { ProvincesRepo } from './provinces.repo';
import type { Province } from './provinces.schema';
import { targetsOfProvince, targetsOfScope, type Scope } from './scope';

export interface ProvincesServiceDeps {
  repo: ProvincesRepo;
  communes: CommunesService;
  summary: SummaryService;
  targets: TargetsService;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
const sum = (xs: ReadonlyArray<number | null>) => xs.reduce<number>((s, x) => s + (x ?? 0), 0);

/**
 * The provinces the database holds, each with its figures against the targets that apply to it
 * (its own and the national ones), and the country's roll-up against the national targets. The
 * figures are the summary's own (`/api/summary?province=`), so the two never disagree.
 */
export function createProvincesService(deps: ProvincesServiceDeps) {
  const cached = stampedCache(() => deps.communes.dataVersions(), 4);

  async function figuresOf(scope: Scope, targets: readonly Target[]) {
    const s = await deps.summary.state(scope);
    const all = provinceValues(s.rollup, s.fiber.province, null);
    const values: MetricValues = Object.fromEntries(PCT_METRICS.map((m) => [m, all[m] ?? null]));
    const base = { population: sum(s.communes.map((c) => c.population)), households: s.fiber.province.households };
    return {
      communes: s.communes.length, population: base.population, households: sum(s.communes.map((c) => c.households)),
      populationUnknown: s.communes.filter((c) => c.population === null).length,
      areaKm2: round3(sum(s.communes.map((c) => c.areaKm2))),
      values,
      targets: targets.map((t) => {
        const status = evaluateTarget(t, values, s.values, base);
        return { code: t.code, metric: t.metric, threshold: t.threshold, deadlineYear: t.deadlineYear, provinceCode: t.provinceCode, value: status.value, met: status.met };
      }),
    };
  }

  async function build() {
    const [rows, targets] = await Promise.all([deps.repo.list(true), deps.targets.list()]);
    const items = await Promise.all(rows.map(async ({ outline, ...row }) => ({
      province: { ...row, ...(await figuresOf(row.code, targetsOfProvince(targets, row.code))) } as Province,
      outline: outline ? (JSON.parse(outline) as GeoJSON.MultiPolygon) : null,
    })));
    const country = await figuresOf(null, targetsOfScope(targets, null));
    return { items, country };
  }
  const all = () => cached('all', build);

  return {
    async list() {
      const { items, country } = await all();
      return { count: items.length, country, items: items.map((i) => i.province) };
    },

    async get(code: string): Promise<Province> {
      const found = (await all()).items.find((i) => i.province.code === code);
      if (!found) throw new NotFoundError(`no communes of province ${code} are held`);
      return found.province;
    },

    async featureCollection() {
      const { items } = await all();
      return {
        type: 'FeatureCollection' as const,
        attribution: BOUNDARY_ATTRIBUTION,
        features: items.filter((i) => i.outline).map((i) => ({ type: 'Feature' as const, id: Number(i.province.code), properties: i.province, geometry: i.outline! })),
      };
    },
  };
}

export type ProvincesService = ReturnType<typeof createProvincesService>;

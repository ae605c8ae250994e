import type { BroadbandService } from '../broadband/broadband.service';
import type { CommunesService } from '../communes/communes.service';
import { ALL_OPERATORS, TECHNOLOGIES, provinceRollup, type CoverageFigure, type ProvinceFigure } from '../coverage/engine/index';
import { staleFor, type CoverageService } from '../coverage/coverage.service';
import { NotFoundError } from '../errors';
import { COUNT_METRICS, METRIC_LABELS, isPctMetric, metricSpec, type CountMetric, type Metric, type MetricValues, type PctMetric } from '../targets/metrics';
import type { ReportedFigure } from '../targets/targets.schema';
import type { TargetsService } from '../targets/targets.service';
import { computeGaps } from './gaps';
import type { HistoryService } from './history.service';
import { communeValues, provinceValues } from './indicators';
import { evaluateTarget } from './progress';
import type { HistoryQuery } from './summary.schema';
import type { SummaryRepo } from './summary.repo';
import { stampedCache } from '../db/versioned-cache';
import { provinceFiber } from '../broadband/fiber';
import { targetsOfScope, type Scope } from '../provinces/scope';

type GapsRequest = { target?: number | string; metric?: PctMetric; threshold?: number };

export interface SummaryServiceDeps {
  coverage: CoverageService;
  broadband: BroadbandService;
  targets: TargetsService;
  communes: CommunesService;
  sites: SummaryRepo;
  history: HistoryService;
  today?: () => string;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
const sum = (xs: ReadonlyArray<number | null>) => xs.reduce<number>((s, x) => s + (x ?? 0), 0);

/** Views kept by the cache at most (see createSummaryService). */
const MAX_VIEWS = 1024;

/** Gaps, the province at a glance, history series and the per-commune report. */
export function createSummaryService(deps: SummaryServiceDeps) {
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));
  // The views are computed from a few thousand rows each time they change, not at each request:
  // one small query tells whether anything they read has been written since.
  // Per scope (each of up to 34 provinces, and the country) a state and a summary, and a gaps list
  // per target asked: the default 64 entries would evict the shared state under national reads
  // (bench:national's random provinces), so room for every scope several times over.
  const cached = stampedCache(async () => `${today()}|${await deps.sites.dataVersions()}`, MAX_VIEWS);

  /** Everything the views share: communes, today's coverage figures (all operators), the latest fiber figures. */
  const everything = () => cached('state', computeState);
  async function computeState() {
    const [communes, coverage, fiber] = await Promise.all([deps.communes.list(), deps.coverage.figures({}), deps.broadband.figures()]);
    const values = communeValues(communes.map((c) => c.code), coverage.figures, fiber.communes);
    const coverageMeta = {
      computedAt: coverage.computedAt, asOf: coverage.asOf, modelVersion: coverage.modelVersion, stale: coverage.stale,
      populationModel: coverage.populationModel, terrainModel: coverage.terrainModel,
    };
    return { scope: null as Scope, communes, coverage, coverageMeta, fiber, values, rollup: provinceRollup(coverage.figures) };
  }

  /** The same, for one province (its communes, their figures, its roll-ups), or the country (scope null). */
  const state = (scope: Scope = null) => (scope === null ? everything() : cached(`state|${scope}`, () => computeScoped(scope)));
  async function computeScoped(scope: string) {
    const s = await everything();
    const communes = s.communes.filter((c) => c.provinceCode === scope);
    const codes = new Set(communes.map((c) => c.code));
    const figures = s.coverage.figures.filter((f) => codes.has(f.communeCode));
    const fiberCommunes = s.fiber.communes.filter((c) => codes.has(c.communeCode));
    return {
      scope: scope as Scope, communes, coverage: { ...s.coverage, figures }, coverageMeta: { ...s.coverageMeta, stale: staleFor(s.coverage, scope) },
      fiber: { ...s.fiber, communes: fiberCommunes, province: provinceFiber(fiberCommunes, communes.length) },
      values: new Map([...s.values].filter(([code]) => codes.has(code))), rollup: provinceRollup(figures),
    };
  }

  function coverageOf(figures: readonly CoverageFigure[], metric: PctMetric) {
    const spec = metricSpec(metric);
    if (spec.kind !== 'coverage') return undefined;
    return new Map(figures.filter((f) => f.operator === ALL_OPERATORS && f.technology === spec.technology).map((f) => [f.communeCode, f]));
  }

  async function resolveTarget(q: { target?: number | string; metric?: PctMetric; threshold?: number }) {
    const target = q.target !== undefined ? await deps.targets.get(q.target) : null;
    return { target, metric: target?.metric ?? q.metric!, threshold: target?.threshold ?? q.threshold! };
  }

  async function communeOrThrow(code: string) {
    const commune = (await deps.communes.list()).find((c) => c.code === code);
    if (!commune) throw new NotFoundError(`no commune with code ${code}`);
    return commune;
  }

  async function thresholds(scope: Scope, metric?: Metric) {
    return targetsOfScope(await deps.targets.list(), scope)
      .filter((t) => !metric || t.metric === metric)
      .map((t) => ({ id: t.id, code: t.code, metric: t.metric, threshold: t.threshold, deadlineYear: t.deadlineYear, scope: t.scope }));
  }

  function pick(figures: MetricValues, metric?: Metric): MetricValues {
    return metric ? { [metric]: figures[metric] ?? null } : figures;
  }

  /** Communes below a target (or a metric and threshold), largest shortfall first. */
  async function gapsOf(q: GapsRequest, scope: Scope) {
    const { target, metric, threshold } = await resolveTarget(q);
    const s = await state(scope);
    const result = computeGaps(s.communes, s.values, { metric, threshold }, coverageOf(s.coverage.figures, metric));
    const spec = metricSpec(metric);
    return {
      target, label: METRIC_LABELS[metric], communesTotal: s.communes.length, communesBelow: result.items.length,
      ...(spec.kind === 'coverage' ? { coverage: s.coverageMeta } : { fiber: { synthetic: s.fiber.synthetic, operators: s.fiber.province.operators, asOf: s.fiber.province.asOf } }),
      ...result,
    };
  }

  async function computeSummary(scope: Scope) {
    const asOf = today();
    const where = scope === null ? {} : { province: scope };
    const [s, sites, kinds, allTargets, allReported] = await Promise.all([
      state(scope), deps.sites.siteCounts(asOf, where), deps.sites.stationKinds(where), deps.targets.list(), deps.targets.reported(),
    ]);
    const targets = targetsOfScope(allTargets, scope);
    const reported = allReported.filter((r) => r.provinceCode === scope);
    const province = provinceValues(s.rollup, s.fiber.province, sites.totals);
    const base = { population: sum(s.communes.map((c) => c.population)), households: s.fiber.province.households };
    const notes: string[] = [];
    if (kinds.demo > 0) notes.push(`${kinds.demo} of ${kinds.demo + kinds.real} stations are SYNTHETIC demo data (DEMO_DATA): coverage and station counts are illustrations, not measurements.`);
    if (s.fiber.synthetic) notes.push('Some fiber figures are SYNTHETIC demo data.');
    if (s.fiber.province.communesWithData < s.communes.length) notes.push(`Fiber figures exist for ${s.fiber.province.communesWithData} of ${s.communes.length} communes; fiber percentages are over those.`);
    const unknown = s.communes.filter((c) => c.population === null).length;
    if (unknown > 0) notes.push(`Population unknown for ${unknown} of ${s.communes.length} communes: the population and households and the population-weighted coverage are over the other ${s.communes.length - unknown}; area figures include all.`);
    notes.push('Coverage is a planning estimate of outdoor signal from a propagation model, not a measurement (README, "The coverage model").');
    return {
      asOf,
      notes,
      province: {
        communes: s.communes.length, population: base.population, households: sum(s.communes.map((c) => c.households)),
        areaKm2: round3(sum(s.communes.map((c) => c.areaKm2))),
      },
      stations: { asOf, sites: sites.totals.sites_count, ...sites.totals, byTechnology: sites.byTechnology, byOperator: sites.byOperator, demoStations: kinds.demo, realStations: kinds.real, synthetic: kinds.demo > 0 },
      coverage: { ...s.coverageMeta, technologies: byTechnology(s.rollup, ALL_OPERATORS), operators: byOperator(s.rollup) },
      fiber: { ...s.fiber.province, synthetic: s.fiber.synthetic },
      targets: targets.map((t) => ({ ...t, label: METRIC_LABELS[t.metric], status: evaluateTarget(t, province, s.values, base) })),
      reported: await compareReported(reported, s, province, where),
    };
  }

  /** What a request with `province=` (or without) is about, and the communes of a province only. */
  const scopeOf = (province?: string) => deps.communes.resolveScope(province);

  return {
    /** Communes below a target (or a metric and threshold), largest shortfall first. */
    async gaps(q: GapsRequest & { province?: string }) {
      const scope = await scopeOf(q.province);
      return cached(`gaps|${scope ?? ''}|${q.target ?? ''}|${q.metric ?? ''}|${q.threshold ?? ''}`, () => gapsOf(q, scope));
    },

    /** A province (or the country) at a glance: stations, coverage, fiber, targets met or not, reported next to computed. */
    async summary(q: { province?: string } = {}) {
      const scope = await scopeOf(q.province);
      return cached(`summary|${scope ?? ''}`, () => computeSummary(scope));
    },

    /** The views of one scope, for the provinces' list (server/provinces/). */
    state,

    async communeHistory(code: string, q: HistoryQuery) {
      const commune = await communeOrThrow(code);
      const items = await deps.history.series({ commune: code }, q);
      return { code, name: commune.name, metric: q.metric ?? null, targets: await thresholds(commune.provinceCode, q.metric), count: items.length, items: items.map((p) => ({ ...p, figures: pick(p.figures, q.metric) })) };
    },

    async provinceHistory(q: HistoryQuery & { province?: string }) {
      const scope = await scopeOf(q.province);
      const items = await deps.history.series({ province: scope }, q);
      return { metric: q.metric ?? null, targets: await thresholds(scope, q.metric), count: items.length, items: items.map((p) => ({ ...p, figures: pick(p.figures, q.metric) })) };
    },

    /** What the printable report of one commune shows. */
    async communeReport(code: string) {
      const detail = (await deps.communes.get(code, 'display')).properties;
      const asOf = today();
      const [s, sites, kinds, targets, history] = await Promise.all([
        state(), deps.sites.siteCounts(asOf, { commune: code }), deps.sites.stationKinds(), deps.targets.list(), deps.history.series({ commune: code }, { limit: 12 }),
      ]);
      const figures = s.coverage.figures.filter((f) => f.communeCode === code);
      const commune = s.communes.find((c) => c.code === code)!;
      const values = s.values.get(code) ?? {};
      return {
        generatedAt: new Date(), commune: detail, coverage: { ...s.coverageMeta, figures }, values,
        stations: sites, syntheticStations: kinds.demo > 0,
        fiber: s.fiber.communes.find((c) => c.communeCode === code) ?? null, syntheticFiber: s.fiber.synthetic,
        targets: targetsOfScope(targets, commune.provinceCode).map((t) => {
          const gap = computeGaps([commune], s.values, t, coverageOf(figures, t.metric)).items[0] ?? null;
          return { target: t, value: values[t.metric] ?? null, gap };
        }),
        history,
      };
    },
  };

  /** Each reported figure with the computed one it compares with: counts and fiber on the reported date, coverage from the stored run. */
  async function compareReported(reported: ReportedFigure[], s: Awaited<ReturnType<typeof state>>, province: MetricValues, where: { province?: string }) {
    const sitesOn = memo((d: string) => deps.sites.siteCounts(d, where));
    const codes = new Set(s.communes.map((c) => c.code));
    const fiberOn = memo(async (d: string) => {
      const all = await deps.broadband.figures({ asOf: d });
      const communes = all.communes.filter((c) => codes.has(c.communeCode));
      return { ...all, communes, province: provinceFiber(communes, s.communes.length) };
    });
    return Promise.all(reported.map(async (r) => {
      const metric = r.metric as Metric | null;
      if (!metric || !(isPctMetric(metric) || (COUNT_METRICS as readonly string[]).includes(metric))) return { ...r, computed: null };
      if (isPctMetric(metric) && metricSpec(metric).kind === 'coverage') {
        const value = r.operator ? provinceValues(s.rollup, s.fiber.province, null, r.operator)[metric] : province[metric];
        return { ...r, computed: value === undefined || value === null ? null : { value, asOf: s.coverageMeta.asOf, label: METRIC_LABELS[metric] } };
      }
      if (r.operator) return { ...r, computed: null };
      if (metric.startsWith('sites_')) {
        return { ...r, computed: { value: (await sitesOn(r.asOf)).totals[metric as Exclude<CountMetric, 'fiber_subscriptions_count'>], asOf: r.asOf, label: METRIC_LABELS[metric] } };
      }
      const fiber = await fiberOn(r.asOf);
      const value = provinceValues([], fiber.province, null)[metric];
      return { ...r, computed: value === undefined || value === null ? null : { value, asOf: fiber.province.asOf ?? r.asOf, label: METRIC_LABELS[metric] } };
    }));
  }
}

export type SummaryService = ReturnType<typeof createSummaryService>;

/** A province roll-up per technology for one operator (or 'all'), rounded as the summary shows it. */
export function byTechnology(rollup: readonly ProvinceFigure[], operator: string) {
  const out: Record<string, { areaPct: number; populationPct: number; coveredKm2: number; coveredPopulation: number; areaKm2: number; population: number }> = {};
  for (const t of TECHNOLOGIES) {
    const f = rollup.find((x) => x.technology === t && x.operator === operator);
    if (f) out[t] = { areaPct: round3(f.areaPct), populationPct: round3(f.populationPct), coveredKm2: round3(f.coveredKm2), coveredPopulation: Math.round(f.coveredPopulation), areaKm2: round3(f.areaKm2), population: Math.round(f.population) };
  }
  return out;
}

function byOperator(rollup: readonly ProvinceFigure[]) {
  const operators = [...new Set(rollup.map((f) => f.operator).filter((o) => o !== ALL_OPERATORS))].sort();
  return Object.fromEntries(operators.map((o) => [o, byTechnology(rollup, o)]));
}

function memo<T>(f: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, f(key));
    return cache.get(key)!;
  };
}


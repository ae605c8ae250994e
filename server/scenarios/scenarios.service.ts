import { ALL_OPERATORS, TECHNOLOGIES, type CoverageFigure, type ProvinceFigure, type Technology } from '../coverage/engine/index';
import { InvalidFileError, NotFoundError, ValidationError, type IssueLocation } from '../errors';
import type { Principal } from '../auth/tokens.service';
import { lastKeyCache } from '../db/versioned-cache';
import { DEFAULT_OPERATORS } from '../stations/stations.schema';
import { communeValues } from '../summary/indicators';
import { evaluateTarget } from '../summary/progress';
import { byTechnology } from '../summary/summary.service';
import { metricSpec, type MetricValues } from '../targets/metrics';
import type { TargetsService } from '../targets/targets.service';
import { actorOf, assertCanWorkFor, assertToken, assertVisible, ownerOf } from './access';
import { checkChanges, type ScenarioChange } from './changes';
import type { CoverageEvaluator } from './evaluator';
import { buildBaseline, evaluateScenario, type Baseline } from './scenario-eval';
import type { ScenarioCreate, ScenarioPatch } from './scenarios.schema';
import type { ScenarioRecord, ScenariosRepo } from './scenarios.repo';

/** Bad changes: 422 with the index (`row`) and field (`column`) of each; nothing is stored. */
export class InvalidChangesError extends InvalidFileError {
  override name = 'InvalidChangesError';
}

/** What a scenario needs of a plan to be made from it. */
export interface PlanSource {
  sitesOf(principal: Principal, planId: number): Promise<ScenarioChange[]>;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

export function createScenariosService(deps: { repo: ScenariosRepo; evaluator: CoverageEvaluator; targets: TargetsService; plans?: PlanSource; today?: () => string }) {
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));
  const ev = deps.evaluator;
  // The baseline of one (date, communes, stations version): read and computed once, shared by concurrent callers.
  const baselines = lastKeyCache(async (key: string): Promise<Baseline> => {
    const asOf = key.split('|')[0];
    const [communes, on] = await Promise.all([ev.communes(), ev.radiosOn(asOf)]);
    const engine = await ev.engineRadios(on.radios, new Map(communes.map((c) => [c.code, c])));
    return buildBaseline(asOf, communes, on.radios, on.known, [...DEFAULT_OPERATORS, ...on.radios.map((r) => r.operator)], ev, engine);
  });
  const baseline = async (asOf: string) => baselines(`${asOf}|${await ev.communesStamp()}|${await ev.radiosVersion()}`);

  async function checked(principal: Principal, changes: readonly ScenarioChange[]) {
    // Operators named in the changes themselves are checked before anything is read.
    assertCanWorkFor(principal, changes.flatMap((c) => (c.kind === 'add' ? [c.operator] : [])));
    const base = await baseline(today());
    assertCanWorkFor(principal, changes.flatMap((c) => (c.kind !== 'add' ? [base.stations.get(c.stationId)?.operator].filter((x): x is string => !!x) : [])));
    const issues: IssueLocation[] = checkChanges(changes, base.context);
    if (issues.length) throw new InvalidChangesError(`${issues.length} change${issues.length > 1 ? 's are' : ' is'} not valid; nothing was stored`, issues);
  }

  async function visible(principal: Principal, id: number): Promise<ScenarioRecord> {
    assertToken(principal);
    const s = await deps.repo.get(id);
    if (!s) throw new NotFoundError(`no scenario ${id}`);
    assertVisible(principal, s.ownerOperator, `scenario ${id}`);
    return s;
  }

  async function evaluate(principal: Principal, id: number, asOf = today()) {
    const s = await visible(principal, id);
    const base = await baseline(asOf);
    return { s, base, result: evaluateScenario(base, s.changes, ev) };
  }

  return {
    async create(principal: Principal, body: ScenarioCreate) {
      assertToken(principal);
      let changes: ScenarioChange[];
      let fromPlanId: number | null = null;
      if ('fromPlan' in body) {
        if (!deps.plans) throw new ValidationError('plans are not available here');
        changes = await deps.plans.sitesOf(principal, body.fromPlan);
        fromPlanId = body.fromPlan;
      } else changes = body.changes as ScenarioChange[];
      await checked(principal, changes);
      return { id: await deps.repo.insert({ name: body.name, changes, fromPlanId, ownerOperator: ownerOf(principal), createdBy: actorOf(principal) }) };
    },

    async list(principal: Principal) {
      assertToken(principal);
      const items = await deps.repo.list(ownerOf(principal));
      return { count: items.length, items };
    },

    get: (principal: Principal, id: number) => visible(principal, id),

    async patch(principal: Principal, id: number, patch: ScenarioPatch) {
      const s = await visible(principal, id);
      assertCanWorkFor(principal, s.ownerOperator ? [s.ownerOperator] : []);
      if (patch.changes) await checked(principal, patch.changes as ScenarioChange[]);
      await deps.repo.update(id, { name: patch.name, changes: patch.changes as ScenarioChange[] | undefined });
      return visible(principal, id);
    },

    async remove(principal: Principal, id: number) {
      await visible(principal, id);
      await deps.repo.remove(id);
    },

    /** The province's figures with the scenario applied, each target met or not, and the difference from today. */
    async summary(principal: Principal, id: number, asOf?: string) {
      const { s, base, result } = await evaluate(principal, id, asOf);
      const rollup = ev.rollup(result.figures);
      const baseRollup = ev.rollup(base.figures);
      const codes = base.communes.map((c) => c.code);
      const values = communeValues(codes, result.figures, []);
      const baseValues = communeValues(codes, base.figures, []);
      const population = base.communes.reduce((a, c) => a + c.population, 0);
      const province = provinceCoverageValues(rollup);
      const baseProvince = provinceCoverageValues(baseRollup);
      const targets = (await deps.targets.list()).filter((t) => metricSpec(t.metric).kind === 'coverage').map((t) => {
        const st = evaluateTarget(t, province, values, { population, households: 0 });
        const bt = evaluateTarget(t, baseProvince, baseValues, { population, households: 0 });
        return {
          id: t.id, code: t.code, title: t.title, metric: t.metric, threshold: t.threshold, scope: t.scope,
          status: { value: st.value, met: st.met, distancePts: st.distancePts, communesBelow: st.communesBelow, peopleToReach: st.peopleToReach },
          baseline: { value: bt.value, met: bt.met },
        };
      });
      const names = new Map(base.communes.map((c) => [c.code, c.name]));
      const communes = codes.flatMap((code) => {
        const v = values.get(code) ?? {};
        const b = baseValues.get(code) ?? {};
        const metrics: Record<string, { value: number; baseline: number; difference: number }> = {};
        for (const [m, value] of Object.entries(v)) {
          const was = b[m as keyof MetricValues];
          if (typeof value === 'number' && typeof was === 'number' && Math.abs(value - was) > 5e-4) metrics[m] = { value, baseline: was, difference: round3(value - was) };
        }
        return Object.keys(metrics).length ? [{ code, name: names.get(code) ?? '', metrics }] : [];
      });
      const techs = byTechnology(rollup, ALL_OPERATORS);
      const baseTechs = byTechnology(baseRollup, ALL_OPERATORS);
      return {
        scenario: { id: s.id, name: s.name, changes: s.changes.length },
        asOf: base.asOf, computedAt: new Date().toISOString(), modelVersion: ev.modelVersion, populationModel: ev.populationModel(), terrainModel: ev.terrainModel(), evaluationMs: result.evaluationMs,
        skipped: result.skipped,
        notes: ['A scenario is a draft: its figures are never mixed into the official ones.', 'Coverage is a planning estimate of outdoor signal from a propagation model, not a measurement.'],
        province: { communes: base.communes.length, population, areaKm2: round3(base.communes.reduce((a, c) => a + c.areaKm2, 0)) },
        coverage: { technologies: techs, operators: Object.fromEntries([...new Set(rollup.map((f) => f.operator).filter((o) => o !== ALL_OPERATORS))].sort().map((o) => [o, byTechnology(rollup, o)])) },
        baseline: { technologies: baseTechs },
        difference: {
          technologies: Object.fromEntries(Object.entries(techs).map(([t, f]) => {
            const b = baseTechs[t] ?? { areaPct: 0, populationPct: 0, coveredPopulation: 0, coveredKm2: 0 };
            return [t, { areaPct: round3(f.areaPct - b.areaPct), populationPct: round3(f.populationPct - b.populationPct), coveredPopulation: f.coveredPopulation - b.coveredPopulation, coveredKm2: round3(f.coveredKm2 - b.coveredKm2) }];
          })),
        },
        targets,
        communes,
      };
    },

    /** Every commune's figures with the scenario applied, as /api/coverage, each with its baseline and difference. */
    async coverage(principal: Principal, id: number, q: { asOf?: string; technology?: Technology; operator?: string }) {
      const { s, base, result } = await evaluate(principal, id, q.asOf);
      const keep = (f: { technology: Technology; operator: string }) => (!q.technology || f.technology === q.technology) && (!q.operator || f.operator === q.operator);
      const key = (f: { communeCode?: string; technology: string; operator: string }) => `${f.communeCode ?? ''}|${f.technology}|${f.operator}`;
      const withDiff = <F extends { technology: Technology; operator: string; areaPct: number; populationPct: number; coveredPopulation: number; coveredKm2: number }>(list: F[], baseList: F[]) => {
        const was = new Map(baseList.map((f) => [key(f), f]));
        return list.filter(keep).map((f) => {
          const b = was.get(key(f));
          const baseline = { areaPct: b?.areaPct ?? 0, populationPct: b?.populationPct ?? 0, coveredPopulation: b?.coveredPopulation ?? 0, coveredKm2: b?.coveredKm2 ?? 0 };
          return { ...f, baseline, difference: { areaPct: f.areaPct - baseline.areaPct, populationPct: f.populationPct - baseline.populationPct, coveredPopulation: f.coveredPopulation - baseline.coveredPopulation, coveredKm2: f.coveredKm2 - baseline.coveredKm2 } };
        });
      };
      return {
        scenario: { id: s.id, name: s.name },
        computedAt: new Date().toISOString(), asOf: base.asOf, modelVersion: ev.modelVersion, stale: false, populationModel: ev.populationModel(), terrainModel: ev.terrainModel(),
        province: withDiff(ev.rollup(result.figures), ev.rollup(base.figures)),
        communes: withDiff(result.figures, base.figures),
      };
    },
  };
}

export type ScenariosService = ReturnType<typeof createScenariosService>;

function provinceCoverageValues(rollup: readonly ProvinceFigure[]): MetricValues {
  const v: MetricValues = {};
  for (const t of TECHNOLOGIES) {
    const f = rollup.find((x) => x.technology === t && x.operator === ALL_OPERATORS);
    v[`${t.toLowerCase()}_area_pct` as keyof MetricValues] = f ? round3(f.areaPct) : null;
    v[`${t.toLowerCase()}_population_pct` as keyof MetricValues] = f ? round3(f.populationPct) : null;
  }
  return v;
}


export type { CoverageFigure };

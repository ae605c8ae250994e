import type { Principal } from '../auth/tokens.service';
import type { Technology } from '../coverage/engine/index';
import { NotFoundError, ValidationError } from '../errors';
import type { Jobs } from '../jobs/jobs';
import { metricSpec } from '../targets/metrics';
import type { TargetsService } from '../targets/targets.service';
import { actorOf, assertCanWorkFor, assertToken, assertVisible, ownerOf } from '../scenarios/access';
import type { ScenarioChange } from '../scenarios/changes';
import type { CoverageEvaluator, ModelSources } from '../scenarios/evaluator';
import type { PlanCreate } from './plans.schema';
import type { PlanRecord, PlansRepo } from './plans.repo';
import type { PlanInput, PlanRequest, PlanResult } from './planner';
import { runPlanInWorker } from './plan-runner';

export type StoredPlanResult = PlanResult & { asOf: string };

export interface PlansServiceDeps {
  repo: PlansRepo;
  evaluator: CoverageEvaluator;
  targets: TargetsService;
  jobs: Jobs;
  /** Runs the heavy loop; a worker thread by default. */
  run?: (input: PlanInput, onProgress: (percent: number) => void, sources: ModelSources) => Promise<PlanResult>;
  today?: () => string;
}

/** Plans: suggested sites for a coverage target, computed in the background and stored. */
export function createPlansService(deps: PlansServiceDeps) {
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));
  const run = deps.run ?? runPlanInWorker;
  // Plans this process has queued and not finished, with their progress.
  const active = new Map<number, number>();

  async function resolve(body: PlanCreate): Promise<PlanRequest & { target: string | null }> {
    let metric: string;
    let threshold: number;
    let target: string | null = null;
    if (typeof body.target === 'string') {
      const t = await deps.targets.get(body.target);
      if (metricSpec(t.metric).kind !== 'coverage') throw new ValidationError(`target ${t.code} is about ${t.metric}: a plan of radio sites serves coverage targets only`, [{ severity: 'error', row: null, column: 'target', message: 'not a coverage target' }]);
      ({ metric, threshold } = t);
      target = t.code;
    } else ({ metric, threshold } = body.target);
    const spec = metricSpec(metric as never);
    if (spec.kind !== 'coverage') throw new ValidationError(`${metric} is not a coverage metric`);
    if (body.technology && body.technology !== spec.technology) {
      throw new ValidationError(`technology ${body.technology} does not match the target's metric ${metric}`, [{ severity: 'error', row: null, column: 'technology', message: `the target is about ${spec.technology}` }]);
    }
    let scope: string[] | null = null;
    if (body.scope !== 'province') {
      const known = new Set((await deps.evaluator.communes()).map((c) => c.code));
      const unknown = body.scope.filter((c) => !known.has(c));
      if (unknown.length) throw new ValidationError(`unknown communes in scope: ${unknown.slice(0, 20).join(', ')}`, unknown.slice(0, 100).map((c) => ({ severity: 'error', row: null, column: 'scope', message: `no commune ${c}` })));
      scope = [...new Set(body.scope)].sort();
    }
    return { target, technology: spec.technology as Technology, weight: spec.weight, threshold, operator: body.operator, candidates: body.candidates, maxSites: body.maxSites ?? null, scope };
  }

  async function work(id: number, request: PlanRequest) {
    await deps.repo.setStatus(id, 'running');
    const started = Date.now();
    try {
      const asOf = today();
      const [communes, on] = await Promise.all([deps.evaluator.communes(), deps.evaluator.radiosOn(asOf)]);
      // Over terrain, the footprints of the radios on air go to the worker as the official figures have them (cached here).
      let strips: PlanInput['strips'];
      if (deps.evaluator.terrainModel().id !== 'flat') {
        const onAir = await deps.evaluator.engineRadios(on.radios.filter((r) => r.technology === request.technology), new Map(communes.map((c) => [c.code, c])));
        strips = new Map(onAir.map((r) => [r.radioId, r.strips ?? null]));
      }
      const input: PlanInput = { communes, rows: on.radios, known: on.known, request, ...(strips ? { strips } : {}) };
      const result = await run(input, (p) => active.set(id, Math.min(99, p)), deps.evaluator.sources);
      const stored: StoredPlanResult = { ...result, asOf, timings: { ...result.timings, totalMs: Date.now() - started } as PlanResult['timings'] };
      await deps.repo.finish(id, { result: stored });
    } catch (err) {
      await deps.repo.finish(id, { error: err instanceof Error ? err.message : String(err) });
    } finally {
      active.delete(id);
    }
  }

  function view(p: PlanRecord) {
    const running = p.status === 'queued' || p.status === 'running';
    if (running && !active.has(p.id)) {
      return { ...p, status: 'failed' as const, percent: 0, error: p.error ?? 'interrupted: the service stopped before the plan finished; create it again' };
    }
    return { ...p, percent: p.status === 'done' ? 100 : (active.get(p.id) ?? 0) };
  }

  async function visible(principal: Principal, id: number) {
    assertToken(principal);
    const p = await deps.repo.get(id);
    if (!p) throw new NotFoundError(`no plan ${id}`);
    assertVisible(principal, p.ownerOperator, `plan ${id}`);
    return view(p);
  }

  return {
    async create(principal: Principal, body: PlanCreate) {
      assertCanWorkFor(principal, [body.operator]);
      const request = await resolve(body);
      const id = await deps.repo.insert({ request, ownerOperator: ownerOf(principal), createdBy: actorOf(principal) });
      active.set(id, 0);
      deps.jobs.start('plan', () => work(id, request));
      return { id };
    },

    get: visible,

    async list(principal: Principal) {
      assertToken(principal);
      const items = (await deps.repo.list(ownerOf(principal))).map((p) => view({ ...p, result: null }));
      return { count: items.length, items: items.map(({ result: _r, ...rest }) => rest) };
    },

    /** A finished plan's sites as scenario changes, in the plan's order. */
    async sitesOf(principal: Principal, id: number): Promise<ScenarioChange[]> {
      const p = await visible(principal, id);
      if (p.status !== 'done' || !p.result) throw new ValidationError(`plan ${id} is ${p.status}: only a finished plan becomes a scenario`);
      return (p.result as PlanResult).sites.map((s): ScenarioChange => (s.kind === 'upgrade'
        ? { kind: 'upgrade', stationId: s.stationId!, technology: s.technology, bandMhz: s.bandMhz }
        : { kind: 'add', lon: s.lon, lat: s.lat, operator: s.operator, technology: s.technology, bandMhz: s.bandMhz, heightM: s.heightM }));
    },

    /** Resolves when every plan queued so far has finished (tests, shutdown). */
    idle: () => deps.jobs.idle(),
  };
}

export type PlansService = ReturnType<typeof createPlansService>;

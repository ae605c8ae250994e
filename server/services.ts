import type { Database } from './db/database';
import { createTokensRepo } from './auth/tokens.repo';
import { createTokensService } from './auth/tokens.service';
import { createCommunesRepo } from './communes/communes.repo';
import { createCommunesService } from './communes/communes.service';
import { createStationsRepo } from './stations/stations.repo';
import { createImportsRepo } from './stations/imports.repo';
import { createStationsService } from './stations/stations.service';
import { createCoverageRepo } from './coverage/coverage.repo';
import { createCoverageService } from './coverage/coverage.service';
import { createFootprintCache } from './coverage/footprints';
import type { Jobs } from './jobs/jobs';
import { createBroadbandRepo } from './broadband/broadband.repo';
import { createBroadbandService } from './broadband/broadband.service';
import { createTargetsRepo } from './targets/targets.repo';
import { createTargetsService } from './targets/targets.service';
import { historyFor } from './summary/history.service';
import { createSummaryRepo } from './summary/summary.repo';
import { createSummaryService } from './summary/summary.service';
import { createTilesRepo } from './tiles/tiles.repo';
import { createCommunesTilesRepo } from './tiles/communes-tiles.repo';
import { createProvincesRepo } from './provinces/provinces.repo';
import { createProvincesService } from './provinces/provinces.service';
import { createTilesService } from './tiles/tiles.service';
import { readDataVersions } from './db/data-versions';
import { NO_INPUTS, type CoverageInputs } from './coverage/coverage.inputs';
import { createCoverageEvaluator } from './scenarios/evaluator';
import { createCoverageReads } from './coverage/coverage.reads';
import { createScenariosRepo } from './scenarios/scenarios.repo';
import { createScenariosService } from './scenarios/scenarios.service';
import { createPlansRepo } from './plans/plans.repo';
import { createPlansService } from './plans/plans.service';
import { createPopulationRepo } from './population/population.repo';
import { createPopulationService } from './population/population.service';

/**
 * The services of one database, wired together once: the app's routes, the start-up work in
 * main.ts and the command-line scripts share them (and so share the coverage service's footprints).
 * `inputs` are the population grid and the heights (coverage.inputs.ts); none: the even spread on
 * flat ground.
 */
export function createServices(db: Database, jobs: Jobs, inputs: CoverageInputs & { populationRaster?: string | null } = NO_INPUTS) {
  const tokens = createTokensService(createTokensRepo(db.knex));
  const communes = createCommunesService(createCommunesRepo(db.knex), () => readDataVersions(db.knex));
  // Every recompute and every broadband upload keeps a dated snapshot of the figures (history).
  const history = historyFor(db.knex);
  // One cache of terrain footprints for the official figures and for scenarios and plans: none is computed twice.
  const footprints = inputs.terrain ? createFootprintCache(inputs.terrain.heights) : null;
  // And one read of the communes and radios for both (server/coverage/coverage.reads.ts).
  const reads = createCoverageReads(createCoverageRepo(db.knex));
  const coverage = createCoverageService(createCoverageRepo(db.knex), { afterRecompute: (run) => history.snapshot({ trigger: 'recompute', runId: run.runId }) }, inputs, { footprints, reads });
  const stations = createStationsService({
    stations: createStationsRepo(db.knex),
    imports: createImportsRepo(db.knex),
    // After a write, recompute: footprints are cached, so a full run costs one engine sweep.
    afterWrite: async (_write, importId) =>
      jobs.start('coverage', (progress) => coverage.recompute({ trigger: 'import', importId }, (p) => progress(p.phase, p.percent))),
  });
  const broadband = createBroadbandService({
    broadband: createBroadbandRepo(db.knex), imports: createImportsRepo(db.knex), communes: createCommunesRepo(db.knex),
    afterWrite: (importId) => history.snapshot({ trigger: 'broadband', importId }),
  });
  const targets = createTargetsService(createTargetsRepo(db.knex), communes);
  const summary = createSummaryService({ coverage, broadband, targets, communes, sites: createSummaryRepo(db.knex), history });
  const provinces = createProvincesService({ repo: createProvincesRepo(db.knex), communes, summary, targets });
  const tiles = createTilesService(createTilesRepo(db.knex), createCommunesTilesRepo(db.knex), () => readDataVersions(db.knex));
  // Scenarios and plans reach the coverage model through one evaluator (server/scenarios/evaluator.ts).
  const evaluator = createCoverageEvaluator(db.knex, { population: inputs.population, populationRaster: inputs.populationRaster ?? null, terrain: inputs.terrain, footprints, reads });
  const plans = createPlansService({ repo: createPlansRepo(db.knex), evaluator, targets, jobs });
  const scenarios = createScenariosService({ repo: createScenariosRepo(db.knex), evaluator, targets, plans });
  // The density layer reads the raster itself (the grid as the figures use it).
  const population = createPopulationService({ repo: createPopulationRepo(db.knex), dataVersions: () => readDataVersions(db.knex), populationRaster: inputs.populationRaster ?? null });
  return { tokens, communes, provinces, history, coverage, stations, broadband, targets, summary, tiles, population, jobs, scenarios, plans };
}

export type Services = ReturnType<typeof createServices>;

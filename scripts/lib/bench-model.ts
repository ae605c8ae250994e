/**
 * The coverage model with its two inputs (the population grid, the SRTM heights) against the old
 * one (even spread, flat ground), on the same database: province figures side by side per
 * technology, the communes that move most, the reported figures next to both; then the speed of
 * the new model: cold full recompute (every terrain footprint computed), warm (footprints cached),
 * the recompute after a 100-station import, the cost of one terrain footprint, memory.
 */
import type { Knex } from 'knex';
import { loadConfig } from '../../server/config';
import { loadCoverageInputs, NO_INPUTS, type CoverageInputs } from '../../server/coverage/coverage.inputs';
import { createCoverageRepo } from '../../server/coverage/coverage.repo';
import { createCoverageService } from '../../server/coverage/coverage.service';
import { createRadiusResolver, toEngineRadios } from '../../server/coverage/coverage.model';
import { createFootprintCache } from '../../server/coverage/footprints';
import { ALL_OPERATORS, TECHNOLOGIES, computeCommuneCoverage, provinceRollup, type CoverageFigure } from '../../server/coverage/engine/index';

const today = () => new Date().toISOString().slice(0, 10);
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (x: number) => x.toFixed(2).padStart(6);

/** Engine figures of today's radios under some inputs (no storing). */
async function figuresUnder(knex: Knex, inputs: CoverageInputs): Promise<{ figures: CoverageFigure[]; footprintMs: number; terrainRadios: number; radios: number }> {
  const repo = createCoverageRepo(knex);
  const communes = await repo.communes();
  const snap = await repo.radiosSnapshot(today());
  const cache = inputs.terrain ? createFootprintCache(inputs.terrain.heights) : null;
  const started = performance.now();
  const radios = toEngineRadios(snap.radios, new Map(communes.map((c) => [c.code, c])), createRadiusResolver(), cache?.footprintOf ?? null);
  const footprintMs = performance.now() - started;
  const figures = computeCommuneCoverage(communes, radios, { population: inputs.population?.grid ?? null });
  return { figures, footprintMs, terrainRadios: radios.filter((r) => r.strips).length, radios: radios.length };
}

/** Prints the comparison and the timings; returns table lines for the bench's summary. */
export async function benchModel(knex: Knex, importHundred: (service: ReturnType<typeof createCoverageService>) => Promise<number>): Promise<string[][]> {
  const inputs = await loadCoverageInputs(loadConfig());
  const lines: string[][] = [];
  console.log(`\nmodel inputs: population ${inputs.population ? inputs.population.model.name : 'none (even spread)'}; terrain ${inputs.terrain ? inputs.terrain.model.tiles.join(', ') : 'none (flat)'}`);

  const old = await figuresUnder(knex, NO_INPUTS);
  const fresh = await figuresUnder(knex, inputs);
  const oldP = provinceRollup(old.figures).filter((f) => f.operator === ALL_OPERATORS);
  const newP = provinceRollup(fresh.figures).filter((f) => f.operator === ALL_OPERATORS);
  const { rows: reported } = await knex.raw(`SELECT label, value, metric, operator FROM reported_figures WHERE metric ~ '^[2-5]g_(area|population)_pct$' ORDER BY code`);
  const newByOperator = provinceRollup(fresh.figures);
  console.log('\nprovince, all operators       area %: old    new   people %: old    new');
  for (const t of TECHNOLOGIES) {
    const o = oldP.find((f) => f.technology === t)!;
    const n = newP.find((f) => f.technology === t)!;
    console.log(`  ${t}                              ${pct(o.areaPct)} ${pct(n.areaPct)}              ${pct(o.populationPct)} ${pct(n.populationPct)}`);
  }
  console.log('reported by the province (Báo Phú Thọ; compare, not the same definition):');
  for (const r of reported as Array<{ label: string; value: number; metric: string; operator: string | null }>) {
    const n = newByOperator.find((f) => r.metric.startsWith(f.technology.toLowerCase()) && f.operator === (r.operator ?? ALL_OPERATORS));
    const computed = n ? (r.metric.endsWith('area_pct') ? n.areaPct : n.populationPct) : null;
    console.log(`  ${r.label}: ${r.value} %${computed === null ? '' : `   (computed, new model, ${n!.technology} ${n!.operator}: ${computed.toFixed(2)} %)`}`);
  }
  const key = (f: CoverageFigure) => `${f.communeCode}|${f.technology}`;
  const oldAll = new Map(old.figures.filter((f) => f.operator === ALL_OPERATORS).map((f) => [key(f), f]));
  const moves = fresh.figures.filter((f) => f.operator === ALL_OPERATORS)
    .map((f) => ({ f, o: oldAll.get(key(f))! }))
    .sort((a, b) => Math.abs(b.f.populationPct - b.o.populationPct) - Math.abs(a.f.populationPct - a.o.populationPct))
    .slice(0, 10);
  console.log('\nthe ten commune figures that move most (people %, all operators):');
  for (const { f, o } of moves) {
    console.log(`  ${f.communeCode} ${f.technology}: ${o.populationPct.toFixed(1)} → ${f.populationPct.toFixed(1)} (area ${o.areaPct.toFixed(1)} → ${f.areaPct.toFixed(1)}; spread ${f.populationSpread})`);
  }
  const n5 = newP.find((f) => f.technology === '5G')!;
  lines.push(['model: 5G all operators, people % old → new', `${fresh.radios} radios`, '', '', `${oldP.find((f) => f.technology === '5G')!.populationPct.toFixed(2)} → ${n5.populationPct.toFixed(2)}`]);

  // Speed of the new model through the service (engine + store), as the server runs it.
  const repo = createCoverageRepo(knex);
  const service = createCoverageService(repo, {}, inputs);
  const c0 = process.cpuUsage();
  let s = performance.now();
  await service.recompute({ trigger: 'bench-cold' });
  const coldMs = performance.now() - s;
  const coldCpu = process.cpuUsage(c0).user / 1000;
  const stats = service.footprintStats();
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    s = performance.now();
    await service.recompute({ trigger: 'bench-warm' });
    warm.push(performance.now() - s);
  }
  const afterImport = [] as number[];
  for (let i = 0; i < 3; i++) afterImport.push(await importHundred(service));
  const perRadio = stats.computeMs / Math.max(1, stats.computed);
  console.log(`\nnew model: cold full recompute ${ms(coldMs)} (CPU ${ms(coldCpu)}; ${stats.computed} footprints looked at, ${fresh.terrainRadios} shaped by terrain, ${ms(stats.computeMs)} on them, ${perRadio.toFixed(2)} ms a radio);`
    + ` warm ${warm.map(ms).join(' / ')}; after a 100-station import ${afterImport.map(ms).join(' / ')}; RSS peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  lines.push(['new model: cold full recompute (footprints computed)', `${stats.computed} radios`, ms(coldMs), '', `≤ 10 s (goal 3 s); CPU ${ms(coldCpu)}`]);
  lines.push(['  terrain footprint, per radio', `${fresh.terrainRadios} shaped`, `${perRadio.toFixed(2)} ms`, '', '']);
  lines.push(['  warm full recompute (footprints cached)', '148 communes', ms(median(warm)), '', '≤ 1 s (goal 0.5 s)']);
  lines.push(['  recompute after a 100-station import', '148 communes', ms(median(afterImport)), '', '≤ 300 ms']);
  lines.push(['  peak RSS so far', '', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`, '', '≤ 1.5 GiB (server engine)']);
  return lines;
}

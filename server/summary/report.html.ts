/**
 * The one-page printable report of a commune: plain HTML with its own print styles, no script and
 * no outside resource. Every piece of text that comes from data is escaped. Pure.
 */
import { BOUNDARY_ATTRIBUTION } from '../communes/communes.schema';
import { ALL_OPERATORS, TECHNOLOGIES } from '../coverage/engine/index';
import { METRIC_LABELS } from '../targets/metrics';
import type { SummaryService } from './summary.service';

export type CommuneReportData = Awaited<ReturnType<SummaryService['communeReport']>>;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

const number = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${number(n, 1)} %`);
const date = (d: Date | string | null | undefined) => (d ? escapeHtml(d instanceof Date ? d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : d) : '—');
const KIND: Record<string, string> = { xa: 'xã', phuong: 'phường', dac_khu: 'đặc khu' };

const STYLE = `
@page { size: A4; margin: 10mm 12mm }
* { box-sizing: border-box }
body { font: 8.8pt/1.28 "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #111; max-width: 186mm; margin: 0 auto; padding: 6mm 0 }
h1 { font-size: 15pt; margin: 0 }
h2 { font-size: 10pt; margin: 7px 0 2px; padding-bottom: 1px; border-bottom: 1px solid #888 }
table { border-collapse: collapse; width: 100% }
th, td { border-bottom: 1px solid #ddd; padding: 1px 4px; text-align: left; vertical-align: top }
th { font-weight: 600; background: #f3f3f3 }
.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap }
.sub { color: #444 }
.banner { border: 2px solid #b00020; color: #b00020; padding: 3px 8px; font-weight: 600; margin: 4px 0 }
p { margin: 3px 0 }
.met { color: #0a6b2b; font-weight: 600 } .short { color: #b00020; font-weight: 600 }
.small { font-size: 7.5pt; color: #444 }
section { break-inside: avoid }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 0 8mm }
@media print { body { padding: 0 } th { background: none } }`;

export function renderCommuneReport(d: CommuneReportData): string {
  const c = d.commune;
  const all = d.coverage.figures.filter((f) => f.operator === ALL_OPERATORS);
  const operators = [...new Set(d.coverage.figures.map((f) => f.operator).filter((o) => o !== ALL_OPERATORS))].sort();
  const title = `${c.name} (${c.code})`;
  const banners = [
    d.syntheticStations ? 'The stations in this database are SYNTHETIC demo data: the coverage and site counts below illustrate the method and describe no real network.' : null,
    d.syntheticFiber && d.fiber?.isDemo ? 'The fiber figures of this commune are SYNTHETIC demo data.' : null,
  ].filter(Boolean);

  const coverageRows = TECHNOLOGIES.map((t) => {
    const f = all.find((x) => x.technology === t);
    return `<tr><td>${t}</td><td class="n">${pct(f?.areaPct)}</td><td class="n">${pct(f?.populationPct)}</td><td class="n">${number(f?.coveredKm2, 1)}</td><td class="n">${number(f?.coveredPopulation)}</td><td class="n">${f ? number(f.areaKm2 - f.coveredKm2, 1) : '—'}</td></tr>`;
  }).join('');
  const operatorRows = operators.map((o) => `<tr><td>${escapeHtml(o)}</td>${TECHNOLOGIES.map((t) => `<td class="n">${pct(d.coverage.figures.find((f) => f.operator === o && f.technology === t)?.populationPct)}</td>`).join('')}</tr>`).join('');
  const siteRows = Object.entries(d.stations.byOperator).sort(([a], [b]) => a.localeCompare(b))
    .map(([o, n]) => `<tr><td>${escapeHtml(o)}</td><td class="n">${number(n.sites)}</td>${TECHNOLOGIES.map((t) => `<td class="n">${number(n[t] ?? 0)}</td>`).join('')}</tr>`).join('');
  const fiber = d.fiber;
  const fiberRows = fiber?.operators.map((o) => `<tr><td>${escapeHtml(o.operator)}</td><td>${date(o.asOf)}</td><td class="n">${number(o.householdsPassed)}</td><td class="n">${number(o.subscriptions)}</td><td class="n">${number(o.ports)}</td></tr>`).join('') ?? '';
  const targetRows = d.targets.map(({ target: t, value, gap }) => {
    const status = value === null ? '<span class="sub">no data</span>' : gap ? `<span class="short">short by ${number(gap.shortfallPts, 1)} pts</span>` : '<span class="met">reached</span>';
    const behind = gap ? (gap.peopleToReach !== null ? `${number(gap.peopleToReach)} people` : gap.householdsToReach !== null ? `${number(gap.householdsToReach)} households` : '') : '';
    return `<tr><td>${escapeHtml(t.title)}<div class="small">${escapeHtml(METRIC_LABELS[t.metric])}; ${escapeHtml(t.source.document)}</div></td><td class="n">≥ ${number(t.threshold, 0)} % by ${t.deadlineYear}</td><td class="n">${pct(value)}</td><td>${status}</td><td class="n">${behind}</td></tr>`;
  }).join('');
  const historyRows = d.history.slice(-6).reverse().map((p) => `<tr><td>${date(p.takenAt)}</td><td>${escapeHtml(p.trigger)}</td><td class="n">${pct(p.figures['4g_area_pct'])}</td><td class="n">${pct(p.figures['5g_population_pct'])}</td><td class="n">${pct(p.figures['5g_area_pct'])}</td><td class="n">${pct(p.figures.fiber_households_pct)}</td></tr>`).join('');
  const sources = [...new Set(d.targets.map(({ target: t }) => `${t.source.document}${t.source.quote ? ` (“${t.source.quote}”)` : ''}`))];

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — phusong commune report</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(c.fullName)}</h1>
<div class="sub">Commune code ${escapeHtml(c.code)} · ${escapeHtml(KIND[c.kind] ?? c.kind)} · ${escapeHtml(c.provinceName ?? '')} · report of ${date(d.generatedAt)}</div>
</header>
${banners.map((b) => `<p class="banner">${escapeHtml(b)}</p>`).join('\n')}
<section class="cols">
<div><h2>The commune</h2><table>
<tr><th>Population (2025)</th><td class="n">${number(c.population)}</td></tr>
<tr><th>Households (estimated)</th><td class="n">${number(c.households)}</td></tr>
<tr><th>Household size, method</th><td class="n">${number(c.householdSize, 2)} · ${escapeHtml(c.householdsMethod ?? '—')}</td></tr>
<tr><th>Area</th><td class="n">${number(c.areaKm2, 1)} km²${c.officialAreaKm2 ? ` (official ${number(c.officialAreaKm2, 1)})` : ''}</td></tr>
</table></div>
<div><h2>Sites on air today</h2>${siteRows ? `<table><tr><th>operator</th><th class="n">sites</th>${TECHNOLOGIES.map((t) => `<th class="n">${t}</th>`).join('')}</tr>${siteRows}</table>` : '<p class="sub">No site stands in this commune (coverage may still come from neighbours).</p>'}</div>
</section>
<section><h2>Mobile coverage, all operators</h2>
<table><tr><th>technology</th><th class="n">% of area</th><th class="n">% of people</th><th class="n">covered km²</th><th class="n">people covered</th><th class="n">uncovered km²</th></tr>${coverageRows}</table>
<p class="small">Computed ${date(d.coverage.computedAt)} for ${date(d.coverage.asOf)}, model ${escapeHtml(d.coverage.modelVersion)}${d.coverage.stale ? '; <strong>stations changed since: figures are stale</strong>' : ''}. A planning estimate of outdoor signal (link budget, Hata / 3GPP TR 38.901 path loss${d.coverage.terrainModel.id === 'srtm' ? `, diffraction over SRTM heights (${escapeHtml(d.coverage.terrainModel.tiles.join(', '))}; elsewhere flat ground)` : ', flat ground'}), not a measurement; ${d.coverage.populationModel.attribution ? `people spread by ${escapeHtml(d.coverage.populationModel.name)} (${escapeHtml(d.coverage.populationModel.attribution)})` : 'people spread evenly over each commune'}.</p>
${operatorRows ? `<table><tr><th>% of people, by operator</th>${TECHNOLOGIES.map((t) => `<th class="n">${t}</th>`).join('')}</tr>${operatorRows}</table>` : ''}
</section>
<section><h2>Fiber (fixed broadband)</h2>
${fiber ? `<table><tr><th>households on fiber</th><td class="n">${pct(fiber.fiberPct)}${fiber.exceeds100 ? ' <span class="short">(data exceed the households: capped)</span>' : ''}</td><th>households passed</th><td class="n">${pct(fiber.passedPct)} – ${pct(fiber.passedPctUpper)}</td></tr></table>
<table><tr><th>operator</th><th>figures of</th><th class="n">households passed</th><th class="n">subscriptions</th><th class="n">ports</th></tr>${fiberRows}</table>` : '<p class="sub">No operator has uploaded fiber figures for this commune.</p>'}
</section>
<section><h2>Against the province's targets</h2>
<table><tr><th>target</th><th class="n">threshold</th><th class="n">this commune</th><th>status</th><th class="n">to reach it</th></tr>${targetRows}</table>
<p class="small">Province targets applied to this commune, to show where the effort is needed.</p>
</section>
${historyRows ? `<section><h2>History (latest snapshots)</h2><table><tr><th>taken</th><th>after</th><th class="n">4G area</th><th class="n">5G people</th><th class="n">5G area</th><th class="n">fiber households</th></tr>${historyRows}</table></section>` : ''}
<footer class="small"><h2>Sources</h2>
<p>${escapeHtml(BOUNDARY_ATTRIBUTION)}</p>
<p>Targets: ${sources.map(escapeHtml).join('; ') || '—'}. Stations and fiber figures: the operators' uploads${d.syntheticStations || d.syntheticFiber ? ' and the synthetic demo data named above' : ''}. Generated by phusong.</p>
</footer>
</body>
</html>
`;
}

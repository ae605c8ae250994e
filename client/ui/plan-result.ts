// A finished plan in the Plan tab: before and after, the chart, the sites in build order, the
// communes that change colour, saving it as a scenario, the compare view's switch, the downloads.
import type { CommuneSummary } from '../../server/contract/answers';
import type { CommuneChange } from '../data/plan';
import type { PlanResult } from '../data/plan-api';
import { operatorName } from '../data/operators';
import type { Formatters, Messages } from '../i18n';
import { defList, el, message, replaceKeepingFocus } from './dom';
import { planChart } from './plan-chart';

export type CompareView = 'today' | 'scenario' | 'difference';
/** Rows of the sites' table; the rest are in the downloads. */
export const SITE_ROWS_SHOWN = 100;

export interface PlanResultModel {
  planId: number;
  result: PlanResult;
  metricLabel: string;
  /** Below the threshold before, at or above it after (the scenario's figures once saved, else the plan's). */
  changed: CommuneChange[];
  scenario: { id: number; name: string } | null;
  saving: boolean;
  saveError: string | null;
  compare: { view: CompareView; status: 'idle' | 'loading' | 'shown' | 'error'; error: string | null };
  downloadError: string | null;
}

export interface PlanResultHandlers {
  save(name: string): void;
  compare(view: CompareView): void;
  download(format: 'csv' | 'geojson'): void;
  flyToCommune(code: string): void;
  showSite(rank: number): void;
}

export function renderPlanResult(box: HTMLElement, model: PlanResultModel, communes: ReadonlyMap<string, CommuneSummary>, m: Messages, fmt: Formatters, on: PlanResultHandlers): void {
  const p = m.plan;
  const r = model.result;
  const name = (code: string) => communes.get(code)?.fullName ?? code;
  const upgrades = r.sites.filter((s) => s.kind === 'upgrade').length;

  const verdict = r.reached
    ? el('p', { class: 'target-status met', 'data-testid': 'plan-verdict' }, p.reached(fmt.integer(r.sitesNeeded ?? r.sites.length)))
    : el('p', { class: 'target-status missed', 'data-testid': 'plan-verdict' }, p.notReached, r.reason ? el('span', 'hint', ` ${r.reason}`) : null);
  const figures = defList([
    [p.before, fmt.pct(r.before.value)],
    [p.after, fmt.pct(r.after.value)],
    [p.target, fmt.pct(r.threshold)],
    [p.sitesCount, p.sitesSplit(fmt.integer(r.sites.length), fmt.integer(upgrades), fmt.integer(r.sites.length - upgrades))],
    [p.peopleAdded, fmt.integer(r.after.coveredPopulation - r.before.coveredPopulation)],
    [p.candidatesCount, p.sitesSplit(fmt.integer(r.candidates.total), fmt.integer(r.candidates.upgrade), fmt.integer(r.candidates.new))],
    [p.scope, r.scope ? r.scope.map(name).join(', ') : p.scopeProvince],
  ]);

  const sites = el('table', { class: 'plan-sites', 'data-testid': 'plan-sites' },
    el('thead', {}, el('tr', {}, ...[p.colRank, p.colKind, m.operator, m.technology, p.colCommune, p.colPeople, p.colCumulative].map((h) => el('th', { scope: 'col' }, h)))));
  const body = el('tbody');
  for (const s of r.sites.slice(0, SITE_ROWS_SHOWN)) {
    const rank = el('button', { type: 'button', class: 'link-button', 'aria-label': p.showSite(s.rank) }, fmt.integer(s.rank));
    rank.addEventListener('click', () => on.showSite(s.rank));
    body.append(el('tr', { 'data-kind': s.kind },
      el('td', {}, rank),
      el('td', {}, el('span', { class: `plan-kind ${s.kind}`, 'aria-hidden': 'true' }), p.kind[s.kind]),
      el('td', {}, operatorName(s.operator)),
      el('td', {}, s.technology),
      el('td', {}, name(s.communeCode)),
      el('td', 'num', fmt.integer(s.peopleAdded)),
      el('td', 'num', fmt.pct(s.cumulative.value))));
  }
  sites.append(body);
  const more = r.sites.length > SITE_ROWS_SHOWN ? el('p', 'hint', p.moreSites(fmt.integer(r.sites.length - SITE_ROWS_SHOWN))) : null;

  const changed = el('ul', { class: 'plan-changed', 'data-testid': 'plan-changed' });
  for (const c of model.changed) {
    const fly = el('button', { type: 'button', class: 'link-button' }, name(c.code));
    fly.addEventListener('click', () => on.flyToCommune(c.code));
    changed.append(el('li', { 'data-code': c.code }, fly, ` ${fmt.pct(c.before)} → ${fmt.pct(c.after)}`));
  }

  box.dataset.planId = String(model.planId);
  replaceKeepingFocus(box,
    el('h3', {}, p.resultTitle(model.planId)),
    verdict,
    figures,
    planChart(r, model.metricLabel, m, fmt),
    el('h3', {}, p.changedTitle),
    model.changed.length ? changed : message(p.changedNone),
    el('h3', {}, p.listTitle),
    el('div', 'table-wrap', sites),
    ...(more ? [more] : []),
    el('p', 'hint', p.populationModel(r.populationModel.description)),
    scenarioSection(model, m, on),
    downloads(model, m, on),
  );
}

function scenarioSection(model: PlanResultModel, m: Messages, on: PlanResultHandlers): HTMLElement {
  const p = m.plan;
  const section = el('section', { class: 'plan-scenario', 'aria-labelledby': 'plan-scenario-title' }, el('h3', { id: 'plan-scenario-title' }, p.scenarioTitle));
  if (!model.scenario) {
    const input = el('input', { type: 'text', id: 'plan-scenario-name', maxlength: 200, required: true, value: p.scenarioDefaultName(model.planId) });
    const button = el('button', { type: 'submit', id: 'plan-save', disabled: model.saving }, model.saving ? p.saving : p.save);
    const form = el('form', 'plan-row', el('label', { for: 'plan-scenario-name', class: 'visually-hidden' }, p.scenarioName), input, button);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (input.value.trim()) on.save(input.value.trim());
    });
    section.append(el('p', 'hint', p.scenarioHint), form);
    if (model.saveError) section.append(message(model.saveError, true));
    return section;
  }
  section.append(el('p', { 'data-testid': 'plan-scenario-saved' }, p.saved(model.scenario.name, model.scenario.id)));
  const group = el('fieldset', { class: 'plan-compare', id: 'plan-compare' }, el('legend', {}, p.compareTitle));
  for (const view of ['today', 'scenario', 'difference'] as const) {
    const id = `plan-compare-${view}`;
    const radio = el('input', { type: 'radio', name: 'plan-compare', id, value: view, checked: model.compare.view === view });
    radio.addEventListener('change', () => radio.checked && on.compare(view));
    group.append(el('div', 'field check', radio, el('label', { for: id }, p.compareView[view])));
  }
  section.append(group);
  const { status, error } = model.compare;
  section.append(el('p', { class: status === 'error' ? 'error' : 'hint', id: 'plan-compare-status', 'data-status': status, 'aria-live': 'polite' },
    status === 'loading' ? p.compareLoading : status === 'error' ? (error ?? m.loadFailed) : status === 'shown' ? p.compareShown[model.compare.view] : ''));
  return section;
}

function downloads(model: PlanResultModel, m: Messages, on: PlanResultHandlers): HTMLElement {
  const p = m.plan;
  const button = (format: 'csv' | 'geojson', label: string) => {
    const b = el('button', { type: 'button', id: `plan-download-${format}`, class: 'link-button' }, label);
    b.addEventListener('click', () => on.download(format));
    return el('li', {}, b);
  };
  return el('section', 'plan-downloads',
    el('h3', {}, p.downloadTitle),
    el('ul', 'exports', button('csv', p.downloadCsv), button('geojson', p.downloadGeojson)),
    model.downloadError ? message(model.downloadError, true) : null);
}

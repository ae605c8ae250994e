// The panel of the country's map: the country (or the province opened) against the targets that
// apply to it, as the server judges them (GET /api/provinces), and the provinces ranked by the
// chosen metric, each a button that opens it.
import type { Province, ProvinceList } from '../../server/contract/answers';
import type { Formatters, Messages } from '../i18n';
import type { MapMetric } from '../data/targets';
import { el, replaceKeepingFocus } from './dom';

export interface CountryPanelModel {
  metric: MapMetric;
  threshold: number;
  country: ProvinceList['country'];
  provinces: readonly Province[];
  /** The province opened, or null: the country. */
  open: Province | null;
}

type Judged = ProvinceList['country']['targets'][number];

function targetsList(targets: readonly Judged[], m: Messages, fmt: Formatters, where: string): HTMLElement {
  const list = el('ul', 'target-list');
  for (const t of targets) {
    const status = t.met === null ? m.retryLater : t.met ? `✓ ${m.met}` : `✗ ${m.notMet} — ${m.distance(fmt.points(Math.max(0, t.threshold - (t.value ?? 0))))}`;
    list.append(el('li', { class: `target ${t.met === null ? 'unknown' : t.met ? 'met' : 'missed'}`, 'data-target': t.code },
      el('p', 'target-title', m.targetOption(m.metrics[t.metric] ?? t.metric, fmt.pct(t.threshold), t.deadlineYear)),
      el('p', 'target-metric', `${where}: `, el('strong', { 'data-field': 'target-value' }, fmt.pct(t.value))),
      el('p', 'target-status', status),
      el('p', 'hint small', t.provinceCode === null ? m.national.nationalTarget : m.national.ownTarget)));
  }
  return list;
}

function ranking(model: CountryPanelModel, m: Messages, fmt: Formatters, onOpen: (code: string) => void): HTMLElement {
  const value = (p: Province) => p.values[model.metric] ?? null;
  // Furthest behind first: where the work is.
  const rows = [...model.provinces].sort((a, b) => (value(a) ?? -1) - (value(b) ?? -1) || a.name.localeCompare(b.name, 'vi'));
  const list = el('ol', { class: 'missing-list', 'aria-labelledby': 'provinces-h' });
  for (const p of rows) {
    const v = value(p);
    const below = v !== null && v < model.threshold;
    const button = el('button', { type: 'button', class: 'missing-item', id: `province-${p.code}`, 'data-province': p.code, title: m.national.openProvince(p.fullName) },
      el('span', 'missing-name', p.fullName),
      el('span', 'missing-figures', `${fmt.pct(v)}${below ? ` · −${fmt.points(model.threshold - v)} ${m.unitPoints}` : ''}`),
      el('span', 'missing-behind', m.national.communes(fmt.integer(p.communes))));
    button.addEventListener('click', () => onOpen(p.code));
    list.append(el('li', {}, button));
  }
  return el('section', { class: 'missing' }, el('h3', { id: 'provinces-h' }, m.national.provincesRanked(m.metrics[model.metric] ?? model.metric)), list);
}

export function renderCountryPanel(box: HTMLElement, model: CountryPanelModel, m: Messages, fmt: Formatters, on: { open(code: string | null): void }): void {
  const n = m.national;
  if (model.open) {
    const p = model.open;
    const back = el('button', { type: 'button', class: 'link-button', id: 'back-to-country' }, n.backToCountry);
    back.addEventListener('click', () => on.open(null));
    replaceKeepingFocus(box,
      el('h2', { class: 'visually-hidden' }, n.tabProvince),
      el('p', {}, back),
      el('section', { 'data-scope': p.code },
        el('h3', {}, n.provinceSummary(p.fullName)),
        el('p', 'hint', `${n.communes(fmt.integer(p.communes))} · ${n.population(fmt.integer(p.population))} · ${fmt.areaKm2(p.areaKm2)}`),
        targetsList(p.targets, m, fmt, p.name),
        el('p', 'hint small', n.communesDrawn)),
      ranking(model, m, fmt, (code) => on.open(code)),
    );
    return;
  }
  const c = model.country;
  replaceKeepingFocus(box,
    el('h2', { class: 'visually-hidden' }, n.tabCountry),
    el('section', { 'data-scope': 'country' },
      el('h3', {}, n.countrySummary),
      el('p', 'hint', `${n.communes(fmt.integer(c.communes))} · ${n.population(fmt.integer(c.population))} · ${fmt.areaKm2(c.areaKm2)}`),
      targetsList(c.targets, m, fmt, n.tabCountry),
      el('p', 'hint small', n.pickProvince)),
    ranking(model, m, fmt, (code) => on.open(code)),
  );
}

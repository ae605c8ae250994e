// The Plan tab's inputs: the token (asked for here, kept for the browser tab), and the plan's
// target, operator, candidates, largest number of sites and scope. Native form controls, so
// keyboard use and labels come for free; built once per language, read when the plan is run.
import type { CommuneSummary } from '../../server/contract/answers';
import { parseScope } from '../data/plan';
import type { PlanRequest } from '../data/plan-api';
import { OPERATORS } from '../data/operators';
import { MAP_METRICS, metricSpec, type MapMetric, type Target } from '../data/targets';
import type { Formatters, Messages } from '../i18n';
import { el, select } from './dom';

export function renderTokenBox(box: HTMLElement, token: string | null, m: Messages, on: { save(token: string): void; forget(): void }): void {
  const p = m.plan;
  if (token) {
    const forget = el('button', { type: 'button', id: 'plan-token-forget', class: 'link-button' }, p.tokenForget);
    forget.addEventListener('click', on.forget);
    box.replaceChildren(el('p', { class: 'plan-token-kept', 'data-testid': 'plan-token-kept' }, p.tokenKept, ' ', forget));
    return;
  }
  const input = el('input', { type: 'password', id: 'plan-token', autocomplete: 'off', spellcheck: 'false', required: true });
  const form = el('form', 'plan-token-form',
    el('label', { for: 'plan-token' }, p.tokenLabel),
    el('div', 'plan-row', input, el('button', { type: 'submit', id: 'plan-token-save' }, p.tokenUse)),
    el('p', 'hint', p.tokenNeeded));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = input.value.trim();
    if (value) on.save(value);
  });
  box.replaceChildren(form);
}

/** Targets a plan can aim at: coverage metrics only (fiber is not built with radio sites). */
export const planTargets = (targets: readonly Target[]): Target[] => targets.filter((t) => metricSpec(t.metric).kind === 'coverage');
const PLAN_METRICS = MAP_METRICS.filter((k) => metricSpec(k).kind === 'coverage');

export interface PlanFormContext {
  m: Messages;
  fmt: Formatters;
  targets: readonly Target[];
  communes: ReadonlyMap<string, CommuneSummary>;
  /** The commune selected on the map, offered as the scope. */
  selectedCommune(): string | null;
}

export interface PlanForm {
  /** The request the form describes, or the reason it cannot be sent. */
  read(): { request: PlanRequest } | { error: string };
  setBusy(busy: boolean): void;
  /** Brings the scope's hints in step (another commune selected on the map). */
  refresh(): void;
  /** The stored targets arrived: the target's options follow, the choice kept where it still exists. */
  setTargets(targets: readonly Target[]): void;
}

function field(label: string, control: HTMLElement, className = 'field'): HTMLElement {
  return el('div', className, el('label', { for: control.id }, label), control);
}

export function renderPlanForm(box: HTMLElement, ctx: PlanFormContext, onRun: () => void): PlanForm {
  const { m } = ctx;
  const p = m.plan;
  const targetChoices = (list: readonly Target[]): Array<[string, string]> => [
    ...planTargets(list).map((t): [string, string] => [t.code, m.targetOption(m.metrics[t.metric] ?? t.metric, ctx.fmt.pct(t.threshold), t.deadlineYear)]),
    ['custom', m.customTarget],
  ];
  const first = targetChoices(ctx.targets)[0][0];
  const target = select('plan-target', targetChoices(ctx.targets), first);
  const metric = select('plan-metric', PLAN_METRICS.map((k): [string, string] => [k, m.metrics[k] ?? k]), '5g_population_pct');
  const threshold = el('input', { type: 'number', id: 'plan-threshold', min: 1, max: 100, step: 'any', inputmode: 'decimal', value: 65 });
  const custom = el('div', 'plan-row', field(m.metric, metric), field(m.threshold, threshold, 'field narrow'));
  const operator = select('plan-operator', [['all', m.allOperators], ...OPERATORS.map((o): [string, string] => [o.code, o.name])], 'all');
  const candidates = select('plan-candidates', (['both', 'upgrade', 'new'] as const).map((k): [string, string] => [k, p.candidatesOption[k]]), 'both');
  const maxSites = el('input', { type: 'number', id: 'plan-max-sites', min: 1, max: 20000, step: 1, inputmode: 'numeric', placeholder: p.maxSitesNone });
  const scope = select('plan-scope', [['province', p.scopeProvince], ['communes', p.scopeCommunes]], 'province');
  const codes = el('input', { type: 'text', id: 'plan-scope-codes', inputmode: 'numeric', autocomplete: 'off', placeholder: '07900, 08005' });
  const addSelected = el('button', { type: 'button', id: 'plan-add-selected', class: 'link-button' }, p.scopeAddSelected);
  const scopeNames = el('p', { class: 'hint', id: 'plan-scope-names', 'aria-live': 'polite' });
  const scopeBox = el('div', 'plan-scope-codes', field(p.scopeCodes, codes), addSelected, scopeNames);
  const run = el('button', { type: 'submit', id: 'plan-run', class: 'primary' }, p.run);

  const sync = () => {
    custom.hidden = target.value !== 'custom';
    scopeBox.hidden = scope.value !== 'communes';
    const parsed = parseScope(codes.value, ctx.communes);
    scopeNames.textContent = [
      parsed.codes.map((c) => ctx.communes.get(c)?.fullName ?? c).join(', '),
      parsed.unknown.length ? p.scopeUnknown(parsed.unknown.join(', ')) : '',
    ].filter(Boolean).join(' · ');
    addSelected.hidden = !ctx.selectedCommune();
  };
  target.addEventListener('change', sync);
  scope.addEventListener('change', () => {
    if (scope.value === 'communes' && !codes.value.trim() && ctx.selectedCommune()) codes.value = ctx.selectedCommune()!;
    sync();
  });
  codes.addEventListener('input', sync);
  addSelected.addEventListener('click', () => {
    const code = ctx.selectedCommune();
    if (code && !parseScope(codes.value, ctx.communes).codes.includes(code)) codes.value = [codes.value.trim(), code].filter(Boolean).join(', ');
    sync();
  });

  const form = el('form', { class: 'plan-form', id: 'plan-form' },
    field(m.target, target), custom,
    el('div', 'plan-row', field(m.operator, operator), field(p.candidates, candidates)),
    el('div', 'plan-row', field(p.maxSites, maxSites, 'field narrow'), field(p.scope, scope)),
    scopeBox,
    el('div', 'plan-actions', run));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onRun();
  });
  box.replaceChildren(form);
  sync();

  return {
    read() {
      const request: PlanRequest = { operator: operator.value, candidates: candidates.value as PlanRequest['candidates'], target: target.value };
      if (target.value === 'custom') {
        const t = Number(threshold.value);
        if (!threshold.value || !Number.isFinite(t) || t <= 0 || t > 100) return { error: p.thresholdInvalid };
        request.target = { metric: metric.value as Exclude<MapMetric, 'fiber_households_pct' | 'fiber_passed_pct'>, threshold: t };
      }
      if (maxSites.value) {
        const n = Number(maxSites.value);
        if (!Number.isInteger(n) || n < 1 || n > 20000) return { error: p.maxSitesInvalid };
        request.maxSites = n;
      }
      if (scope.value === 'communes') {
        const parsed = parseScope(codes.value, ctx.communes);
        if (parsed.unknown.length) return { error: p.scopeUnknown(parsed.unknown.join(', ')) };
        if (!parsed.codes.length) return { error: p.scopeEmpty };
        request.scope = parsed.codes;
      }
      return { request };
    },
    setBusy(busy) {
      run.disabled = busy;
    },
    refresh: sync,
    setTargets(list) {
      const was = target.value;
      const choices = targetChoices(list);
      target.replaceChildren(...choices.map(([v, label]) => el('option', { value: v }, label)));
      target.value = choices.some(([v]) => v === was) ? was : choices[0][0];
      sync();
    },
  };
}

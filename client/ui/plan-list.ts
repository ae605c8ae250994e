// The plans stored earlier (GET /api/plans, newest first): one can be opened again, with the
// scenario made from it if there is one.
import type { PlanList } from '../data/plan-api';
import type { Formatters, Messages } from '../i18n';
import { el, select } from './dom';

export function renderEarlierPlans(box: HTMLElement, items: PlanList['items'], current: number | null, m: Messages, fmt: Formatters, onOpen: (id: number) => void): void {
  const p = m.plan;
  if (!items.length) return void box.replaceChildren();
  const label = (item: PlanList['items'][number]): string => {
    const s = item.summary as { reached?: boolean; sites?: number; after?: number } | null;
    const outcome = item.status !== 'done' || !s ? p.status[item.status] : p.earlierOutcome(fmt.integer(s.sites ?? 0), fmt.pct(s.after ?? null), s.reached === true);
    return `#${item.id} · ${fmt.dateTime(item.createdAt)} · ${outcome}`;
  };
  const choice = select('plan-earlier', items.map((i): [string, string] => [String(i.id), label(i)]), String(current ?? items[0].id));
  const open = el('button', { type: 'submit', id: 'plan-earlier-open' }, p.earlierOpen);
  const form = el('form', 'plan-earlier', el('label', { for: 'plan-earlier' }, p.earlierTitle), el('div', 'plan-row', choice, open));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onOpen(Number(choice.value));
  });
  box.replaceChildren(form);
}

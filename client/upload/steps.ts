// The three steps of an upload — validation (the dry run), write, coverage recompute — each
// waiting, running, done or failed, with a progress bar for the running one.
import { el } from '../ui/dom';
import type { UploadMessages } from './messages';

export type StepState = 'pending' | 'active' | 'done' | 'failed';
const ORDER = ['validate', 'write', 'recompute'] as const;
const MARK: Record<StepState, string> = { pending: '○', active: '◐', done: '✓', failed: '✗' };

export function renderSteps(box: HTMLElement, states: Record<string, StepState>, percent: number | null, detail: string, m: UploadMessages): void {
  const list = el('ol', 'steps');
  for (const step of ORDER) {
    const state = states[step];
    const item = el('li', { class: `step ${state}`, 'data-step': step, 'data-state': state, 'aria-current': state === 'active' ? 'step' : null },
      el('span', { class: 'mark', 'aria-hidden': 'true' }, MARK[state]),
      el('span', 'step-name', m.steps[step]),
      el('span', 'step-state', ` — ${m.stepState[state]}${state === 'active' && detail ? ` (${detail})` : ''}`));
    if (state === 'active' && percent !== null) {
      const bar = el('progress', { max: 100, value: percent, 'aria-label': m.steps[step] });
      item.append(bar, el('span', 'percent', ` ${percent} %`));
    }
    list.append(item);
  }
  box.querySelector('.steps')?.remove();
  box.append(list);
}

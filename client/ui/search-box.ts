// Commune search as an ARIA combobox: type (diacritics and case ignored), ↓/↑ to move through the
// results, Enter to open one, Escape to close the list or clear the box.
import type { Messages } from '../i18n';
import { createSearchIndex, type Searchable } from '../data/search';
import { el } from './dom';

export function createSearchBox(
  container: HTMLElement,
  communes: readonly Searchable[],
  onChoose: (code: string) => void,
): { setMessages(m: Messages): void } {
  const index = createSearchIndex(communes);
  const input = el('input', {
    id: 'search-input', type: 'search', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'search-list',
  });
  const label = el('label', { for: 'search-input', class: 'visually-hidden' });
  const list = el('ul', { id: 'search-list', role: 'listbox', class: 'search-list', hidden: true });
  const status = el('div', { class: 'visually-hidden', 'aria-live': 'polite', id: 'search-status' });
  container.replaceChildren(label, input, list, status);

  let m: Messages | null = null;
  let results: Searchable[] = [];
  let active = -1;

  function setActive(i: number): void {
    active = i;
    list.querySelectorAll<HTMLElement>('[role="option"]').forEach((opt, k) => {
      opt.setAttribute('aria-selected', String(k === i));
      if (k === i) opt.scrollIntoView({ block: 'nearest' });
    });
    if (i >= 0) input.setAttribute('aria-activedescendant', `search-opt-${results[i].code}`);
    else input.removeAttribute('aria-activedescendant');
  }

  function close(): void {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  }

  function choose(i: number): void {
    const c = results[i];
    if (!c) return;
    input.value = c.fullName;
    close();
    onChoose(c.code);
  }

  function update(): void {
    results = index.search(input.value, 8);
    active = -1;
    const q = input.value.trim();
    if (!q) {
      list.replaceChildren();
      status.textContent = '';
      return close();
    }
    list.replaceChildren(
      ...results.map((c, i) => {
        const opt = el('li', { role: 'option', id: `search-opt-${c.code}`, 'data-code': c.code, 'aria-selected': 'false' },
          el('span', 'opt-name', c.fullName), el('span', 'opt-code', c.code));
        // mousedown, not click: the input keeps focus, so the list does not close first.
        opt.addEventListener('mousedown', (e) => {
          e.preventDefault();
          choose(i);
        });
        return opt;
      }),
    );
    if (results.length === 0) list.append(el('li', { class: 'opt-none', role: 'presentation' }, m?.searchNone ?? ''));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    status.textContent = results.length ? (m?.searchCount(results.length) ?? '') : (m?.searchNone ?? '');
  }

  input.addEventListener('input', update);
  input.addEventListener('focus', () => input.value.trim() && update());
  input.addEventListener('blur', () => close());
  input.addEventListener('keydown', (e) => {
    const open = !list.hidden && results.length > 0;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (list.hidden) update();
      if (results.length) setActive((active + 1) % results.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (results.length) setActive(active <= 0 ? results.length - 1 : active - 1);
    } else if (e.key === 'Enter') {
      if (open || results.length) {
        e.preventDefault();
        choose(active >= 0 ? active : 0);
      }
    } else if (e.key === 'Escape') {
      if (!list.hidden) close();
      else input.value = '';
    }
  });

  return {
    setMessages(next) {
      m = next;
      label.textContent = next.searchLabel;
      input.placeholder = next.searchPlaceholder;
      if (!list.hidden) update();
    },
  };
}

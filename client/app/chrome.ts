// The page around the map: title, language switch, upload link, the filters' fold-out on phones,
// the panel's two tabs (an ARIA tablist: arrow keys move between them) and the hover label.
import type { CommuneSummary } from '../../server/contract/answers';
import type { Formatters, Messages } from '../i18n';
import type { AppState, Store } from '../state';
import { byId } from '../ui/dom';

export function renderChrome(m: Messages): void {
  document.documentElement.lang = m.lang;
  document.title = m.lang === 'vi' ? 'phusong — phủ sóng Phú Thọ' : 'phusong — Phú Thọ coverage';
  byId('app-title').textContent = m.appTitle;
  byId('app-subtitle').textContent = m.appSubtitle;
  const lang = byId<HTMLButtonElement>('lang-switch');
  lang.textContent = m.otherLanguage;
  lang.lang = m.lang === 'vi' ? 'en' : 'vi';
  lang.title = m.otherLanguageHint;
  byId('upload-link').textContent = m.uploadLink;
  byId('filters-toggle').textContent = m.filters;
  byId('controls').setAttribute('aria-label', m.filters);
  byId('tab-province').textContent = m.tabProvince;
  byId('tab-commune').textContent = m.tabCommune;
  byId('tab-plan').textContent = m.plan.tab;
  byId('panel').setAttribute('aria-label', `${m.tabProvince} / ${m.tabCommune} / ${m.plan.tab}`);
}

export function wireChrome(store: Store): void {
  // The skip link moves focus without touching the address (whose hash holds the view).
  byId('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    byId('panel').focus();
  });
  byId('lang-switch').addEventListener('click', () => store.set({ lang: store.get().lang === 'vi' ? 'en' : 'vi' }));

  const toggle = byId<HTMLButtonElement>('filters-toggle');
  const controls = byId('controls');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    controls.classList.toggle('open', open);
  });

  const names: Array<AppState['tab']> = ['province', 'commune', 'plan'];
  const tabs = names.map((name) => byId<HTMLButtonElement>(`tab-${name}`));
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => store.set({ tab: names[i] }));
    tab.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      const k = (i + (e.key === 'ArrowRight' ? 1 : names.length - 1)) % names.length;
      tabs[k].focus();
      store.set({ tab: names[k] });
    });
  });
}

export function showTab(tab: AppState['tab']): void {
  const pairs: Array<[string, string, boolean]> = [
    ['tab-province', 'province-panel', tab === 'province'],
    ['tab-commune', 'commune-panel', tab === 'commune'],
    ['tab-plan', 'plan-panel', tab === 'plan'],
  ];
  for (const [tabId, panelId, selected] of pairs) {
    const t = byId(tabId);
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    byId(panelId).hidden = !selected;
  }
}

/** The small label naming the commune under the pointer, with its value of the metric. */
export function renderHoverInfo(commune: CommuneSummary | null, value: number | null, fmt: Formatters): void {
  const box = byId('hover-info');
  if (!commune) {
    box.hidden = true;
    box.removeAttribute('data-code');
    return;
  }
  box.hidden = false;
  box.dataset.code = commune.code;
  box.textContent = `${commune.fullName}: ${fmt.pct(value)}`;
}

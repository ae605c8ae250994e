// The header's working parts: the commune search and the filter bar. Built as soon as the
// communes are in, before the map: they set the header's height (hence the map's view) and work
// at once, the map catching up with the state when it comes.
import type { AppState } from '../state';
import { renderControls } from '../ui/controls';
import { byId } from '../ui/dom';
import { createSearchBox } from '../ui/search-box';
import type { Ctx } from './context';

export interface Header {
  /** Brings the filters in step with the state. */
  sync(s: Readonly<AppState>): void;
  /** Builds the filters and the search's texts again: a new language, or the stored targets. */
  rebuild(): void;
}

export function createHeader(ctx: Ctx): Header {
  const { store } = ctx;
  const search = createSearchBox(byId('search'), [...ctx.byCode.values()], (code) => {
    store.set({ commune: code, tab: 'commune' });
    document.getElementById('commune-name')?.focus({ preventScroll: true });
  });
  let syncControls: (s: Readonly<AppState>) => void = () => undefined;
  const rebuild = (): void => {
    search.setMessages(ctx.m);
    syncControls = renderControls(byId('controls'), store, ctx);
    syncControls(store.get());
  };
  rebuild();
  return { sync: (s) => syncControls(s), rebuild };
}

// Language choice and number/date formatting. Vietnamese unless the user chose English, which is
// remembered in localStorage (shared by the map and the upload page).
import { en } from './en';
import { vi, type Messages } from './vi';

export type { Messages };
export type Lang = 'vi' | 'en';

const LANG_KEY = 'phusong.lang';
const TABLES: Record<Lang, Messages> = { vi, en };

export function messagesFor(lang: Lang): Messages {
  return TABLES[lang];
}

/** `?lang=en` in the address wins (shareable links), then the remembered choice, then Vietnamese. */
export function initialLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'vi' || fromUrl === 'en') return fromUrl;
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  document.documentElement.lang = lang;
}

export interface Formatters {
  integer(value: number | null | undefined): string;
  /** Area in km², up to two decimals as published. */
  areaKm2(value: number | null | undefined): string;
  /** A percentage given in points (0–100), one decimal: "43,6 %" / "43.6%". */
  pct(value: number | null | undefined): string;
  /** Points of difference, one decimal, no sign. */
  points(value: number | null | undefined): string;
  /** YYYY-MM-DD (or an ISO time) as a date of the language. */
  date(value: string | null | undefined): string;
  dateTime(value: string | null | undefined): string;
}

export function createFormatters(m: Messages): Formatters {
  // Each Intl formatter is built when first used: the first ones of a page load ICU's locale
  // data, about a tenth of a second here, which the map's first frame need not wait for.
  const lazy = <T>(make: () => T): (() => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  const int = lazy(() => new Intl.NumberFormat(m.locale, { maximumFractionDigits: 0 }));
  const area = lazy(() => new Intl.NumberFormat(m.locale, { maximumFractionDigits: 2 }));
  const pct = lazy(() => new Intl.NumberFormat(m.locale, { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 1 }));
  const pts = lazy(() => new Intl.NumberFormat(m.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
  const day = lazy(() => new Intl.DateTimeFormat(m.locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }));
  const time = lazy(() => new Intl.DateTimeFormat(m.locale, { dateStyle: 'short', timeStyle: 'short' }));
  const missing = (v: unknown): v is null | undefined => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
  return {
    integer: (v) => (missing(v) ? m.unknown : int().format(v)),
    areaKm2: (v) => (missing(v) ? m.unknown : `${area().format(v)} ${m.unitKm2}`),
    pct: (v) => (missing(v) ? m.unknown : pct().format(v / 100)),
    points: (v) => (missing(v) ? m.unknown : pts().format(v)),
    date: (v) => {
      if (!v) return m.unknown;
      const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
      return Number.isNaN(d.getTime()) ? v : day().format(d);
    },
    dateTime: (v) => {
      if (!v) return m.unknown;
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? v : time().format(d);
    },
  };
}

// Commune search that ignores diacritics and case: "viet tri", "Việt Trì" and "VIET TRI" all find
// Phường Việt Trì. Pure functions (test/e2e/client-logic.test.ts).

/** Lower case, no tone or vowel marks, đ → d, runs of spaces and punctuation as one space. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export interface Searchable {
  code: string;
  name: string;
  fullName: string;
}

export interface SearchIndex<T extends Searchable> {
  search(query: string, limit?: number): T[];
}

/**
 * Ranks: exact name, name starting with the query, a word of the name starting with it, then
 * anywhere in the full name; a 5-digit code finds its commune. Ties by name.
 */
export function createSearchIndex<T extends Searchable>(items: readonly T[]): SearchIndex<T> {
  const entries = items.map((item) => ({ item, name: fold(item.name), full: fold(item.fullName) }));
  return {
    search(query, limit = 8) {
      const q = fold(query);
      if (!q) return [];
      const scored: Array<{ item: T; score: number; name: string }> = [];
      for (const e of entries) {
        let score = -1;
        if (e.item.code === q) score = 0;
        else if (e.name === q || e.full === q) score = 1;
        else if (e.name.startsWith(q)) score = 2;
        else if (` ${e.name}`.includes(` ${q}`)) score = 3;
        else if (e.full.includes(q)) score = 4;
        if (score >= 0) scored.push({ item: e.item, score, name: e.name });
      }
      scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
      return scored.slice(0, limit).map((s) => s.item);
    },
  };
}

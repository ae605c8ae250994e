/**
 * Which part of the database an answer is about, one rule for every route: `province=` names a
 * province (one the database holds communes of); without it the answer is about the whole
 * database, which is that province when it holds only one (so a database of Phú Thọ alone
 * answers as it always has) and the country otherwise. Pure.
 */
import { NotFoundError } from '../errors';

/** A province code, or null: the country (every province the database holds). */
export type Scope = string | null;

export function resolveScope(requested: string | undefined, held: readonly string[]): Scope {
  if (requested !== undefined) {
    if (!held.includes(requested)) throw new NotFoundError(`no communes of province ${requested} are held`);
    return requested;
  }
  return held.length === 1 ? held[0] : null;
}

/**
 * The targets an answer about a scope is judged against: a province's own targets, or the
 * national ones when it has none of its own; the country's are the national ones.
 */
export function targetsOfScope<T extends { provinceCode: string | null }>(targets: readonly T[], scope: Scope): T[] {
  const national = targets.filter((t) => t.provinceCode === null);
  if (scope === null) return national;
  const own = targets.filter((t) => t.provinceCode === scope);
  return own.length ? own : national;
}

/** Every target that applies to a province: its own and the national ones. */
export function targetsOfProvince<T extends { provinceCode: string | null }>(targets: readonly T[], province: string): T[] {
  return targets.filter((t) => t.provinceCode === null || t.provinceCode === province);
}

/**
 * When a radio counts, as SQL conditions on a `radios` row aliased `r`, each with `?` placeholders
 * for the day (YYYY-MM-DD) in the order given. One rule for coverage, station counts and tiles.
 */

/** On air that day: not planned, commissioned on or before it (or undated), not decommissioned on or before it. Binds the day twice. */
export const ON_AIR_SQL = `(r.status <> 'planned'
  AND (r.commissioned_on IS NULL OR r.commissioned_on <= ?::date)
  AND (r.decommissioned_on IS NULL OR r.decommissioned_on > ?::date)
  AND NOT (r.status = 'decommissioned' AND r.decommissioned_on IS NULL))`;

/** Built by that day (on air or not since): not planned, commissioned on or before it, or undated. Binds the day once. */
export const BUILT_BY_SQL = `(r.status <> 'planned' AND (r.commissioned_on IS NULL OR r.commissioned_on <= ?::date))`;

/** The fields of a radio the rule reads (a row of `radios`, or a radio of `GET /api/stations`). */
export interface RadioDates {
  status: 'planned' | 'active' | 'decommissioned';
  commissionedOn: string | null;
  decommissionedOn: string | null;
}

/** `ON_AIR_SQL` for a radio in hand (the map page counts stations with it): days are YYYY-MM-DD. */
export function isOnAir(r: RadioDates, day: string): boolean {
  if (r.status === 'planned') return false;
  if (r.commissionedOn !== null && r.commissionedOn > day) return false;
  if (r.decommissionedOn !== null && r.decommissionedOn <= day) return false;
  return !(r.status === 'decommissioned' && r.decommissionedOn === null);
}

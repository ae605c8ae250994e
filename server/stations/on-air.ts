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

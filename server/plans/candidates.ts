/**
 * Candidate sites of a plan, as station rows the radio model turns into footprints exactly as it
 * does real stations: upgrades (an existing site of the operator without the technology gets it,
 * on its own sectors, at its own height, in the operator's usual band) and new sites on a grid
 * over the populated part of the communes that miss the target. Pure.
 */
import type { Technology } from '../coverage/engine/index';
import { DEFAULT_CANDIDATE_RADIO, defaultBandFor, newSiteRow, stationsOnAir, upgradeRows } from '../scenarios/changes';
import type { DensityFunction, EvaluationModel, EvaluatorCommune, RadioRow } from '../scenarios/evaluator';
import { boxOf, pointInMultiPolygon } from '../scenarios/locate';
import { metresPerDegreeLat, metresPerDegreeLon } from '../coverage/engine/geodesy';

export interface Candidate {
  kind: 'upgrade' | 'new';
  /** The existing station of an upgrade; null for a new site. */
  stationId: number | null;
  operator: string;
  technology: Technology;
  lon: number;
  lat: number;
  bandMhz: number;
  heightM: number;
  communeCode: string;
  rows: RadioRow[];
}

/** Below this spacing new-site candidates would outnumber what a plan can sift: metres. */
export const MIN_NEW_SITE_SPACING_M = 250;

export interface CandidateOptions {
  technology: Technology;
  /** One operator, or 'all'. */
  operator: string;
  kinds: 'upgrade' | 'new' | 'both';
  /** Communes whose stations may be upgraded. */
  scope: ReadonlySet<string>;
  /** Communes that miss the target: the new-site grid covers these. */
  missing: readonly EvaluatorCommune[];
}

export function buildCandidates(
  rows: readonly RadioRow[],
  communes: ReadonlyMap<string, EvaluatorCommune>,
  model: EvaluationModel,
  density: DensityFunction,
  o: CandidateOptions,
): Candidate[] {
  const out: Candidate[] = [];
  let radioId = -1;
  let stationId = -1;
  const nextRadio = () => radioId--;
  const bandOf = new Map<string, number>();
  const band = (operator: string) => {
    let b = bandOf.get(operator);
    if (b === undefined) bandOf.set(operator, (b = defaultBandFor(rows, operator, o.technology)));
    return b;
  };
  if (o.kinds !== 'new') {
    for (const s of stationsOnAir(rows).values()) {
      if ((o.operator !== 'all' && s.operator !== o.operator) || s.technologies.has(o.technology) || !s.communeCode || !o.scope.has(s.communeCode)) continue;
      const r = upgradeRows(s, o.technology, band(s.operator), null, nextRadio);
      out.push({ kind: 'upgrade', stationId: s.stationId, operator: s.operator, technology: o.technology, lon: s.lon, lat: s.lat, bandMhz: r[0].bandMhz, heightM: r[0].heightM!, communeCode: s.communeCode, rows: r });
    }
  }
  if (o.kinds !== 'upgrade') {
    // New sites go to the operator asked, or with 'all' to each operator that has the technology on air (else every operator on air).
    const withTech = [...new Set(rows.filter((r) => r.technology === o.technology).map((r) => r.operator))].sort();
    const operators = o.operator !== 'all' ? [o.operator] : withTech.length ? withTech : [...new Set(rows.map((r) => r.operator))].sort();
    const heightM = DEFAULT_CANDIDATE_RADIO[o.technology].heightM;
    for (const c of o.missing) {
      const [minX, minY, maxX, maxY] = boxOf(c.geometry);
      const midLat = (minY + maxY) / 2;
      for (const operator of operators) {
        // Grid spacing: the footprint radius of this radio in this commune (discs on such a grid overlap and leave no hole).
        const probe = newSiteRow({ lon: (minX + maxX) / 2, lat: midLat, operator, technology: o.technology, bandMhz: band(operator), heightM }, c.code, 0, 0);
        const radiusM = model.toEngineRadios([probe], communes, { flat: true })[0].radiusM;
        const spacingM = Math.max(MIN_NEW_SITE_SPACING_M, radiusM);
        const dLat = spacingM / metresPerDegreeLat(midLat);
        const dLon = spacingM / metresPerDegreeLon(midLat);
        for (let lat = minY + dLat / 2; lat < maxY; lat += dLat) {
          for (let lon = minX + dLon / 2; lon < maxX; lon += dLon) {
            if (!pointInMultiPolygon(c.geometry, lon, lat) || !(density(c.code, lon, lat) > 0)) continue;
            const row = newSiteRow({ lon, lat, operator, technology: o.technology, bandMhz: band(operator), heightM }, c.code, stationId--, nextRadio());
            out.push({ kind: 'new', stationId: null, operator, technology: o.technology, lon, lat, bandMhz: row.bandMhz, heightM, communeCode: c.code, rows: [row] });
          }
        }
      }
    }
  }
  return out;
}

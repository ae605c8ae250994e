// Small communes and radio rows for the plan tests.
import type { MultiPolygon } from 'geojson';
import type { EvaluatorCommune, RadioRow } from '../../../server/scenarios/evaluator';
import { rectangleAreaKm2 } from '../coverage/analytic';

/** A square commune of `sideDeg` degrees from its south-west corner. */
export function square(code: string, west: number, south: number, sideDeg: number, population: number, kind: 'xa' | 'phuong' = 'xa'): EvaluatorCommune {
  const [e, n] = [west + sideDeg, south + sideDeg];
  const geometry: MultiPolygon = { type: 'MultiPolygon', coordinates: [[[[west, south], [e, south], [e, n], [west, n], [west, south]]]] };
  return { code, name: code, kind, population, areaKm2: rectangleAreaKm2(west, south, e, n), geometry };
}

/** A radio row of a 30 m omni site. */
export function row(id: number, stationId: number, lon: number, lat: number, technology: RadioRow['technology'], bandMhz: number, operator = 'viettel', communeCode = '00001'): RadioRow {
  return { radioId: id, stationId, operator, siteCode: `S${stationId}`, technology, bandMhz, heightM: 30, azimuthDeg: null, beamwidthDeg: null, radiusM: null, lon, lat, communeCode };
}

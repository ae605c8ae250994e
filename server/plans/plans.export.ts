/** A plan as CSV (one row per site, in build order) or GeoJSON (one point per site). Pure. */
import type { PlanResult } from './planner';

export const PLAN_CSV_COLUMNS = [
  'rank', 'kind', 'stationId', 'lon', 'lat', 'operator', 'technology', 'bandMhz', 'heightM', 'communeCode', 'peopleAdded', 'areaAddedKm2',
  'cumulativeValue', 'cumulativePopulation',
] as const;

const r3 = (n: number) => Math.round(n * 1000) / 1000;

export function planCsvRows(result: PlanResult): Array<Record<string, unknown>> {
  return result.sites.map((s) => ({
    ...s, lon: s.lon.toFixed(6), lat: s.lat.toFixed(6), peopleAdded: Math.round(s.peopleAdded), areaAddedKm2: r3(s.areaAddedKm2),
    cumulativeValue: r3(s.cumulative.value), cumulativePopulation: Math.round(s.cumulative.coveredPopulation),
  }));
}

export function planGeoJson(id: number, result: PlanResult) {
  const { sites, ...meta } = result;
  return {
    type: 'FeatureCollection' as const,
    plan: { id, ...meta, communes: undefined, communesChanged: meta.communes.length },
    features: sites.map((s) => ({
      type: 'Feature' as const, id: s.rank,
      geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] },
      properties: { ...s, lon: undefined, lat: undefined },
    })),
  };
}

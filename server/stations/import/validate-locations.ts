import { positionKey, type RadioRow } from '../stations.schema';
import { cooperate } from './cooperate';
import { rowError, rowWarning, type ImportIssue } from './issues';

/** Where points fall; the database answers it (PostGIS), so the import takes it as an argument. */
export interface PointLocator {
  /** One answer per point, in order: the commune that contains it, and its distance to the province (0 inside). */
  locate(points: Array<{ lon: number; lat: number }>): Promise<Array<{ communeCode: string | null; distanceToProvinceKm: number }>>;
}

/** Default distance beyond the province boundary at which a station is an error, in km. */
export const FAR_FROM_PROVINCE_KM = 10;
/**
 * Points per locate() call, to keep each query's bindings bounded. Large: each call prepares every
 * commune polygon again, so a 100,000-row file takes at most two.
 */
const LOCATE_BATCH = 50_000;
/**
 * Points per call for uploads served while other requests run: on the embedded engine a query runs
 * on the event loop's own thread (PGlite), so a 50,000-point join held every other request for
 * its whole length; a tenth of that is a short wait, for about the same total time.
 */
export const LOCATE_BATCH_SHARED = 10_000;

/**
 * The spatial rules of an upload: a point outside every commune is a warning (a boundary gap or
 * a station just across the border), one more than `farKm` from the province is an error.
 * Each distinct position is located once.
 */
export async function validateLocations(
  rows: RadioRow[],
  locator: PointLocator,
  options: { farKm?: number; batchPoints?: number } = {},
): Promise<ImportIssue[]> {
  const farKm = options.farKm ?? FAR_FROM_PROVINCE_KM;
  const batchPoints = options.batchPoints ?? LOCATE_BATCH;
  // On the event loop: 100,000 rows take tens of milliseconds, given back in slices.
  const tick = cooperate();
  const unique = new Map<string, { lon: number; lat: number }>();
  for (const r of rows) {
    const key = positionKey(r);
    if (!unique.has(key)) unique.set(key, { lon: r.lon, lat: r.lat });
    await tick();
  }
  const points = [...unique.values()];
  const answers = new Map<string, { communeCode: string | null; distanceToProvinceKm: number }>();
  for (let i = 0; i < points.length; i += batchPoints) {
    const batch = points.slice(i, i + batchPoints);
    const located = await locator.locate(batch);
    if (located.length !== batch.length) {
      throw new Error(`PointLocator answered ${located.length} points for ${batch.length}`);
    }
    batch.forEach((p, k) => answers.set(positionKey(p), located[k]));
  }

  const issues: ImportIssue[] = [];
  for (const r of rows) {
    await tick();
    const answer = answers.get(positionKey(r))!;
    if (answer.communeCode !== null) continue;
    const where = `${r.lon}, ${r.lat}`;
    const km = Math.round(answer.distanceToProvinceKm * 10) / 10;
    if (answer.distanceToProvinceKm > farKm) {
      issues.push(rowError(r.row, 'lon, lat', `position ${where} is ${km} km outside the province (more than ${farKm} km); check the coordinates`));
    } else {
      issues.push(
        rowWarning(
          r.row,
          'lon, lat',
          km > 0 ? `position ${where} is ${km} km outside the province, in no commune` : `position ${where} is in no known commune`,
        ),
      );
    }
  }
  return issues;
}

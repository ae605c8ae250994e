/**
 * For the tests that compare a province's answers across databases or moments
 * (test/api/provinces.test.ts, test/api/communes-national.test.ts): a small station list of
 * Phú Thọ as an upload, and answers stripped of what differs by construction.
 */

const STATIONS_HEADER = 'operator,site_code,name,lon,lat,technology,band_mhz,height_m,status,commissioned_on';

/** Phú Thọ: Việt Trì (5G and 4G) and Thanh Sơn (4G). */
export const PHU_THO_STATION_ROWS = [
  'viettel,PT-1,Gia Cẩm,105.4012,21.3225,5G,3500,30,active,2026-01-15',
  'viettel,PT-1,Gia Cẩm,105.4012,21.3225,4G,1800,30,active,2020-01-01',
  'viettel,PT-2,Thanh Sơn,105.18,21.20,4G,1800,35,active,2021-05-01',
];

/** Station rows as the CSV body of POST /api/stations/import. */
export const stationsCsv = (rows: readonly string[]) => Buffer.from([STATIONS_HEADER, ...rows].join('\n') + '\n');

const MOMENTS = ['computedAt', 'takenAt', 'snapshotId', 'runId', 'id', 'createdAt', 'updatedAt', 'inputsDigest', 'importId'];

/**
 * An answer without what differs from one database or moment to another by construction: times,
 * ids, and the digest of a run's inputs (a run over more provinces read more radios).
 */
export function withoutMoments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMoments);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !MOMENTS.includes(k)).map(([k, v]) => [k, withoutMoments(v)]));
  }
  return value;
}

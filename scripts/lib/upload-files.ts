// Files for the upload benchmark and tests: a valid station CSV of SYNTHETIC demo sites (all inside
// the default province), and a file far over the row limit.
import fs from 'node:fs/promises';
import { loadConfig } from '../../server/config';
import { findBoundariesFile } from '../../server/communes/import/geodata-dir';
import { parseCommuneFile } from '../../server/communes/import/parse-communes';
import { generateDemoStations, type DemoCommune } from '../../server/stations/demo/generate-demo';

export const STATION_HEADER = [
  'operator', 'site_code', 'name', 'lon', 'lat', 'technology', 'band_mhz', 'height_m', 'azimuth_deg', 'beamwidth_deg', 'radius_m',
  'status', 'commissioned_on', 'decommissioned_on',
] as const;

const cell = (v: unknown) => (v === null || v === undefined ? '' : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/** The communes of the default province straight from its boundary file (no database needed). */
export async function provinceCommunes(): Promise<DemoCommune[]> {
  const file = await findBoundariesFile(loadConfig().geodataDir);
  const { communes } = parseCommuneFile(await fs.readFile(file, 'utf8'));
  return communes.map((c) => ({ code: c.code, name: c.name, kind: c.kind, population: c.population, areaKm2: c.officialAreaKm2 ?? 1, geometry: c.geometry }));
}

/**
 * A valid station CSV of `rows` radios with an operator column: demo station sets of seeds 1, 2, …
 * with site codes prefixed by the seed (`prefix` too, so two files need not collide).
 */
export function stationCsv(rowsWanted: number, communes: readonly DemoCommune[], prefix = 'B'): Buffer {
  const lines: string[] = [STATION_HEADER.join(',')];
  for (let seed = 1; lines.length <= rowsWanted; seed++) {
    for (const r of generateDemoStations(communes, { seed })) {
      if (lines.length > rowsWanted) break;
      const row: Record<(typeof STATION_HEADER)[number], unknown> = {
        operator: r.operator, site_code: `${prefix}${seed}-${r.siteCode}`, name: r.name, lon: r.lon, lat: r.lat, technology: r.technology,
        band_mhz: r.bandMhz, height_m: r.heightM, azimuth_deg: r.azimuthDeg, beamwidth_deg: r.beamwidthDeg, radius_m: r.radiusM,
        status: r.status, commissioned_on: r.commissionedOn, decommissioned_on: r.decommissionedOn,
      };
      lines.push(STATION_HEADER.map((h) => cell(row[h])).join(','));
    }
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/**
 * A station header, then `rows` rows of one cell each ("A\n"): with 3,000,000 rows about 6 MB,
 * thirty times the row limit. Every row would be an error; the limit must stop the reading first.
 */
export function oneCellRows(rows: number): Buffer {
  const header = Buffer.from('site_code,lon,lat,technology,band_mhz\n');
  const body = Buffer.alloc(rows * 2, 'A\n');
  return Buffer.concat([header, body]);
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeSampleWorkbook } from '../../../scripts/make-sample-xlsx';
import { ImportOptionsSchema, RadioRowSchema } from '../../../server/stations/stations.schema';
import { errors, lines, parse, warnings } from './helpers';

const sample = (name: string) => readFileSync(fileURLToPath(new URL(`../../../geodata/samples/${name}`, import.meta.url)));

describe('samples in geodata/samples', () => {
  it.each([
    ['stations.csv', 'csv', 'viettel', 12, 5],
    ['stations-vi.csv', 'csv', 'vnpt', 9, 4],
    ['stations.xlsx', 'xlsx', 'mobifone', 9, 4],
    ['opencellid.csv', 'opencellid', 'viettel', 5, 5],
    ['stations.geojson', 'geojson', 'vietnamobile', 5, 3],
  ])('%s parses as %s for %s: %d radios at %d sites, no error', async (name, format, operator, radios, sites) => {
    for (const uploader of [null, operator]) {
      const file = await parse(sample(name), { filename: name, operator: uploader });
      expect(file.format).toBe(format);
      expect(errors(file)).toEqual([]);
      expect(file.rows).toHaveLength(radios);
      expect(new Set(file.rows.map((r) => r.siteCode)).size).toBe(sites);
      expect(file.rows.every((r) => r.operator === operator && RadioRowSchema.safeParse(r).success)).toBe(true);
    }
  });

  it('have no warnings but the OpenCelliD band assumption', async () => {
    for (const name of ['stations.csv', 'stations-vi.csv', 'stations.xlsx', 'stations.geojson']) {
      expect(warnings(await parse(sample(name), { filename: name }))).toEqual([]);
    }
    expect(warnings(await parse(sample('opencellid.csv'))).map((i) => i.row)).toEqual([null]);
  });

  it('reads the Vietnamese sample as the English one would be read', async () => {
    const file = await parse(sample('stations-vi.csv'));
    expect(file.rows[0]).toEqual({
      row: 2, operator: 'vnpt', siteCode: 'VNP-PTO-0101', name: 'Phú Thọ - Phong Châu', lon: 105.2291, lat: 21.4012,
      heightM: 30, technology: '4G', bandMhz: 1800, azimuthDeg: 0, beamwidthDeg: 65, radiusM: null,
      status: 'active', commissionedOn: '2018-03-15', decommissionedOn: null,
    });
    expect(file.rows.find((r) => r.technology === '2G')).toMatchObject({ status: 'decommissioned', decommissionedOn: '2024-10-16' });
    expect(file.rows.at(-1)).toMatchObject({ status: 'planned', commissionedOn: null });
  });

  it('stations-bad.csv shows one problem per row, as its last column says', async () => {
    const file = await parse(sample('stations-bad.csv'), { operator: 'viettel' });
    expect(lines(file)).toEqual([
      'warning null ghi_chu: column "ghi_chu" is not a station column and was ignored',
      'error 3 lon: longitude is missing',
      'error 4 lon: longitude "abc" is not a number',
      'error 5 lat: latitude 105.4012 is out of range; lon and lat look swapped: lon 105.4012, lat 21.3225 would be in Vietnam',
      'error 6 lat: latitude 35.1 is out of range; in Vietnam it is 8 to 24',
      'error 7 technology: technology "CDMA" is not known; use 2G, 3G, 4G or 5G (GSM, UMTS/WCDMA, LTE and NR are accepted too)',
      'error 8 band_mhz: band 850 MHz does not exist for 4G in Vietnam; use 700, 900, 1800, 2100, 2300, 2600',
      'error 9 site_code: duplicate of row 2: same operator, site code, technology, band and azimuth',
      'error 10 commissioned_on: commissioning date "31/02/2024" is not a real calendar day',
      'error 11 decommissioned_on: decommissioned on 2015-06-30, before it was commissioned on 2019-01-01',
      'warning 12 decommissioned_on: status is decommissioned but the decommissioning date is empty',
      'error 13 height_m: height -5 m is negative',
      'error 14 azimuth_deg: azimuth 400° is out of range (0 to 360)',
      'error 15 beamwidth_deg: beamwidth 0° is out of range (more than 0, at most 360)',
      'error 16 radius_m: radius -100 m must be more than 0; leave the cell empty if it is unknown',
      'error 17 operator: operator "sfone" is not known; known operators: viettel, vnpt, mobifone, vietnamobile, gmobile',
      'error 18 operator: operator vnpt is not yours; this upload is for viettel',
      'error 19 site_code: site code "BAD-0001" is 5179 m away from the same site code in row 2; one station has one position',
      'error 20 status: status "on fire" is not known; use planned, active or decommissioned',
      'error 21 site_code: site code is missing',
    ]);
    // Row 22 (Hải Phòng) is valid here; validateLocations refuses it against the communes.
    expect(file.rows.map((r) => r.row)).toEqual([2, 12, 22]);
  });

  it('stations.xlsx is what scripts/make-sample-xlsx.ts builds, byte for byte', async () => {
    expect((await makeSampleWorkbook()).equals(sample('stations.xlsx'))).toBe(true);
  });
});

describe('ImportOptionsSchema', () => {
  it('reads query strings, with defaults', () => {
    expect(ImportOptionsSchema.parse({})).toEqual({ mode: 'merge', dryRun: false });
    expect(ImportOptionsSchema.parse({ format: 'xlsx', mode: 'replace', dryRun: 'true' })).toEqual({ format: 'xlsx', mode: 'replace', dryRun: true });
    expect(ImportOptionsSchema.parse({ dryRun: 'false' }).dryRun).toBe(false);
    expect(ImportOptionsSchema.parse({ dryRun: true }).dryRun).toBe(true);
  });

  it.each([{ dryRun: 'maybe' }, { mode: 'append' }, { format: 'shp' }, { dryRun: ['true', 'false'] }])('refuses %j', (query) => {
    expect(ImportOptionsSchema.safeParse(query).success).toBe(false);
  });
});

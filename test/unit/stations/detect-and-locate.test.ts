import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../server/stations/import/detect-format';
import { validateLocations, type PointLocator } from '../../../server/stations/import';
import type { RadioRow } from '../../../server/stations/stations.schema';

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]);
const format = (data: Buffer | string, hints = {}) => {
  const result = detectFormat(typeof data === 'string' ? Buffer.from(data) : data, hints);
  return result.ok ? result.format : `ERR ${result.issue.message}`;
};

describe('detectFormat', () => {
  it.each([
    [ZIP, {}, 'xlsx'],
    ['{"type":"FeatureCollection"}', {}, 'geojson'],
    ['\ufeff  [ ]', {}, 'geojson'],
    ['radio,mcc,net,area,cell,unit,lon,lat\n', {}, 'opencellid'],
    ['LTE,452,4,12101,77115905,101,105.4,21.3,1254,38,1,1,1,0\n', {}, 'opencellid'],
    ['site_code,lon,lat\n', {}, 'csv'],
    ['site_code;lon;lat\n', { filename: 'x.txt' }, 'csv'],
    ['site_code,lon,lat\n', { contentType: 'application/vnd.ms-excel' }, 'csv'],
    ['radio,mcc,net,area,cell,unit\n', { format: 'csv' }, 'opencellid'],
    [ZIP, { filename: 'stations.csv' }, 'xlsx'],
  ])('%s with %j → %s', (data, hints, expected) => {
    expect(format(data, hints)).toBe(expected);
  });

  it.each([
    [ZIP, { format: 'csv' }, 'format=csv was given but the file is an Excel workbook'],
    ['a,b\n', { format: 'xlsx' }, 'format=xlsx was given but the file is plain text'],
    ['{"a":1}', { format: 'opencellid' }, 'format=opencellid was given but the file is JSON'],
    ['', {}, 'the file is empty'],
  ])('refuses %s with %j', (data, hints, message) => {
    expect(format(data, hints)).toBe(`ERR ${message}`);
  });
});

const radio = (row: number, lon: number, lat: number): RadioRow => ({
  row, operator: 'viettel', siteCode: `S${row}`, name: 'x', lon, lat, heightM: null, technology: '4G', bandMhz: 1800,
  azimuthDeg: null, beamwidthDeg: null, radiusM: null, status: 'active', commissionedOn: null, decommissionedOn: null,
});

/** Fake: the province is lon ≥ 105; west of it, 1 km per 0.01°; communes only north of lat 21. */
const locator = (calls: number[] = []): PointLocator => ({
  async locate(points) {
    calls.push(points.length);
    return points.map(({ lon, lat }) => ({
      communeCode: lon >= 105 && lat >= 21 ? '07900' : null,
      distanceToProvinceKm: lon >= 105 ? 0 : (105 - lon) * 100,
    }));
  },
});

describe('validateLocations', () => {
  it('warns outside every commune, errs beyond farKm, and locates each position once', async () => {
    const calls: number[] = [];
    const rows = [radio(2, 105.4, 21.3), radio(3, 105.4, 21.3), radio(4, 105.4, 20.5), radio(5, 104.95, 21.3), radio(6, 104.8, 21.3)];
    const issues = await validateLocations(rows, locator(calls));
    expect(calls).toEqual([4]);
    expect(issues).toEqual([
      { severity: 'warning', row: 4, column: 'lon, lat', message: 'position 105.4, 20.5 is in no known commune' },
      { severity: 'warning', row: 5, column: 'lon, lat', message: 'position 104.95, 21.3 is 5 km outside the province, in no commune' },
      { severity: 'error', row: 6, column: 'lon, lat', message: 'position 104.8, 21.3 is 20 km outside the province (more than 10 km); check the coordinates' },
    ]);
    expect(await validateLocations(rows, locator(), { farKm: 30 })).toHaveLength(3);
    expect((await validateLocations(rows, locator(), { farKm: 30 })).every((i) => i.severity === 'warning')).toBe(true);
  });

  it('asks in batches and refuses a locator that loses points', async () => {
    const calls: number[] = [];
    const many = Array.from({ length: 120_001 }, (_, i) => radio(i + 2, 105 + i / 1e6, 21.3));
    expect(await validateLocations(many, locator(calls))).toEqual([]);
    expect(calls).toEqual([50_000, 50_000, 20_001]);
    const lossy: PointLocator = { locate: async (points) => points.slice(1).map(() => ({ communeCode: 'x', distanceToProvinceKm: 0 })) };
    await expect(validateLocations(many.slice(0, 2), lossy)).rejects.toThrow(/answered 1 points for 2/);
  });
});

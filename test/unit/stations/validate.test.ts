import { describe, expect, it } from 'vitest';
import { RadioRowSchema } from '../../../server/stations/stations.schema';
import { HEADER, csv, errors, lines, parse, row, warnings } from './helpers';

/** Issues of a one-row file whose row differs from the valid one by `over`. */
async function issuesOf(over: Record<string, string>, options: Parameters<typeof parse>[1] = {}) {
  const file = await parse(csv(HEADER, row(over)), options);
  return file.issues.map((i) => ({ severity: i.severity, row: i.row, column: i.column, message: i.message }));
}

describe('row validation', () => {
  it('gives a valid row back as a schema-checked radio', async () => {
    const file = await parse(csv(HEADER, row()));
    expect(lines(file)).toEqual([]);
    expect(file.rows).toEqual([
      {
        row: 2, operator: 'viettel', siteCode: 'VTL-0001', name: 'Việt Trì', lon: 105.4012, lat: 21.3225,
        heightM: 30, technology: '4G', bandMhz: 1800, azimuthDeg: 0, beamwidthDeg: 65, radiusM: null,
        status: 'active', commissionedOn: '2019-01-01', decommissionedOn: null,
      },
    ]);
    expect(RadioRowSchema.safeParse(file.rows[0]).success).toBe(true);
  });

  it.each([
    [{ lon: '' }, 'lon', 'longitude is missing'],
    [{ lat: ' ' }, 'lat', 'latitude is missing'],
    [{ lon: 'abc' }, 'lon', 'longitude "abc" is not a number'],
    [{ lon: '21.3225', lat: '105.4012' }, 'lat', 'latitude 105.4012 is out of range; lon and lat look swapped: lon 105.4012, lat 21.3225 would be in Vietnam'],
    [{ lat: '35.1' }, 'lat', 'latitude 35.1 is out of range; in Vietnam it is 8 to 24'],
    [{ lon: '0', lat: '0' }, 'lon', 'coordinates are 0, 0: the position is missing'],
    [{ technology: 'CDMA' }, 'technology', 'technology "CDMA" is not known; use 2G, 3G, 4G or 5G (GSM, UMTS/WCDMA, LTE and NR are accepted too)'],
    [{ technology: '' }, 'technology', 'technology is missing'],
    [{ band_mhz: '850' }, 'band_mhz', 'band 850 MHz does not exist for 4G in Vietnam; use 700, 900, 1800, 2100, 2300, 2600'],
    [{ technology: '2G', band_mhz: '2100' }, 'band_mhz', 'band 2100 MHz does not exist for 2G in Vietnam; use 900, 1800'],
    [{ technology: '5G', band_mhz: '3.5' }, 'band_mhz', 'band 3.5 MHz does not exist for 5G in Vietnam; use 700, 2600, 3500, 3700, 3800, 26000; for 3.5 GHz write 3500'],
    [{ band_mhz: '3' }, 'band_mhz', 'band 3 MHz does not exist for 4G in Vietnam; use 700, 900, 1800, 2100, 2300, 2600; give the band in MHz, e.g. 1800'],
    [{ band_mhz: '' }, 'band_mhz', 'band is missing'],
    [{ commissioned_on: '31/02/2024' }, 'commissioned_on', 'commissioning date "31/02/2024" is not a real calendar day'],
    [{ decommissioned_on: 'soon', status: 'decommissioned' }, 'decommissioned_on', 'decommissioning date "soon" is not a date; use YYYY-MM-DD or DD/MM/YYYY'],
    [{ decommissioned_on: '2015-06-30', status: 'decommissioned' }, 'decommissioned_on', 'decommissioned on 2015-06-30, before it was commissioned on 2019-01-01'],
    [{ height_m: '-5' }, 'height_m', 'height -5 m is negative'],
    [{ height_m: '0' }, 'height_m', 'height 0 m is not an antenna height; leave the cell empty if it is unknown'],
    [{ height_m: '450' }, 'height_m', 'height 450 m is more than 300 m; is it the altitude above sea level?'],
    [{ azimuth_deg: '400' }, 'azimuth_deg', 'azimuth 400° is out of range (0 to 360)'],
    [{ azimuth_deg: '-10' }, 'azimuth_deg', 'azimuth -10° is out of range (0 to 360)'],
    [{ beamwidth_deg: '0' }, 'beamwidth_deg', 'beamwidth 0° is out of range (more than 0, at most 360)'],
    [{ radius_m: '-100' }, 'radius_m', 'radius -100 m must be more than 0; leave the cell empty if it is unknown'],
    [{ radius_m: '250000' }, 'radius_m', 'radius 250000 m is more than 100 km; is it in metres?'],
    [{ status: 'on fire' }, 'status', 'status "on fire" is not known; use planned, active or decommissioned'],
    [{ site_code: '' }, 'site_code', 'site code is missing'],
    [{ name: 'x'.repeat(201) }, 'name', 'name is 201 characters long; at most 200 are allowed'],
    [{ operator: 'sfone' }, 'operator', 'operator "sfone" is not known; known operators: viettel, vnpt, mobifone, vietnamobile, gmobile'],
    [{ operator: '' }, 'operator', 'operator is missing; an admin upload must name the operator of each row'],
  ])('%j → %s: %s', async (over, column, message) => {
    expect(await issuesOf(over)).toEqual([{ severity: 'error', row: 2, column, message }]);
  });

  it.each([
    [{ status: 'decommissioned' }, 'decommissioned_on', 'status is decommissioned but the decommissioning date is empty'],
    [{ status: '' }, 'status', 'status is empty; taken as active'],
    [{ radius_m: '3' }, 'radius_m', 'radius 3 m is very small; if it is in kilometres, write the header as "radius (km)"'],
  ])('%j → warning %s: %s', async (over, column, message) => {
    expect(await issuesOf(over)).toEqual([{ severity: 'warning', row: 2, column, message }]);
  });

  it('recognises projected metres', async () => {
    expect((await issuesOf({ lon: '587234', lat: '2358000' })).map((i) => i.message)).toEqual([
      'longitude 587234 looks like metres in a projected system (VN-2000 or UTM); give WGS 84 degrees',
      'latitude 2358000 looks like metres in a projected system (VN-2000 or UTM); give WGS 84 degrees',
    ]);
  });

  it('reports every problem of a row, each in its column', async () => {
    const got = await issuesOf({ lon: 'x', technology: 'CDMA', height_m: '-1', status: '??' });
    expect(got.map((i) => i.column)).toEqual(['lon', 'technology', 'height_m', 'status']);
  });

  it('normalises azimuth 360 to 0 and accepts an omnidirectional radio', async () => {
    const file = await parse(csv(HEADER, row({ azimuth_deg: '360' }), row({ azimuth_deg: '', beamwidth_deg: '', band_mhz: '900', radius_m: '3000' })));
    expect(lines(file)).toEqual([]);
    expect(file.rows.map((r) => [r.azimuthDeg, r.beamwidthDeg, r.radiusM])).toEqual([[0, 65, null], [null, null, 3000]]);
  });

  it('takes a decommissioning date without status as decommissioned', async () => {
    const head = HEADER.replace(',status', '');
    const line = row({ decommissioned_on: '2024-10-16' }).split(',').filter((_, i) => i !== 11).join(',');
    const file = await parse(csv(head, line));
    expect(file.rows[0].status).toBe('decommissioned');
    expect(lines(file)).toEqual([expect.stringMatching(/^warning null null: no status column/)]);
  });
});

describe('operator scope', () => {
  it('fills the uploader operator where the column is absent or empty', async () => {
    const head = HEADER.replace('operator,', '');
    const file = await parse(csv(head, row().replace('viettel,', '')), { operator: 'viettel' });
    expect(lines(file)).toEqual([]);
    expect(file.rows[0].operator).toBe('viettel');
    expect((await parse(csv(HEADER, row({ operator: '' })), { operator: 'vnpt' })).rows[0].operator).toBe('vnpt');
  });

  it("refuses another operator's rows", async () => {
    expect(await issuesOf({ operator: 'MobiFone' }, { operator: 'viettel' })).toEqual([
      { severity: 'error', row: 2, column: 'operator', message: 'operator mobifone is not yours; this upload is for viettel' },
    ]);
  });

  it('asks an admin for an operator column, once', async () => {
    const head = HEADER.replace('operator,', '');
    const file = await parse(csv(head, row().replace('viettel,', ''), row({ azimuth_deg: '9' }).replace('viettel,', '')));
    expect(lines(file)).toEqual(['error null operator: an admin upload needs an "operator" column naming the operator of each row']);
  });

  it('refuses an uploader whose operator is not known', async () => {
    const file = await parse(csv(HEADER, row({ operator: '' })), { operator: 'sfone' });
    expect(errors(file)[0]).toMatchObject({ row: null, message: expect.stringMatching(/uploader's operator "sfone" is not known/) });
  });
});

describe('rules across rows', () => {
  it('reports a duplicate key against its first row', async () => {
    const file = await parse(csv(HEADER, row(), row({ name: 'Việt Trì' }), row({ azimuth_deg: '120' })));
    expect(lines(file)).toEqual(['error 3 site_code: duplicate of row 2: same operator, site code, technology, band and azimuth']);
    expect(file.rows.map((r) => r.row)).toEqual([2, 4]);
  });

  it('tells radios of one site apart by technology, band and azimuth, and omni from north', async () => {
    const file = await parse(
      csv(HEADER, row(), row({ azimuth_deg: '' }), row({ band_mhz: '2100' }), row({ technology: '5G', band_mhz: '2600' })),
    );
    expect(lines(file)).toEqual([]);
    expect(file.rows).toHaveLength(4);
  });

  it('keeps the same site code of two operators apart', async () => {
    const file = await parse(csv(HEADER, row(), row({ operator: 'vnpt', lon: '105.9' })));
    expect(lines(file)).toEqual([]);
  });

  it('refuses a site code used at two positions more than 100 m apart', async () => {
    const file = await parse(
      csv(HEADER, row(), row({ azimuth_deg: '120', lon: '105.4015' }), row({ azimuth_deg: '240', lon: '105.4512' })),
    );
    expect(lines(file)).toEqual([
      'error 4 site_code: site code "VTL-0001" is 5179 m away from the same site code in row 2; one station has one position',
    ]);
  });

  it('warns when radios of one site disagree on name or height', async () => {
    const file = await parse(csv(HEADER, row(), row({ azimuth_deg: '120', name: 'Gia Cẩm', height_m: '35' })));
    expect(warnings(file).map((i) => [i.row, i.column, i.message])).toEqual([
      [3, 'name', 'name differs from row 2 ("Việt Trì"); a station has one name'],
      [3, 'height_m', 'height 35 m differs from 30 m in row 2; a station has one antenna height'],
    ]);
    expect(errors(file)).toEqual([]);
  });

  it('names the columns as the file writes them', async () => {
    const head = 'Mã trạm;Nhà mạng;Kinh độ;Vĩ độ;Công nghệ;Băng tần;Trạng thái';
    const file = await parse(csv(head, 'A1;Viettel;105,40;21,32;4G;1800;hoạt động', 'A1;Viettel;105,40;21,32;4G;1800;x'));
    expect(lines(file)).toEqual([
      'error 3 Trạng thái: status "x" is not known; use planned, active or decommissioned',
    ]);
  });
});

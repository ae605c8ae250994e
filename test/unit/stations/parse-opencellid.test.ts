import { describe, expect, it } from 'vitest';
import { SITE_CLUSTER_M } from '../../../server/stations/import/opencellid-sites';
import { errors, lines, parse, warnings } from './helpers';

const HEAD = 'radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal';
const cell = (radio: string, net: number, area: number, cellId: number, lon: number, lat: number, range = 1200, samples = 20, mcc = 452) =>
  `${radio},${mcc},${net},${area},${cellId},0,${lon},${lat},${range},${samples},1,1561023441,1748340012,0`;
const ocid = (...rows: string[]) => Buffer.from([HEAD, ...rows].join('\n'));

describe('OpenCelliD parsing', () => {
  it('is detected from its header and maps MNC to operators and radio to technology', async () => {
    const file = await parse(
      ocid(
        cell('LTE', 4, 12101, 301234 * 256 + 1, 105.4, 21.32),
        cell('UMTS', 2, 12001, 1021 * 65536 + 10231, 105.34, 20.82),
        cell('GSM', 1, 12001, 21011, 105.23, 21.4),
        cell('NR', 5, 1, 5028347905, 105.6, 21.31),
        cell('GSM', 7, 1, 3, 105.7, 21.24),
      ),
    );
    expect(file.format).toBe('opencellid');
    expect(errors(file)).toEqual([]);
    expect(file.rows.map((r) => [r.row, r.operator, r.technology, r.bandMhz, r.siteCode])).toEqual([
      [2, 'viettel', '4G', 1800, '452-04-LTE-301234'],
      [3, 'vnpt', '3G', 2100, '452-02-UMTS-1021-10231'],
      [4, 'mobifone', '2G', 900, '452-01-GSM-12001-21011'],
      [5, 'vietnamobile', '5G', 3500, '452-05-NR-1-5028347905'],
      [6, 'gmobile', '2G', 900, '452-07-GSM-1-3'],
    ]);
    expect(warnings(file).map((i) => i.message)).toEqual([expect.stringMatching(/^OpenCelliD gives no frequency: bands are assumed/)]);
  });

  it("assumes each operator's auctioned 5G band", async () => {
    const file = await parse(ocid(cell('NR', 4, 1, 10, 105.4, 21.3), cell('NR', 2, 1, 10, 105.5, 21.3), cell('NR', 1, 1, 10, 105.6, 21.3)));
    expect(file.rows.map((r) => [r.operator, r.bandMhz])).toEqual([['viettel', 2600], ['vnpt', 3700], ['mobifone', 3800]]);
  });

  it('groups the cells of one LTE eNB into one site whatever their positions', async () => {
    const enb = 77000;
    const file = await parse(
      ocid(
        cell('LTE', 4, 1, enb * 256 + 1, 105.4, 21.32, 1000, 10),
        cell('LTE', 4, 1, enb * 256 + 2, 105.41, 21.32, 1500, 30),
        cell('LTE', 4, 2, enb * 256 + 3, 105.402, 21.321, 800, 1),
        cell('LTE', 4, 1, (enb + 1) * 256 + 1, 105.4, 21.32),
      ),
    );
    expect(file.rows).toHaveLength(2);
    const site = file.rows[0];
    expect(site).toMatchObject({ siteCode: `452-04-LTE-${enb}`, name: `OpenCelliD LTE eNB ${enb} (3 cells)`, samples: 41 });
    // Samples-weighted mean of the positions.
    expect(site.lon).toBeCloseTo((105.4 * 10 + 105.41 * 30 + 105.402 * 1) / 41, 6);
    // The one-sample cell's range is OpenCelliD's default, not a measurement.
    expect(site.rangeHintM).toBe(1500);
    expect(site.radiusM).toBeNull();
  });

  it('groups GSM, UMTS and NR cells by area (and RNC) and position', async () => {
    const near = 105.4 + (0.8 * SITE_CLUSTER_M) / 104_000;
    const far = 105.4 + (1.5 * SITE_CLUSTER_M) / 104_000;
    const file = await parse(
      ocid(
        cell('GSM', 4, 10, 1, 105.4, 21.3),
        cell('GSM', 4, 10, 2, near, 21.3),
        cell('GSM', 4, 10, 3, far, 21.3),
        cell('GSM', 4, 11, 4, 105.4, 21.3),
        cell('UMTS', 4, 10, 7 * 65536 + 1, 105.4, 21.3),
        cell('UMTS', 4, 10, 8 * 65536 + 2, 105.4, 21.3),
      ),
    );
    expect(file.rows.map((r) => r.siteCode)).toEqual([
      '452-04-GSM-10-1', '452-04-GSM-10-3', '452-04-GSM-11-4', '452-04-UMTS-7-1', '452-04-UMTS-8-2',
    ]);
  });

  it('reads files without the header line, as country downloads come', async () => {
    const file = await parse(Buffer.from([cell('LTE', 4, 1, 256, 105.4, 21.3), cell('LTE', 4, 1, 512, 105.5, 21.3)].join('\n')));
    expect(file.format).toBe('opencellid');
    expect(file.rows.map((r) => r.row)).toEqual([1, 2]);
  });

  it('gives a row error for each cell outside MCC 452, of an unknown MNC or radio, or misplaced', async () => {
    const file = await parse(
      ocid(
        cell('LTE', 4, 1, 256, 105.4, 21.3, 1000, 5, 404),
        cell('LTE', 8, 1, 512, 105.4, 21.3),
        cell('CDMA', 4, 1, 768, 105.4, 21.3),
        cell('LTE', 4, 1, 1024, 21.3, 105.4),
        cell('LTE', 4, 1, 1280, 2.35, 48.85),
        'LTE,452,4,1,abc,0,105.4,21.3,1000,5,1,0,0,0',
      ),
    );
    expect(lines(file)).toEqual([
      "error 2 mcc: MCC 404 is not Vietnam (452); this file holds another country's cells",
      'error 3 net: MNC 08 is not a known operator (01 MobiFone, 02 VinaPhone, 04 Viettel, 05 Vietnamobile, 07 Gmobile)',
      "error 4 radio: radio \"CDMA\" is not used in Vietnam's networks; expected GSM, UMTS, LTE or NR",
      'error 5 lat: lon 21.3 and lat 105.4 are swapped',
      'error 6 lat: position 2.35, 48.85 is outside Vietnam',
      'error 7 cell: cell "abc" is not a whole number',
    ]);
  });

  it("refuses another operator's cells for an operator upload", async () => {
    const file = await parse(ocid(cell('LTE', 4, 1, 256, 105.4, 21.3), cell('LTE', 1, 1, 256, 105.4, 21.3)), { operator: 'viettel' });
    expect(errors(file).map((i) => [i.row, i.column, i.message])).toEqual([[3, 'net', 'operator mobifone is not yours; this upload is for viettel']]);
  });

  it.each([
    ['header only', ocid(), /header but no data rows/],
    ['missing columns', Buffer.from('radio,mcc,net\nLTE,452,4'), /columns area, cell, lon, lat are missing/],
  ])('gives one file-level error for %s', async (_name, data, message) => {
    const file = await parse(data, { format: 'opencellid' });
    expect(errors(file)).toEqual([expect.objectContaining({ row: null, message: expect.stringMatching(message) })]);
  });

  it('stops at maxRows', async () => {
    const file = await parse(ocid(...Array.from({ length: 4 }, (_, i) => cell('LTE', 4, 1, 256 * (i + 1), 105.4, 21.3))), { maxRows: 3 });
    expect(lines(file)).toEqual(['error null null: the file has more than 3 data rows; split it into smaller files']);
  });
});

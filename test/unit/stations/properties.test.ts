import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEADER_ALIASES } from '../../../server/stations/import';
import type { ParsedFile } from '../../../server/stations/import';
import { RadioRowSchema, STATION_FORMATS, TECHNOLOGIES, VIETNAM_BANDS_MHZ, type RadioRow } from '../../../server/stations/stations.schema';
import { HEADER, KNOWN, parse } from './helpers';

/** What must hold for any input: issues well formed and short, rows valid and free of errors. */
function checkInvariants(file: ParsedFile): void {
  for (const issue of file.issues) {
    expect(['error', 'warning']).toContain(issue.severity);
    expect(issue.row === null || (Number.isInteger(issue.row) && issue.row >= 0)).toBe(true);
    expect(issue.message.length).toBeGreaterThan(0);
    expect(issue.message.length).toBeLessThan(600);
    expect((issue.column ?? '').length).toBeLessThan(2000);
  }
  const errorRows = new Set(file.issues.filter((i) => i.severity === 'error').map((i) => i.row));
  for (const row of file.rows) {
    expect(RadioRowSchema.safeParse(row).success).toBe(true);
    expect(errorRows.has(row.row)).toBe(false);
  }
  if (errorRows.has(null)) expect(file.rows).toEqual([]);
}

const ENCODINGS = ['utf8', 'utf8-bom', 'utf16le', 'utf16be'] as const;
function encode(text: string, encoding: (typeof ENCODINGS)[number]): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  if (encoding === 'utf8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (encoding === 'utf16le') return le;
  const be = Buffer.from(le);
  for (let i = 0; i + 1 < be.length; i += 2) [be[i], be[i + 1]] = [le[i + 1], le[i]];
  return be;
}

const quoteCsv = (value: string) => `"${value.replaceAll('"', '""')}"`;

/** Cells that try hard to break a parser: real values, near misses, separators, huge text. */
const nastyCell = fc.oneof(
  fc.constantFrom('', ' ', '105,40', '21.3', '4G', 'LTE', '1800', 'n78', '31/02/2024', '2024-05-01', '#N/A', '=1+1', '"', '""', ';', '\t', '\r\n', '\u0000', '\ufeff', '−5', '1e309', 'NaN', 'viettel', 'VinaPhone', 'Đang hoạt động'),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.double().map(String),
  fc.integer().map(String),
  fc.nat(5).map((n) => 'x'.repeat(10 ** n)),
);

describe('properties: the parser never throws and returns issues', () => {
  it('random bytes, in every declared format', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2000 }),
        fc.constantFrom(undefined, ...STATION_FORMATS),
        fc.constantFrom(undefined, [0x50, 0x4b, 0x03, 0x04], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0x7b]),
        async (bytes, format, prefix) => {
          const data = Buffer.concat([Buffer.from(prefix ?? []), Buffer.from(bytes)]);
          const file = await parse(data, { format });
          checkInvariants(file);
          if (file.rows.length === 0) expect(file.issues.some((i) => i.severity === 'error')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random rows under a real header, any delimiter and encoding', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(nastyCell, { maxLength: 16 }), { maxLength: 12 }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom(...ENCODINGS),
        fc.boolean(),
        async (rows, delimiter, encoding, quoteAll) => {
          const write = (cells: string[]) => cells.map((c) => (quoteAll ? quoteCsv(c) : c)).join(delimiter);
          const text = [HEADER.split(',').join(delimiter), ...rows.map(write)].join('\r\n');
          const file = await parse(encode(text, encoding), { maxRows: 50 });
          checkInvariants(file);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random JSON as GeoJSON', async () => {
    const feature = fc.record({
      type: fc.constantFrom('Feature', 'feature', 'Point'),
      geometry: fc.oneof(fc.constant(null), fc.record({ type: fc.constantFrom('Point', 'LineString'), coordinates: fc.jsonValue() })),
      properties: fc.oneof(fc.constant(null), fc.dictionary(fc.constantFrom('site_code', 'lon', 'band_mhz', 'Mã trạm', 'x'), fc.jsonValue())),
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.array(feature).map((features) => ({ type: 'FeatureCollection', features }))), async (json) => {
        checkInvariants(await parse(Buffer.from(JSON.stringify(json) ?? 'null'), { format: 'geojson', operator: 'viettel' }));
      }),
      { numRuns: 200 },
    );
  });

  it('random cells in an xlsx workbook', async () => {
    const cell = fc.oneof(nastyCell, fc.double(), fc.date({ noInvalidDate: true }), fc.constant(null), fc.boolean());
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { maxLength: 10 }), { maxLength: 8 }), async (rows) => {
        const book = new ExcelJS.Workbook();
        const sheet = book.addWorksheet('s');
        sheet.addRow(['site_code', 'lon', 'lat', 'technology', 'band_mhz', 'status', 'commissioned_on']);
        for (const r of rows) sheet.addRow(r.map((c) => (typeof c === 'string' ? c.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '') : c)));
        const data = Buffer.from(await book.xlsx.writeBuffer());
        checkInvariants(await parse(data, { operator: 'viettel' }));
      }),
      { numRuns: 40 },
    );
  });

  it('a huge field gives an issue, not a crash', async () => {
    const huge = 'x'.repeat(2_000_000);
    for (const text of [`${HEADER}\nviettel,${huge}`, `${HEADER}\nviettel,"${huge}`, `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"name":"${huge}"}}]}`]) {
      const file = await parse(Buffer.from(text));
      checkInvariants(file);
      expect(file.issues.some((i) => i.severity === 'error')).toBe(true);
    }
  });
});

const SPELLINGS: Record<string, string[]> = { '2G': ['2G', 'GSM'], '3G': ['3G', 'UMTS', 'WCDMA'], '4G': ['4G', 'LTE'], '5G': ['5G', 'NR'] };
const STATUS_WORDS: Record<RadioRow['status'], string[]> = {
  active: ['active', 'Đang hoạt động'],
  planned: ['planned', 'Kế hoạch'],
  decommissioned: ['decommissioned', 'Ngừng hoạt động'],
};
const fixed = (min: number, max: number, decimals: number) =>
  fc.integer({ min: Math.ceil(min * 10 ** decimals), max: Math.floor(max * 10 ** decimals) }).map((v) => v / 10 ** decimals);
const isoDay = fc.date({ min: new Date('1995-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** A valid radio, each value drawn from its domain. */
const validRadio = fc
  .record({
    operator: fc.constantFrom(...KNOWN),
    name: fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
      .map((s) => s.replace(/\s+/g, ' ').trim())
      .filter((s) => s.length > 0 && !/[\u0000-\u001f\u007f]/.test(s) && !s.startsWith('#')),
    lon: fixed(102, 110, 6),
    lat: fixed(8, 24, 6),
    heightM: fc.option(fixed(0.5, 300, 1), { nil: null }),
    technology: fc.constantFrom(...TECHNOLOGIES),
    bandIndex: fc.nat(),
    azimuthDeg: fc.option(fixed(0, 359.9, 1), { nil: null }),
    beamwidthDeg: fc.option(fixed(1, 360, 0), { nil: null }),
    radiusM: fc.option(fixed(50, 100_000, 0), { nil: null }),
    status: fc.constantFrom('planned', 'active', 'decommissioned' as const),
    dates: fc.tuple(isoDay, isoDay).map(([a, b]) => (a <= b ? [a, b] : [b, a])),
    hasCommissioned: fc.boolean(),
  })
  .map(({ bandIndex, dates, hasCommissioned, ...r }) => {
    const bands = VIETNAM_BANDS_MHZ[r.technology];
    return {
      ...r,
      bandMhz: bands[bandIndex % bands.length],
      commissionedOn: hasCommissioned || r.status === 'decommissioned' ? dates[0] : null,
      decommissionedOn: r.status === 'decommissioned' ? dates[1] : null,
    };
  });

describe('properties: valid rows come back exactly', () => {
  it('written with any header alias, column order, delimiter, decimal mark, date style and encoding', async () => {
    const fields = Object.keys(HEADER_ALIASES) as Array<keyof typeof HEADER_ALIASES>;
    await fc.assert(
      fc.asyncProperty(
        fc.array(validRadio, { minLength: 1, maxLength: 15 }),
        fc.array(fc.nat(), { minLength: fields.length, maxLength: fields.length }),
        fc.shuffledSubarray(fields, { minLength: fields.length }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom(...ENCODINGS),
        fc.nat(),
        async (radios, aliasPicks, order, delimiter, encoding, style) => {
          const decimal = delimiter === ',' ? '.' : ',';
          const num = (v: number | null) => (v === null ? '' : String(v).replace('.', decimal));
          const day = (d: string | null) => (d === null ? '' : style % 2 ? d : d.split('-').reverse().join('/'));
          const header = order.map((f) => HEADER_ALIASES[f][aliasPicks[fields.indexOf(f)] % HEADER_ALIASES[f].length]);
          const lines = radios.map((r, i) => {
            const cells: Record<string, string> = {
              operator: r.operator, site_code: `SITE-${i}`, name: r.name, lon: num(r.lon), lat: num(r.lat),
              technology: SPELLINGS[r.technology][(style + i) % SPELLINGS[r.technology].length], band_mhz: String(r.bandMhz),
              height_m: num(r.heightM), azimuth_deg: num(r.azimuthDeg), beamwidth_deg: num(r.beamwidthDeg), radius_m: num(r.radiusM),
              status: STATUS_WORDS[r.status][(style + i) % 2], commissioned_on: day(r.commissionedOn), decommissioned_on: day(r.decommissionedOn),
            };
            return order.map((f) => quoteCsv(cells[f])).join(delimiter);
          });
          const text = [header.map(quoteCsv).join(delimiter), ...lines].join(style % 3 ? '\r\n' : '\n');
          const file = await parse(encode(text, encoding));
          expect(file.issues).toEqual([]);
          expect(file.rows).toEqual(
            radios.map((r, i) => ({
              row: i + 2, operator: r.operator, siteCode: `SITE-${i}`, name: r.name, lon: r.lon, lat: r.lat, heightM: r.heightM,
              technology: r.technology, bandMhz: r.bandMhz, azimuthDeg: r.azimuthDeg, beamwidthDeg: r.beamwidthDeg, radiusM: r.radiusM,
              status: r.status, commissionedOn: r.commissionedOn, decommissionedOn: r.decommissionedOn,
            })),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

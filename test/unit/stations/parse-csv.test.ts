import { describe, expect, it } from 'vitest';
import { detectDelimiter } from '../../../server/stations/import/parse-csv';
import { HEADER, csv, errors, lines, parse, row, warnings } from './helpers';

describe('csv parsing', () => {
  it('reads the canonical header with comma', async () => {
    const file = await parse(csv(HEADER, row(), row({ azimuth_deg: '120' })));
    expect(lines(file)).toEqual([]);
    expect(file.format).toBe('csv');
    expect(file.rows.map((r) => [r.row, r.azimuthDeg])).toEqual([[2, 0], [3, 120]]);
  });

  it.each([
    ['semicolon', ';'],
    ['tab', '\t'],
  ])('detects a %s delimiter and reads decimal commas', async (_name, d) => {
    const text = [HEADER.replaceAll(',', d), row({ lon: '105,4012', lat: '21,3225' }, d)];
    const data = Buffer.from(text.join('\r\n'));
    const file = await parse(data);
    expect(lines(file)).toEqual([]);
    expect(file.rows[0]).toMatchObject({ lon: 105.4012, lat: 21.3225 });
  });

  it('honours the "sep=" line Excel writes, and numbers rows as Excel shows them', async () => {
    const file = await parse(csv('sep=|', HEADER.replaceAll(',', '|'), row({}, '|')));
    expect(lines(file)).toEqual([]);
    expect(file.rows[0].row).toBe(2);
  });

  it('chooses the delimiter of the header, not the decimal commas of the data', () => {
    expect(detectDelimiter('site_code;lon;lat;band_mhz\nA;105,4;21,3;1,8\n')).toBe(';');
    expect(detectDelimiter('a;b;c\n1,5;2,5;3\n')).toBe(',');
    expect(detectDelimiter('a,b\n"x;y;z",1\n')).toBe(',');
  });

  it('accepts UTF-8 with BOM, UTF-16 LE and BE with BOM', async () => {
    const text = [HEADER, row({ name: 'Hòa Bình - Phương Lâm' })].join('\r\n');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    for (let i = 0; i < be.length; i += 2) [be[i], be[i + 1]] = [le[i + 1], le[i]];
    for (const data of [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), le, be]) {
      const file = await parse(data);
      expect(lines(file)).toEqual([]);
      expect(file.rows[0].name).toBe('Hòa Bình - Phương Lâm');
    }
  });

  it('refuses a file that is not UTF-8 and says how to fix it', async () => {
    const latin = Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from('viettel,X,H\xf2a B\xecnh,105.4,21.3,4G,1800,,,,,,,\n', 'latin1')]);
    const file = await parse(latin);
    expect(lines(file)).toEqual([expect.stringMatching(/^error null null: the file is not valid UTF-8 .*CSV UTF-8/)]);
  });

  it.each([
    ['empty', Buffer.alloc(0), /the file is empty/],
    ['blank lines only', csv('', '  ', ''), /no rows/],
    ['header only', csv(HEADER), /header but no data rows/],
    ['not a station list', csv('hello world', 'this is a letter'), /no header row found/],
    ['binary', Buffer.from([1, 2, 3, 0, 0, 4, 5, 250, 251, 0]), /binary/],
    ['a PDF', Buffer.from('%PDF-1.7\n...'), /PDF/],
    ['an old .xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /97–2003/],
  ])('gives one file-level error for %s', async (_name, data, message) => {
    const file = await parse(data);
    expect(errors(file)).toHaveLength(1);
    expect(errors(file)[0]).toMatchObject({ row: null, message: expect.stringMatching(message) });
    expect(file.rows).toEqual([]);
  });

  it('names each missing required column once', async () => {
    const file = await parse(csv('site_code,name,lon,technology', 'A,B,105.4,4G'), { operator: 'viettel' });
    expect(errors(file).map((i) => i.message)).toEqual([
      expect.stringMatching(/required column "lat" is missing \(also accepted: latitude, y, vĩ độ\)/),
      expect.stringMatching(/required column "band_mhz" is missing/),
    ]);
  });

  it('skips a title above the header and counts rows as a spreadsheet does', async () => {
    const file = await parse(csv('DANH SÁCH TRẠM BTS VIETTEL PHÚ THỌ', '', HEADER, row(), '', row({ azimuth_deg: '120' })));
    expect(lines(file)).toEqual([expect.stringMatching(/^warning null null: rows above the header \(row 3\) were ignored/)]);
    expect(file.rows.map((r) => r.row)).toEqual([4, 6]);
  });

  it('counts a quoted cell spanning lines as one row', async () => {
    const file = await parse(csv(HEADER, row({ name: '"Việt Trì\nGia Cẩm"' }), row({ azimuth_deg: '120', height_m: '-1' })));
    expect(file.rows[0]).toMatchObject({ row: 2, name: 'Việt Trì Gia Cẩm' });
    expect(errors(file)).toEqual([expect.objectContaining({ row: 3, column: 'height_m' })]);
  });

  it('warns once about each unknown column and ignores row-number columns', async () => {
    const file = await parse(csv(`STT,${HEADER},ghi chú,extra`, `1,${row()},x,y`, `2,${row({ azimuth_deg: '90' })},,`));
    expect(lines(file)).toEqual([
      'warning null ghi chú: column "ghi chú" is not a station column and was ignored',
      'warning null extra: column "extra" is not a station column and was ignored',
    ]);
    expect(file.rows).toHaveLength(2);
  });

  it('reports a row longer than the header once, with a hint about unquoted decimal commas', async () => {
    const file = await parse(csv(HEADER, row({ lon: '105,4012' })));
    expect(lines(file)).toEqual(['error 2 null: row has 15 values but the header has 14 columns; is a decimal comma or a delimiter unquoted?']);
  });

  it('refuses two columns for one field and a unit it cannot convert', async () => {
    const file = await parse(csv(`${HEADER},kinh độ,Độ cao (ft)`, `${row()},105.4,30`));
    expect(errors(file).map((i) => i.message)).toEqual([
      'columns "lon" and "kinh độ" both give lon; keep one',
      'column "Độ cao (ft)": unit "ft" is not accepted for height_m',
    ]);
  });

  it('converts units given in the header', async () => {
    const head = HEADER.replace('radius_m', 'Bán kính (km)').replace('band_mhz', 'Băng tần (GHz)');
    const file = await parse(csv(head, row({ radius_m: '"2,5"', band_mhz: '1.8' })));
    expect(lines(file)).toEqual([]);
    expect(file.rows[0]).toMatchObject({ radiusM: 2500, bandMhz: 1800 });
  });

  it('reports a quote that never closes', async () => {
    const file = await parse(csv(HEADER, row(), row({ name: '"Việt Trì' }), row()));
    expect(errors(file)).toEqual([expect.objectContaining({ row: 3, message: expect.stringMatching(/never closed/) })]);
  });

  it('stops at maxRows with one file-level error', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => row({ site_code: `S${i}` }));
    const file = await parse(csv(HEADER, ...rows), { maxRows: 5 });
    expect(lines(file)).toEqual(['error null null: the file has more than 5 data rows; split it into smaller files']);
    expect(file.rows).toEqual([]);
    expect(lines(await parse(csv(HEADER, ...rows.slice(0, 5)), { maxRows: 5 }))).toEqual([]);
  });

  it('keeps formula-like cells as text', async () => {
    const file = await parse(csv(HEADER, row({ name: '"=HYPERLINK(""http://evil"",""x"")"' })));
    expect(file.rows[0].name).toBe('=HYPERLINK("http://evil","x")');
    expect(warnings(file)).toEqual([]);
  });
});

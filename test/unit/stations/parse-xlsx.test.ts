import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { errors, lines, parse } from './helpers';

async function workbook(fill: (sheet: ExcelJS.Worksheet, book: ExcelJS.Workbook) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Trạm');
  fill(sheet, book);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const HEAD = ['Mã trạm', 'Tên trạm', 'Kinh độ', 'Vĩ độ', 'Công nghệ', 'Băng tần', 'Độ cao (m)', 'Ngày phát sóng', 'Trạng thái'];

describe('xlsx parsing', () => {
  it('reads number, text, date and formula cells of the first sheet, by Excel row number', async () => {
    const data = await workbook((sheet, book) => {
      sheet.addRow(['DANH SÁCH TRẠM BTS']);
      sheet.addRow(HEAD);
      sheet.addRow(['VT-01', 'Việt Trì', 105.4012, 21.3225, '4G', 1800, 30, new Date(Date.UTC(2019, 0, 15)), 'Đang hoạt động']);
      sheet.addRow(['VT-02', { richText: [{ text: 'Vĩnh ' }, { text: 'Yên' }] }, '105,5984', '21,3089', 'LTE', { formula: '900*2', result: 1800 }, 30, '15/01/2019', 'active']);
      sheet.getCell('H3').numFmt = 'dd/mm/yyyy';
      book.addWorksheet('Other').addRow(['ignored']);
    });
    const file = await parse(data, { filename: 'x.xlsx', operator: 'viettel' });
    expect(file.format).toBe('xlsx');
    expect(lines(file)).toEqual(['warning null null: rows above the header (row 2) were ignored']);
    expect(file.rows.map((r) => [r.row, r.siteCode, r.name, r.lon, r.bandMhz, r.commissionedOn])).toEqual([
      [3, 'VT-01', 'Việt Trì', 105.4012, 1800, '2019-01-15'],
      [4, 'VT-02', 'Vĩnh Yên', 105.5984, 1800, '2019-01-15'],
    ]);
  });

  it('reads a date cell that lost its format as an Excel day number', async () => {
    const data = await workbook((sheet) => {
      sheet.addRow(HEAD);
      sheet.addRow(['VT-01', 'Việt Trì', 105.4012, 21.3225, '4G', 1800, 30, 43480, 'active']);
    });
    expect((await parse(data, { operator: 'viettel' })).rows[0].commissionedOn).toBe('2019-01-15');
  });

  it('reports Excel error cells and formulas without a result once, never evaluating them', async () => {
    const data = await workbook((sheet) => {
      sheet.addRow(HEAD);
      sheet.addRow(['VT-01', 'Việt Trì', 105.4012, 21.3225, '4G', { formula: '1/0', result: { error: '#DIV/0!' } }, { error: '#N/A' }, null, 'active']);
    });
    const file = await parse(data, { operator: 'viettel' });
    expect(errors(file).map((i) => [i.row, i.column, i.message])).toEqual([
      [2, 'Băng tần', 'the cell holds the formula =1/0 without a saved result (or with an error); type the value'],
      [2, 'Độ cao (m)', 'the cell shows the Excel error #N/A; fix the formula or type the value'],
    ]);
  });

  it('warns once about values beside the table', async () => {
    const data = await workbook((sheet) => {
      sheet.addRow(HEAD);
      sheet.addRow(['VT-01', 'Việt Trì', 105.4012, 21.3225, '4G', 1800, 30, null, 'active', null, 'note']);
      sheet.addRow(['VT-01', 'Việt Trì', 105.4012, 21.3225, '3G', 2100, 30, null, 'active', null, 'note']);
    });
    expect(lines(await parse(data, { operator: 'viettel' }))).toEqual([
      'warning 2 column 11: values in columns without a header were ignored (first: "note")',
    ]);
  });

  it.each([
    ['an empty workbook', async () => workbook(() => {}), /no rows/],
    ['a header only', async () => workbook((s) => s.addRow(HEAD)), /header but no data rows/],
    ['a zip that is not a workbook', async () => Buffer.from('PK\u0003\u0004 not really a zip at all'), /not a readable .xlsx workbook/],
  ])('gives one file-level error for %s', async (_name, make, message) => {
    const file = await parse(await make(), { format: 'xlsx', operator: 'viettel' });
    expect(errors(file)).toEqual([expect.objectContaining({ row: null, message: expect.stringMatching(message) })]);
  });

  it('refuses a workbook whose zip declares too much unzipped data, before inflating it', async () => {
    const data = await workbook((sheet) => sheet.addRow(HEAD));
    const eocd = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const central = data.readUInt32LE(eocd + 16);
    data.writeUInt32LE(0xfffffff0, central + 24);
    const file = await parse(data, { operator: 'viettel' });
    expect(lines(file)).toEqual(['error null null: the workbook is too large once unzipped']);
  });

  it('refuses a sheet with corrupt compressed data at once (exceljs alone waits forever on most of these)', async () => {
    const sample = readFileSync(fileURLToPath(new URL('../../../geodata/samples/stations.xlsx', import.meta.url)));
    const { start, packed } = zipEntry(sample, 'xl/worksheets/sheet1.xml');
    for (let k = 1; k < 20; k++) {
      const data = Buffer.from(sample);
      data[start + Math.floor((packed * k) / 20)] ^= 0xff;
      const file = await parse(data, { operator: 'mobifone' });
      expect(lines(file)).toEqual([
        'error null null: the file is not a readable .xlsx workbook (damaged at xl/worksheets/sheet1.xml); save it again from Excel',
      ]);
    }
  });

  it('refuses damaged workbooks quickly instead of hanging', async () => {
    const sample = readFileSync(fileURLToPath(new URL('../../../geodata/samples/stations.xlsx', import.meta.url)));
    for (let step = 0; step < 40; step++) {
      const data = Buffer.from(sample);
      for (let i = 100 + step; i < data.length - 200; i += 397) data[i] ^= 0x5a;
      const file = await parse(data, { format: 'xlsx', operator: 'mobifone' });
      expect(errors(file)).toEqual([expect.objectContaining({ row: null, message: expect.stringMatching(/not a readable .xlsx workbook/) })]);
    }
    const truncated = await parse(sample.subarray(0, 5000), { format: 'xlsx' });
    expect(errors(truncated)[0].message).toMatch(/truncated/);
  });

  it('refuses a password-protected workbook', async () => {
    const data = await workbook((sheet) => sheet.addRow(HEAD));
    const eocd = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const central = data.readUInt32LE(eocd + 16);
    data.writeUInt16LE(data.readUInt16LE(central + 8) | 1, central + 8);
    expect(lines(await parse(data))).toEqual(['error null null: the workbook is password-protected; save it without a password']);
  });

  it('stops at maxRows', async () => {
    const data = await workbook((sheet) => {
      sheet.addRow(HEAD);
      for (let i = 0; i < 4; i++) sheet.addRow([`VT-${i}`, 'x', 105.4, 21.3, '4G', 1800, 30, null, 'active']);
    });
    expect(lines(await parse(data, { operator: 'viettel', maxRows: 3 }))).toEqual([
      'error null null: the file has more than 3 data rows; split it into smaller files',
    ]);
  });
});

/** Where an entry's compressed data lies in a zip, from its central directory. */
function zipEntry(zip: Buffer, wanted: string): { start: number; packed: number } {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16);
  for (let n = 0; n < zip.readUInt16LE(end + 10); n++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === wanted) {
      return { start: local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28), packed: zip.readUInt32LE(at + 20) };
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  throw new Error(`${wanted} not in the zip`);
}

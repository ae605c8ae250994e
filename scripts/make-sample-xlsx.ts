/**
 * Writes geodata/samples/stations.xlsx, the Excel sample of the station upload, so that it can be
 * rebuilt and reviewed as code. Synthetic MobiFone stations in Phú Thọ; the same bytes every run
 * (fixed document dates, zip entry times patched), so rebuilding it leaves git quiet.
 *
 *   npx tsx scripts/make-sample-xlsx.ts [out.xlsx]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';

const FIXED_DATE = new Date(Date.UTC(2026, 0, 15));

const HEADERS = [
  'Operator', 'Site code', 'Name', 'Longitude', 'Latitude', 'Technology', 'Band (MHz)', 'Height (m)',
  'Azimuth (°)', 'Beamwidth (°)', 'Radius (m)', 'Status', 'Commissioned on', 'Decommissioned on',
];

type Row = [string, string, number, number, string, number, number, number | null, number | null, number | null, string, Date | null, Date | null];
const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

/** Sites in Vĩnh Yên, Yên Lạc, Lương Sơn and Việt Trì (lon, lat in WGS 84 degrees). */
const ROWS: Row[] = [
  ['MBF-VYN-0012', 'Vĩnh Yên - Đống Đa', 105.5961, 21.3102, '4G', 1800, 32, 20, 65, null, 'active', day(2017, 11, 2), null],
  ['MBF-VYN-0012', 'Vĩnh Yên - Đống Đa', 105.5961, 21.3102, '4G', 1800, 32, 140, 65, null, 'active', day(2017, 11, 2), null],
  ['MBF-VYN-0012', 'Vĩnh Yên - Đống Đa', 105.5961, 21.3102, '4G', 1800, 32, 260, 65, null, 'active', day(2017, 11, 2), null],
  ['MBF-VYN-0012', 'Vĩnh Yên - Đống Đa', 105.5961, 21.3102, '5G', 3800, 32, 20, 90, null, 'active', day(2025, 8, 19), null],
  ['MBF-YLC-0031', 'Yên Lạc - Tề Lỗ', 105.5712, 21.2187, '3G', 2100, 40, null, null, 3500, 'active', day(2012, 6, 5), null],
  ['MBF-YLC-0031', 'Yên Lạc - Tề Lỗ', 105.5712, 21.2187, '2G', 900, 40, null, null, 6000, 'decommissioned', day(2006, 3, 20), day(2024, 10, 16)],
  ['MBF-LSN-0107', 'Lương Sơn - Hòa Sơn', 105.5283, 20.8801, '4G', 900, 45, 90, 65, null, 'active', day(2021, 4, 12), null],
  ['MBF-LSN-0107', 'Lương Sơn - Hòa Sơn', 105.5283, 20.8801, '4G', 900, 45, 270, 65, null, 'active', day(2021, 4, 12), null],
  ['MBF-VTR-0210', 'Việt Trì - Nông Trang', 105.3935, 21.3331, '5G', 3800, 28, null, 360, null, 'planned', null, null],
];

export async function makeSampleWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'phusong';
  workbook.created = FIXED_DATE;
  workbook.modified = FIXED_DATE;
  const sheet = workbook.addWorksheet('Stations', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(HEADERS).font = { bold: true };
  for (const row of ROWS) sheet.addRow(['MobiFone', ...row]);
  sheet.columns.forEach((column, i) => {
    column.width = i === 2 ? 26 : 14;
  });
  for (const col of [13, 14]) sheet.getColumn(col).numFmt = 'dd/mm/yyyy';
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return fixZipTimes(buffer);
}

/** Sets every zip entry's DOS time and date (central and local headers) to 2026-01-15 00:00. */
function fixZipTimes(zip: Buffer): Buffer {
  const dosDate = ((2026 - 1980) << 9) | (1 << 5) | 15;
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    zip.writeUInt32LE(dosDate << 16, at + 12);
    const local = zip.readUInt32LE(at + 42);
    zip.writeUInt32LE(dosDate << 16, local + 10);
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return zip;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? fileURLToPath(new URL('../geodata/samples/stations.xlsx', import.meta.url));
  writeFileSync(out, await makeSampleWorkbook());
  console.log(`wrote ${out}`);
}

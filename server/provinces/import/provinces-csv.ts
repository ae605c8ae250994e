import fs from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { ValidationError } from '../../errors';
import { foldVietnamese } from '../../communes/import/parse-communes';
import type { ProvinceInput, ProvinceKind } from '../provinces.schema';

/**
 * The provinces list (`provinces-2025.csv` of the shared geodata, or `--provinces FILE`): one row
 * per province, columns `ma_tinh,ten,ten_day_du,ten_en,loai`, `loai` being `tỉnh` or `thành phố`
 * (diacritics and case ignored). A commune import names the provinces it touches from it.
 */
export function parseProvincesCsv(text: string): ProvinceInput[] {
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true });
  } catch (err) {
    throw new ValidationError(`the provinces list is not readable CSV (${(err as Error).message})`);
  }
  const out: ProvinceInput[] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const line = i + 2;
    const code = (r.ma_tinh ?? '').padStart(2, '0');
    const kind = kindOf(r.loai);
    if (!/^[0-9]{2}$/.test(code)) throw new ValidationError(`provinces list, line ${line}: "${r.ma_tinh ?? ''}" is not a 2-digit province code`);
    if (!r.ten) throw new ValidationError(`provinces list, line ${line}: no name (ten)`);
    if (!kind) throw new ValidationError(`provinces list, line ${line}: kind "${r.loai ?? ''}" is neither "tỉnh" nor "thành phố"`);
    if (seen.has(code)) throw new ValidationError(`provinces list, line ${line}: province ${code} listed twice`);
    seen.add(code);
    out.push({ code, name: r.ten, fullName: r.ten_day_du || r.ten, nameEn: r.ten_en || null, kind });
  });
  if (out.length === 0) throw new ValidationError('the provinces list has no province');
  return out;
}

export async function readProvincesCsv(file: string): Promise<ProvinceInput[]> {
  return parseProvincesCsv(await fs.readFile(file, 'utf8'));
}

function kindOf(value: string | undefined): ProvinceKind | null {
  const k = foldVietnamese(value ?? '').replace(/[\s_-]+/g, ' ');
  if (k === 'tinh') return 'tinh';
  if (k === 'thanh pho') return 'thanh_pho';
  return null;
}

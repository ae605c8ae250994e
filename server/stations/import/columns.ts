/** Canonical column names of a station file (csv, xlsx, geojson properties). */
export const FIELDS = [
  'operator',
  'site_code',
  'name',
  'lon',
  'lat',
  'technology',
  'band_mhz',
  'height_m',
  'azimuth_deg',
  'beamwidth_deg',
  'radius_m',
  'status',
  'commissioned_on',
  'decommissioned_on',
] as const;
export type Field = (typeof FIELDS)[number];

export const REQUIRED_FIELDS: readonly Field[] = ['site_code', 'lon', 'lat', 'technology', 'band_mhz'];

/**
 * Headers accepted for each column besides its canonical name, as operators write them in their
 * spreadsheets (Vietnamese and English). Matching ignores case, diacritics, đ/d, spaces,
 * underscores and punctuation, and a unit in brackets: "Độ cao (m)" matches "do cao".
 */
export const HEADER_ALIASES: Readonly<Record<Field, readonly string[]>> = {
  operator: [
    'operator', 'carrier', 'network', 'nhà mạng', 'mạng', 'doanh nghiệp', 'doanh nghiệp viễn thông',
    'nhà cung cấp',
  ],
  site_code: [
    'site_code', 'site code', 'site id', 'site', 'station code', 'station id', 'mã trạm', 'mã trạm bts',
    'mã site', 'mã nhà trạm', 'mã vị trí',
  ],
  name: ['name', 'site name', 'station name', 'tên trạm', 'tên trạm bts', 'tên site', 'tên nhà trạm', 'tên'],
  lon: ['lon', 'lng', 'long', 'longitude', 'x', 'kinh độ'],
  lat: ['lat', 'latitude', 'y', 'vĩ độ'],
  technology: ['technology', 'tech', 'rat', 'radio', 'công nghệ', 'loại công nghệ'],
  band_mhz: [
    'band_mhz', 'band', 'frequency', 'freq', 'frequency band', 'băng tần', 'tần số', 'dải tần',
    'băng tần hoạt động',
  ],
  height_m: [
    'height_m', 'height', 'antenna height', 'độ cao', 'độ cao anten', 'độ cao ăng ten', 'chiều cao anten',
    'chiều cao ăng ten', 'độ treo cao anten',
  ],
  azimuth_deg: [
    'azimuth_deg', 'azimuth', 'az', 'bearing', 'góc phương vị', 'phương vị', 'hướng anten',
    'hướng phát sóng', 'góc hướng',
  ],
  beamwidth_deg: [
    'beamwidth_deg', 'beamwidth', 'beam width', 'hbw', 'horizontal beamwidth', 'độ rộng búp sóng',
    'độ rộng búp', 'búp sóng', 'góc mở', 'độ rộng chùm tia',
  ],
  radius_m: ['radius_m', 'radius', 'coverage radius', 'bán kính', 'bán kính phủ sóng', 'bán kính phục vụ'],
  status: ['status', 'state', 'trạng thái', 'tình trạng', 'trạng thái hoạt động'],
  commissioned_on: [
    'commissioned_on', 'commissioned', 'commissioning date', 'on air date', 'on air', 'start date',
    'ngày phát sóng', 'ngày hoạt động', 'ngày đưa vào hoạt động', 'ngày đưa vào sử dụng', 'ngày bắt đầu',
  ],
  decommissioned_on: [
    'decommissioned_on', 'decommissioned', 'decommissioning date', 'off air date', 'end date', 'ngày ngừng',
    'ngày ngừng hoạt động', 'ngày ngừng phát sóng', 'ngày dừng', 'ngày dỡ bỏ', 'ngày tháo dỡ',
    'ngày kết thúc',
  ],
};

/** Row-number columns every Vietnamese spreadsheet has; ignored without a warning. */
const ROW_NUMBER_HEADERS = new Set(['stt', 'tt', 'no', 'so tt', 'so thu tu', '#', 'row']);

/** Units a header may carry in brackets, with the factor that turns them into the column's unit. */
const UNIT_SCALES: Partial<Record<Field, Record<string, number>>> = {
  height_m: { m: 1, met: 1 },
  radius_m: { m: 1, met: 1, km: 1000 },
  band_mhz: { mhz: 1, ghz: 1000 },
  azimuth_deg: { do: 1, deg: 1, degree: 1, degrees: 1 },
  beamwidth_deg: { do: 1, deg: 1, degree: 1, degrees: 1 },
};

/** Lower case, no diacritics (đ → d), words separated by one space: "Vĩ_độ " → "vi do". */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9#°]+/g, ' ')
    .replace(/°/g, ' do ')
    .replace(/\s+/g, ' ')
    .trim();
}

const ALIAS_INDEX: ReadonlyMap<string, Field> = new Map(
  FIELDS.flatMap((field) => HEADER_ALIASES[field].map((alias) => [normalizeHeader(alias), field] as const)),
);

export type HeaderMatch =
  | { kind: 'field'; field: Field; scale: number }
  | { kind: 'row-number' }
  | { kind: 'empty' }
  | { kind: 'unknown' }
  | { kind: 'bad-unit'; field: Field; unit: string };

/** What a header names. A unit in brackets or after the name is checked and turned into a scale. */
export function matchHeader(header: string): HeaderMatch {
  const bracket = header.match(/[([{]([^)\]}]*)[)\]}]/);
  const unit = bracket ? normalizeHeader(bracket[1]) : '';
  const name = normalizeHeader(header.replace(/[([{][^)\]}]*[)\]}]/g, ' '));
  if (!name && !unit) return { kind: 'empty' };
  if (ROW_NUMBER_HEADERS.has(name)) return { kind: 'row-number' };
  let field = ALIAS_INDEX.get(name);
  let trailingUnit = '';
  if (!field) {
    // "band mhz", "height m", "radius km": a unit written as the last word.
    const words = name.split(' ');
    trailingUnit = words.pop() ?? '';
    field = ALIAS_INDEX.get(words.join(' '));
    if (!field || !(UNIT_SCALES[field] && trailingUnit in UNIT_SCALES[field]!)) return { kind: 'unknown' };
  }
  const given = unit || trailingUnit;
  if (!given) return { kind: 'field', field, scale: 1 };
  const scales = UNIT_SCALES[field];
  if (!scales) return { kind: 'field', field, scale: 1 };
  const scale = scales[given];
  return scale === undefined ? { kind: 'bad-unit', field, unit: given } : { kind: 'field', field, scale };
}

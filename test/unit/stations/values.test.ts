import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchHeader, normalizeHeader } from '../../../server/stations/import/columns';
import {
  readBand,
  readDate,
  readDegrees,
  readNumber,
  readOperator,
  readStatus,
  readTechnology,
  readText,
} from '../../../server/stations/import/values';

const KNOWN = ['viettel', 'vnpt', 'mobifone', 'vietnamobile', 'gmobile'];
const value = <T>(read: { ok: true; value: T } | { ok: false; message: string }) => (read.ok ? read.value : `ERR ${read.message}`);

describe('readNumber', () => {
  it.each([
    ['105.40', 105.4],
    ['105,40', 105.4],
    [' 21,3225 ', 21.3225],
    ['1 800', 1800],
    ['1.800,5', 1800.5],
    ['1,800.5', 1800.5],
    ['1.234.567', 1234567],
    ['-5', -5],
    ['1e3', 1000],
    [42, 42],
  ])('%j → %d', (input, expected) => {
    expect(value(readNumber(input, 'x'))).toBe(expected);
  });

  it.each(['abc', '', '1..2', 'NaN', 'Infinity', '0x10', '12abc3', '--1'])('%j is not a number', (input) => {
    expect(value(readNumber(input, 'height'))).toMatch(/^ERR height .* is not a number/);
  });

  it('takes a unit from the cell before the header scale', () => {
    expect(value(readNumber('2 km', 'radius', { m: 1, km: 1000 }, 1))).toBe(2000);
    expect(value(readNumber('2', 'radius', { m: 1, km: 1000 }, 1000))).toBe(2000);
    expect(value(readNumber('500m', 'radius', { m: 1, km: 1000 }, 1000))).toBe(500);
    expect(value(readNumber('30 ft', 'height', { m: 1 }))).toMatch(/unit "ft" is not accepted; use m/);
  });

  it('reads a plain decimal directly exactly as the general way does', () => {
    // A leading space takes the general way (units, separators); without it, the direct one.
    const decimal = fc.tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^\d{1,12}$/), fc.option(fc.stringMatching(/^\d{1,10}$/)))
      .map(([sign, whole, fraction]) => `${sign}${whole}${fraction === null ? '' : `.${fraction}`}`);
    fc.assert(
      fc.property(decimal, fc.constantFrom(1, 1000), (text, scale) => {
        expect(readNumber(text, 'x', { m: 1 }, scale)).toEqual(readNumber(` ${text}`, 'x', { m: 1 }, scale));
        expect(readDegrees(text, 'x')).toEqual(readDegrees(` ${text}`, 'x'));
      }),
    );
    expect(value(readNumber('1.800', 'x'))).toBe(1.8);
  });

  it('refuses infinite numbers and booleans', () => {
    expect(value(readNumber(Infinity, 'x'))).toMatch(/^ERR/);
    expect(value(readNumber(true, 'x'))).toMatch(/^ERR/);
  });
});

describe('readDegrees', () => {
  it('reads degrees-minutes-seconds with Vietnamese and English hemispheres', () => {
    expect(value(readDegrees(`21°19'21"B`, 'latitude'))).toBeCloseTo(21.3225, 4);
    expect(value(readDegrees(`105°24'4.3" E`, 'longitude'))).toBeCloseTo(105.40119, 4);
    expect(value(readDegrees(`105°24′`, 'longitude'))).toBeCloseTo(105.4, 6);
    expect(value(readDegrees('105.4°', 'longitude'))).toBe(105.4);
    expect(value(readDegrees(`21°19'21"S`, 'latitude'))).toBeLessThan(0);
  });
});

describe('readDate', () => {
  it.each([
    ['2024-05-01', '2024-05-01'],
    ['2024/5/1', '2024-05-01'],
    ['2024-05-01T08:00:00Z', '2024-05-01'],
    ['01/05/2024', '2024-05-01'],
    ['1.5.2024', '2024-05-01'],
    ['01-05-2024 00:00:00', '2024-05-01'],
    ['20240501', '2024-05-01'],
    ['45413', '2024-05-01'],
    [45413, '2024-05-01'],
    [new Date(Date.UTC(2024, 4, 1)), '2024-05-01'],
    ['29/02/2024', '2024-02-29'],
  ])('%j → %s', (input, expected) => {
    expect(value(readDate(input, 'date'))).toBe(expected);
  });

  it.each([
    ['31/02/2024', /not a real calendar day/],
    ['29/02/2023', /not a real calendar day/],
    ['05/25/2024', /looks like month\/day/],
    ['01/05/24', /four digits/],
    ['1899-12-30', /implausible/],
    ['next week', /is not a date; use YYYY-MM-DD or DD\/MM\/YYYY/],
    [0, /implausible/],
  ])('%j is refused', (input, message) => {
    expect(value(readDate(input, 'date'))).toMatch(message);
  });
});

describe('readTechnology', () => {
  it.each([
    ['4G', '4G'], ['lte', '4G'], ['LTE-A', '4G'], ['4G LTE', '4G'],
    ['NR', '5G'], ['5G NR', '5G'], ['nr-sa', '5G'],
    ['UMTS', '3G'], ['WCDMA', '3G'], ['HSPA+', '3G'],
    ['GSM', '2G'], ['edge', '2G'], [2, '2G'],
  ])('%j → %s', (input, expected) => {
    expect(value(readTechnology(input))).toBe(expected);
  });

  it('names the accepted spellings when it fails', () => {
    expect(value(readTechnology('CDMA'))).toMatch(/technology "CDMA" is not known; use 2G, 3G, 4G or 5G/);
  });
});

describe('readBand', () => {
  it.each([
    ['1800', 1800], ['1800 MHz', 1800], ['1.8 GHz', 1800], ['1,8GHz', 1800],
    ['B3', 1800], ['band 40', 2300], ['n78', 3500], ['n41', 2600], [2600, 2600],
  ])('%j → %d', (input, expected) => {
    expect(value(readBand(input))).toBe(expected);
  });

  it('applies the header unit only to unitless cells', () => {
    expect(value(readBand('3.5', 1000))).toBe(3500);
    expect(value(readBand('3500 MHz', 1000))).toBe(3500);
  });
});

describe('readStatus', () => {
  it.each([
    ['active', 'active'], ['On Air', 'active'], ['Đang hoạt động', 'active'], ['phát sóng', 'active'],
    ['Kế hoạch', 'planned'], ['quy hoạch', 'planned'], ['PLANNED', 'planned'],
    ['Ngừng hoạt động', 'decommissioned'], ['đã tháo dỡ', 'decommissioned'], ['off-air', 'decommissioned'],
  ])('%j → %s', (input, expected) => {
    expect(value(readStatus(input))).toBe(expected);
  });
});

describe('readOperator', () => {
  it.each([
    ['viettel', 'viettel'], ['Viettel', 'viettel'], ['VNPT', 'vnpt'], ['VinaPhone', 'vnpt'],
    ['VNPT-VinaPhone', 'vnpt'], ['MobiFone', 'mobifone'], ['G-Mobile', 'gmobile'], ['Vietnammobile', 'vietnamobile'],
  ])('%j → %s', (input, expected) => {
    expect(value(readOperator(input, KNOWN))).toBe(expected);
  });

  it('lists the known operators when it fails', () => {
    expect(value(readOperator('S-Fone', KNOWN))).toMatch(/operator "S-Fone" is not known; known operators: viettel, vnpt/);
  });

  it('does not map an alias to an operator that is not known', () => {
    expect(value(readOperator('vinaphone', ['viettel']))).toMatch(/^ERR/);
  });
});

describe('readText', () => {
  it('collapses line breaks and tabs, refuses other control characters', () => {
    expect(value(readText('  Việt Trì\n Gia Cẩm\t', 'name', 200))).toBe('Việt Trì Gia Cẩm');
    expect(value(readText('a\u0000b', 'name', 200))).toMatch(/control characters/);
    expect(value(readText('x'.repeat(201), 'name', 200))).toMatch(/201 characters long; at most 200/);
  });

  it('keeps formula-like and SQL-like text as it is', () => {
    expect(value(readText('=HYPERLINK("http://x","y")', 'name', 200))).toBe('=HYPERLINK("http://x","y")');
    expect(value(readText("'; DROP TABLE stations; --", 'name', 200))).toBe("'; DROP TABLE stations; --");
  });

  it('writes whole numbers from spreadsheets without a decimal point', () => {
    expect(value(readText(1234567, 'site code', 64))).toBe('1234567');
  });
});

describe('headers', () => {
  it('normalizes case, diacritics, đ and separators', () => {
    expect(normalizeHeader('  Vĩ_độ ')).toBe('vi do');
    expect(normalizeHeader('ĐỘ CAO')).toBe('do cao');
    expect(normalizeHeader('Góc-phương-vị')).toBe('goc phuong vi');
  });

  it.each([
    ['Mã trạm', 'site_code'], ['MÃ TRẠM', 'site_code'], ['ma tram', 'site_code'], ['Tên trạm', 'name'],
    ['Kinh độ', 'lon'], ['Vĩ độ', 'lat'], ['Công nghệ', 'technology'], ['Băng tần', 'band_mhz'],
    ['Độ cao', 'height_m'], ['Góc phương vị', 'azimuth_deg'], ['Độ rộng búp sóng', 'beamwidth_deg'],
    ['Bán kính', 'radius_m'], ['Trạng thái', 'status'], ['Ngày phát sóng', 'commissioned_on'],
    ['Ngày ngừng', 'decommissioned_on'], ['Nhà mạng', 'operator'], ['Longitude', 'lon'], ['SITE_CODE', 'site_code'],
  ])('%s → %s', (header, field) => {
    expect(matchHeader(header)).toEqual({ kind: 'field', field, scale: 1 });
  });

  it('reads units in brackets or as the last word', () => {
    expect(matchHeader('Bán kính (km)')).toEqual({ kind: 'field', field: 'radius_m', scale: 1000 });
    expect(matchHeader('radius km')).toEqual({ kind: 'field', field: 'radius_m', scale: 1000 });
    expect(matchHeader('Băng tần (GHz)')).toEqual({ kind: 'field', field: 'band_mhz', scale: 1000 });
    expect(matchHeader('Góc phương vị (°)')).toEqual({ kind: 'field', field: 'azimuth_deg', scale: 1 });
    expect(matchHeader('Độ cao (ft)')).toEqual({ kind: 'bad-unit', field: 'height_m', unit: 'ft' });
  });

  it('knows row-number columns and unknown ones', () => {
    expect(matchHeader('STT')).toEqual({ kind: 'row-number' });
    expect(matchHeader('Ghi chú')).toEqual({ kind: 'unknown' });
    expect(matchHeader('  ')).toEqual({ kind: 'empty' });
  });
});

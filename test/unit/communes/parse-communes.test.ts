import { describe, expect, it } from 'vitest';
import { parseCommuneFile, normaliseCode, DEFAULT_FIELDS } from '../../../server/communes/import/parse-communes';
import { ValidationError } from '../../../server/errors';

const square: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[105, 21], [105.1, 21], [105.1, 21.1], [105, 21.1], [105, 21]]] };
const feature = (properties: Record<string, unknown>, geometry: unknown = square) => ({ type: 'Feature', properties, geometry });
const fc = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const good = { ma_xa: '08155', ten: 'Việt Trì', ten_day_du: 'Phường Việt Trì', loai: 'Phường', ma_tinh: '25', dan_so: 1000 };

describe('parseCommuneFile', () => {
  it('reads a well-formed feature', () => {
    const { communes, rejected } = parseCommuneFile(fc(feature(good)));
    expect(rejected).toEqual([]);
    expect(communes[0]).toMatchObject({ index: 0, code: '08155', name: 'Việt Trì', kind: 'phuong', provinceCode: '25', population: 1000 });
  });

  it.each([
    ['not JSON', '{"type": "FeatureCollection", features: [', /not valid JSON/],
    ['not a FeatureCollection', JSON.stringify({ type: 'Feature', properties: {}, geometry: square }), /not a GeoJSON FeatureCollection \(found a Feature\)/],
    ['an array', '[]', /not a GeoJSON FeatureCollection/],
    ['no polygons', fc(), /no Polygon or MultiPolygon features \(found no features\)/],
    ['points instead of polygons', fc(feature(good, { type: 'Point', coordinates: [105, 21] })), /found 1 Point/],
  ])('rejects a file that is %s', (_name, text, message) => {
    expect(() => parseCommuneFile(text)).toThrow(ValidationError);
    expect(() => parseCommuneFile(text)).toThrow(message);
  });

  it('rejects features without a code or with an empty geometry, by index', () => {
    const { communes, rejected } = parseCommuneFile(fc(
      feature(good),
      feature({ ...good, ma_xa: null }),
      feature({ ...good, ma_xa: '08156' }, { type: 'Polygon', coordinates: [] }),
      feature({ ...good, ma_xa: 'ABCDE' }),
      feature({ ...good }),
    ));
    expect(communes.map((c) => c.code)).toEqual(['08155']);
    expect(rejected).toEqual([
      { index: 1, code: null, reason: 'no code in property "ma_xa"' },
      { index: 2, code: '08156', reason: 'empty geometry' },
      { index: 3, code: null, reason: 'code "ABCDE" is not a 5-digit commune code' },
      { index: 4, code: '08155', reason: 'code 08155 already used by feature 0' },
    ]);
  });

  it('follows a field map and a province override', () => {
    const text = fc(feature({ MA: 4792, TEN: 'Tân Hoà', DS: '1.234', LOAI: 'PHƯỜNG' }));
    const { communes } = parseCommuneFile(text, { ...DEFAULT_FIELDS, code: 'MA', name: 'TEN', population: 'DS', kind: 'LOAI' }, { provinceCode: '25' });
    expect(communes[0]).toMatchObject({ code: '04792', name: 'Tân Hoà', fullName: 'Phường Tân Hoà', kind: 'phuong', provinceCode: '25' });
  });

  it('asks for a province code when the file has none', () => {
    const { rejected } = parseCommuneFile(fc(feature({ ma_xa: '00001', ten: 'A', loai: 'Xã' })));
    expect(rejected[0].reason).toMatch(/--province-code/);
  });

  it('pads numeric codes and refuses others', () => {
    expect(normaliseCode(4792)).toBe('04792');
    expect(normaliseCode(' 08155 ')).toBe('08155');
    expect(normaliseCode('123456')).toBeNull();
    expect(normaliseCode(4.5)).toBeNull();
  });
});

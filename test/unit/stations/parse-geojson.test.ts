import { describe, expect, it } from 'vitest';
import { errors, lines, parse } from './helpers';

const props = { operator: 'viettel', site_code: 'G-1', name: 'Việt Trì', technology: '4G', band_mhz: 1800, status: 'active' };
const point = (properties: Record<string, unknown> = props, coordinates: unknown = [105.4012, 21.3225]) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates },
  properties,
});
const fc = (...features: unknown[]) => Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));

describe('GeoJSON parsing', () => {
  it('reads Point features with csv column names, Vietnamese ones too', async () => {
    const vi = { 'Nhà mạng': 'VNPT', 'Mã trạm': 'G-2', 'Công nghệ': 'LTE', 'Băng tần': '1800', 'Độ cao (m)': 25, 'Ngày phát sóng': '15/03/2018', 'Trạng thái': 'Đang hoạt động' };
    const file = await parse(fc(point(), point(vi, [105.5, 21.3, 120])));
    expect(file.format).toBe('geojson');
    expect(lines(file)).toEqual([]);
    expect(file.rows.map((r) => [r.row, r.operator, r.siteCode, r.lon, r.lat, r.heightM, r.commissionedOn])).toEqual([
      [0, 'viettel', 'G-1', 105.4012, 21.3225, null, null],
      [1, 'vnpt', 'G-2', 105.5, 21.3, 25, '2018-03-15'],
    ]);
  });

  it('numbers features from 0 and names columns by JSON path', async () => {
    const file = await parse(fc(point(), point({ ...props, site_code: 'G-2', band_mhz: 850 }), point({ ...props, site_code: 'G-3' }, [21.3, 105.4])));
    expect(lines(file)).toEqual([
      'error 1 features[1].properties.band_mhz: band 850 MHz does not exist for 4G in Vietnam; use 700, 900, 1800, 2100, 2300, 2600',
      'error 2 features[2].geometry.coordinates: latitude 105.4 is out of range; lon and lat look swapped: lon 105.4, lat 21.3 would be in Vietnam',
    ]);
  });

  it('says "feature" when it points at another feature', async () => {
    const file = await parse(fc(point(), point()));
    expect(lines(file)).toEqual([
      'error 1 features[1].properties.site_code: duplicate of feature 0: same operator, site code, technology, band and azimuth',
    ]);
  });

  it('refuses other geometries and non-features, feature by feature', async () => {
    const line = { type: 'Feature', geometry: { type: 'LineString', coordinates: [[105, 21], [105.1, 21.1]] }, properties: props };
    const file = await parse(fc(line, { type: 'Nope' }, { ...point(), geometry: null }, point({ ...props, site_code: 'ok' })));
    expect(lines(file)).toEqual([
      'error 0 features[0].geometry: feature 0 is a LineString; only Point features are accepted',
      'error 1 features[1]: feature 1 is not a GeoJSON Feature',
      'error 2 features[2].geometry: feature 2 has no geometry',
    ]);
    expect(file.rows.map((r) => r.siteCode)).toEqual(['ok']);
  });

  it('takes lon/lat properties when the geometry is null', async () => {
    const file = await parse(fc({ type: 'Feature', geometry: null, properties: { ...props, lon: 105.4, lat: 'x' } }));
    expect(lines(file)).toEqual(['error 0 features[0].properties.lat: latitude "x" is not a number']);
  });

  it('warns once per unknown property and reports a property missing from every feature', async () => {
    const { site_code: _, ...noCode } = props;
    const file = await parse(fc(point({ ...noCode, colour: 'red' }), point({ ...noCode, colour: 'blue' })));
    expect(lines(file)).toEqual([
      'error null site_code: required property "site_code" is missing from every feature',
      'warning null colour: property "colour" is not a station column and was ignored',
    ]);
  });

  it.each([
    ['invalid JSON', Buffer.from('{"type": "FeatureCollection", "features": ['), /not valid JSON/],
    ['not GeoJSON', Buffer.from('{"hello": 1}'), /not a GeoJSON FeatureCollection/],
    ['no features', fc(), /no features/],
    ['a projected crs', Buffer.from(JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:3405' } }, features: [point()] })), /"EPSG:3405" are not accepted/],
    ['too many features', fc(point(), point(), point()), /more than 2 features/],
  ])('gives one file-level error for %s', async (_name, data, message) => {
    const file = await parse(data, { maxRows: 2 });
    expect(errors(file)).toEqual([expect.objectContaining({ row: null, message: expect.stringMatching(message) })]);
  });

  it('accepts a single Feature', async () => {
    const file = await parse(Buffer.from(JSON.stringify(point())), { filename: 'one.geojson' });
    expect(file.rows).toHaveLength(1);
  });
});

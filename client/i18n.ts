// UI strings and number formatting. Vietnamese only for now; the English switch (issue 6) adds a
// second table of the same shape and picks one at start.
import type { CommuneKind } from './api';

const VI_MAP_LABEL =
  'Bản đồ xã, phường tỉnh Phú Thọ. Dùng phím mũi tên để di chuyển, phím + và − để phóng to, thu nhỏ.';

const vi = {
  locale: 'vi-VN',
  loading: 'Đang tải ranh giới xã, phường…',
  hint: 'Di chuột (hoặc dùng phím mũi tên) lên bản đồ để xem thông tin xã, phường.',
  loadFailed: 'Không tải được ranh giới xã, phường',
  noWebgl: 'Trình duyệt không hỗ trợ WebGL nên không vẽ được bản đồ.',
  kind: { xa: 'Xã', phuong: 'Phường', dac_khu: 'Đặc khu' } satisfies Record<CommuneKind, string>,
  fieldKind: 'Loại',
  fieldPopulation: 'Dân số',
  fieldHouseholds: 'Số hộ (ước tính)',
  fieldArea: 'Diện tích',
  unitKm2: 'km²',
  unitPeople: 'người',
  unknown: '—',
  legendTitle: 'Chú giải',
  communeCount: (n: string) => `${n} xã, phường`,
  attribution:
    'Ranh giới: thanglequoc/vietnamese-provinces-database (MIT), bản đồ sáp nhập NXB TN-MT & BĐ Việt Nam; ' +
    'dân số: tranngocminhhieu/vietnamadminunits (MIT); điều tra 2019: GSO',
  // MapLibre's own control strings (keys from its default locale).
  maplibre: {
    'Map.Title': VI_MAP_LABEL,
    'NavigationControl.ZoomIn': 'Phóng to',
    'NavigationControl.ZoomOut': 'Thu nhỏ',
    'NavigationControl.ResetBearing': 'Quay về hướng bắc',
    'AttributionControl.ToggleAttribution': 'Hiện/ẩn nguồn dữ liệu',
  } as Record<string, string>,
};

export type Messages = typeof vi;
export const messages: Messages = vi;

export interface Formatters {
  integer(value: number | null): string;
  /** Area in km², up to two decimals as published. */
  areaKm2(value: number | null): string;
}

export function createFormatters(m: Messages): Formatters {
  const int = new Intl.NumberFormat(m.locale, { maximumFractionDigits: 0 });
  const area = new Intl.NumberFormat(m.locale, { maximumFractionDigits: 2 });
  return {
    integer: (v) => (v == null ? m.unknown : int.format(v)),
    areaKm2: (v) => (v == null ? m.unknown : `${area.format(v)} ${m.unitKm2}`),
  };
}

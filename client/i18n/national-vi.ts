// The country's map (a database of several provinces), Vietnamese. English: national-en.ts.
export const nationalVi = {
  appTitle: 'Phủ sóng toàn quốc',
  appSubtitle: (provinces: string, communes: string) => `Bản đồ phủ sóng viễn thông ${provinces} tỉnh, thành phố, ${communes} xã, phường`,
  documentTitle: 'phusong — phủ sóng toàn quốc',
  tabCountry: 'Cả nước',
  tabProvince: 'Tỉnh, thành phố',
  countrySummary: 'Cả nước so với chỉ tiêu quốc gia',
  provinceSummary: (name: string) => `${name} so với chỉ tiêu`,
  provincesRanked: (metric: string) => `Các tỉnh, thành phố theo ${metric}`,
  backToCountry: '← Cả nước',
  communes: (n: string) => `${n} xã, phường`,
  population: (n: string) => `Dân số ${n}`,
  searchLabel: 'Tìm tỉnh, thành phố, xã, phường',
  searchPlaceholder: 'Tìm tỉnh hoặc xã (vd: cao bang)',
  openProvince: (name: string) => `Mở ${name}`,
  nationalTarget: 'Chỉ tiêu quốc gia',
  ownTarget: 'Chỉ tiêu của tỉnh',
  pickProvince: 'Bấm vào một tỉnh trên bản đồ, hoặc tìm theo tên, để xem các xã, phường của tỉnh.',
  communesDrawn: 'Các xã, phường được tô màu theo chỉ số đã chọn; bấm vào một xã (hoặc tìm theo tên) để xem số liệu.',
  notHeld: (code: string) => `Cơ sở dữ liệu không có tỉnh mã ${code}.`,
};

export type NationalMessages = typeof nationalVi;

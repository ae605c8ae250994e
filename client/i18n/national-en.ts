// The country's map (a database of several provinces), English. Vietnamese: national-vi.ts.
import type { NationalMessages } from './national-vi';

export const nationalEn: NationalMessages = {
  appTitle: 'National coverage',
  appSubtitle: (provinces, communes) => `Telecom coverage map of ${provinces} provinces and cities, ${communes} communes and wards`,
  documentTitle: 'phusong — national coverage',
  tabCountry: 'Country',
  tabProvince: 'Province',
  countrySummary: 'The country against the national targets',
  provinceSummary: (name) => `${name} against its targets`,
  provincesRanked: (metric) => `Provinces and cities by ${metric}`,
  backToCountry: '← Whole country',
  communes: (n) => `${n} communes and wards`,
  population: (n) => `Population ${n}`,
  searchLabel: 'Find a province, commune or ward',
  searchPlaceholder: 'Find a province or commune (e.g. cao bang)',
  openProvince: (name) => `Open ${name}`,
  nationalTarget: 'National target',
  ownTarget: 'The province’s own target',
  pickProvince: 'Click a province on the map, or find it by name, to see its communes and wards.',
  communesDrawn: 'Its communes and wards are coloured by the chosen metric; click one (or find it by name) for its figures.',
  notHeld: (code) => `The database holds no province with code ${code}.`,
};

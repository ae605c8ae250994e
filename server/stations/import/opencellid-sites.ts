import type { Technology } from '../stations.schema';
import { rowWarning, type ImportIssue } from './issues';
import type { RawRecord } from './table';
import type { RecordExtras } from './validate-row';
import { distanceM } from './validate';

/** One OpenCelliD row after its fields were read and checked. */
export interface Cell {
  row: number;
  technology: Technology;
  operator: string;
  /** MNC. */
  net: number;
  /** LAC (GSM, UMTS) or TAC (LTE, NR). */
  area: number;
  /** CID; UMTS: RNC × 65536 + CID; LTE: eNB × 256 + sector; NR: the 36-bit NCI. */
  cell: number;
  lon: number;
  lat: number;
  rangeM: number | null;
  samples: number | null;
}

/**
 * Cells of one area (and one RNC for UMTS) whose positions lie within this distance are taken as
 * one mast. OpenCelliD positions are averages of where a cell was measured, so the sectors of one
 * mast drift a few hundred metres apart; urban masts closer than this merge, which costs little
 * coverage.
 */
export const SITE_CLUSTER_M = 300;
/** Cells of one LTE eNB spread wider than this point at bad positions; said in a warning. */
const SPREAD_WARNING_M = 2000;
/** One measurement gives no radius: OpenCelliD then writes its default range of 1000 m. */
const MIN_SAMPLES_FOR_RANGE = 2;

/** Bands assumed for OpenCelliD cells, which carry no frequency: each technology's most used band. */
export const ASSUMED_BAND_MHZ: Readonly<Record<Technology, number>> = { '2G': 900, '3G': 2100, '4G': 1800, '5G': 3500 };
/** 5G bands won at the 2024 auction (see VIETNAM_BANDS_MHZ). */
export const ASSUMED_5G_BAND_BY_OPERATOR: Readonly<Record<string, number>> = { viettel: 2600, vnpt: 3700, mobifone: 3800 };

const RADIO_NAME: Readonly<Record<Technology, string>> = { '2G': 'GSM', '3G': 'UMTS', '4G': 'LTE', '5G': 'NR' };

/**
 * Groups cells into sites, one radio per site:
 * - LTE: by eNB id = cell >> 8 (the E-UTRAN cell id is a 20-bit eNB id and an 8-bit cell id),
 *   exact whatever the positions;
 * - UMTS: by RNC = cell >> 16, then position (the RNC controls many NodeBs);
 * - GSM and NR: by LAC/TAC, then position (GSM CIDs have no site part; the NR gNB id length is
 *   set per operator, 22 to 32 bits, and unknown here).
 * "By position" is greedy in cell id order: a cell joins the first cluster whose first cell lies
 * within SITE_CLUSTER_M. The site's position is the samples-weighted mean of its cells.
 */
export function groupCellsIntoSites(cells: Cell[]): {
  records: Array<RawRecord & { extras: RecordExtras }>;
  warnings: ImportIssue[];
} {
  const buckets = new Map<string, Cell[]>();
  for (const cell of cells) {
    const key =
      cell.technology === '4G'
        ? `${cell.net}|4G|${Math.floor(cell.cell / 256)}`
        : cell.technology === '3G'
          ? `${cell.net}|3G|${cell.area}|${Math.floor(cell.cell / 65536)}`
          : `${cell.net}|${cell.technology}|${cell.area}`;
    const bucket = buckets.get(key);
    if (bucket) bucket.push(cell);
    else buckets.set(key, [cell]);
  }
  const sites: Cell[][] = [];
  for (const bucket of buckets.values()) {
    if (bucket[0].technology === '4G') sites.push(bucket);
    else sites.push(...clusterByPosition(bucket));
  }
  const warnings: ImportIssue[] = [];
  const records = sites.map((site) => toRecord(site, warnings)).sort((a, b) => a.row - b.row);
  return { records, warnings };
}

/** Grid step in degrees, more than SITE_CLUSTER_M in both directions at Vietnam's latitudes. */
const GRID_DEG = 0.004;

function clusterByPosition(cells: Cell[]): Cell[][] {
  const clusters: Cell[][] = [];
  // Grid of cluster anchors, so that a bucket of 100,000 scattered cells stays linear.
  const grid = new Map<string, number[]>();
  for (const cell of [...cells].sort((a, b) => a.cell - b.cell || a.row - b.row)) {
    const gx = Math.floor(cell.lon / GRID_DEG);
    const gy = Math.floor(cell.lat / GRID_DEG);
    let home = -1;
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const index of grid.get(`${gx + dx}:${gy + dy}`) ?? []) {
          if ((home < 0 || index < home) && distanceM(clusters[index][0], cell) <= SITE_CLUSTER_M) home = index;
        }
      }
    }
    if (home >= 0) {
      clusters[home].push(cell);
      continue;
    }
    clusters.push([cell]);
    const key = `${gx}:${gy}`;
    const anchors = grid.get(key);
    if (anchors) anchors.push(clusters.length - 1);
    else grid.set(key, [clusters.length - 1]);
  }
  return clusters;
}

function toRecord(site: Cell[], warnings: ImportIssue[]): RawRecord & { extras: RecordExtras } {
  const first = site.reduce((a, b) => (b.row < a.row ? b : a));
  const lowest = site.reduce((a, b) => (b.cell < a.cell ? b : a));
  let weight = 0;
  let lon = 0;
  let lat = 0;
  for (const cell of site) {
    const w = Math.max(cell.samples ?? 1, 1);
    weight += w;
    lon += cell.lon * w;
    lat += cell.lat * w;
  }
  const position = { lon: round7(lon / weight), lat: round7(lat / weight) };
  const spreadM = site.reduce((max, c) => Math.max(max, distanceM(c, position)), 0);
  const { technology, operator, net } = first;
  const mnc = String(net).padStart(2, '0');
  const radio = RADIO_NAME[technology];
  let siteCode: string;
  let name: string;
  if (technology === '4G') {
    const enb = Math.floor(first.cell / 256);
    siteCode = `452-${mnc}-LTE-${enb}`;
    name = `OpenCelliD LTE eNB ${enb}`;
  } else if (technology === '3G') {
    const rnc = Math.floor(lowest.cell / 65536);
    siteCode = `452-${mnc}-UMTS-${rnc}-${lowest.cell % 65536}`;
    name = `OpenCelliD UMTS RNC ${rnc} cell ${lowest.cell % 65536}`;
  } else {
    siteCode = `452-${mnc}-${radio}-${lowest.area}-${lowest.cell}`;
    name = `OpenCelliD ${radio} ${technology === '2G' ? 'LAC' : 'TAC'} ${lowest.area} cell ${lowest.cell}`;
  }
  if (site.length > 1) name += ` (${site.length} cells)`;
  if (spreadM > SPREAD_WARNING_M) {
    warnings.push(
      rowWarning(first.row, 'lon', `the ${site.length} cells of site ${siteCode} lie up to ${Math.round(spreadM)} m from their mean position; it may be wrong`),
    );
  }
  const trusted = site.filter((c) => c.rangeM !== null && c.rangeM > 0 && (c.samples === null || c.samples >= MIN_SAMPLES_FOR_RANGE));
  const sampleCounts = site.map((c) => c.samples).filter((s): s is number => s !== null);
  return {
    row: first.row,
    values: {
      operator,
      site_code: siteCode,
      name,
      lon: position.lon,
      lat: position.lat,
      technology,
      band_mhz: technology === '5G' ? (ASSUMED_5G_BAND_BY_OPERATOR[operator] ?? ASSUMED_BAND_MHZ['5G']) : ASSUMED_BAND_MHZ[technology],
      status: 'active',
    },
    extras: {
      rangeHintM: trusted.length ? trusted.reduce((max, c) => Math.max(max, c.rangeM!), 0) : null,
      samples: sampleCounts.length ? sampleCounts.reduce((a, b) => a + b, 0) : null,
    },
  };
}

function round7(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

// Shapes of the API answers the page reads. Stable ones come from the server's own modules
// (`import type` only: nothing of zod or the server reaches the bundle); the targets, summary,
// gaps and history endpoints are still being built, so their client view is declared here loosely
// and normalised in data/targets.ts.
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { CommuneDetail, CommuneKind, CommuneSummary } from '../server/communes/communes.schema';
import type { CoverageFigure, ProvinceFigure, Technology } from '../server/coverage/engine/types';
import type { Job } from '../server/jobs/jobs';

export type { CommuneDetail, CommuneKind, CoverageFigure, Job, ProvinceFigure, Technology };

export const TECHNOLOGIES: readonly Technology[] = ['2G', '3G', '4G', '5G'];
export const ALL = 'all';

/** One commune's properties in GET /api/communes?format=geojson. */
export type CommuneProperties = CommuneSummary;
export type CommunesGeoJson = FeatureCollection<Polygon | MultiPolygon, CommuneProperties> & { attribution?: string };

export interface CoverageList {
  computedAt: string;
  asOf: string;
  modelVersion: string;
  stale: boolean;
  province: ProvinceFigure[];
  communes: CoverageFigure[];
}

export interface TechFigure {
  areaPct: number;
  populationPct: number;
  coveredAreaKm2: number;
  coveredPopulation: number;
}

export interface CommuneCoverage {
  code: string;
  name: string | null;
  computedAt: string;
  asOf: string;
  modelVersion: string;
  stale: boolean;
  technologies: Partial<Record<Technology, TechFigure>>;
  operators: Record<string, Partial<Record<Technology, TechFigure>>>;
}

export interface Radio {
  id: number;
  technology: Technology;
  bandMhz: number;
  azimuthDeg: number | null;
  beamwidthDeg: number | null;
  radiusM: number | null;
  status: 'planned' | 'active' | 'decommissioned';
  commissionedOn: string | null;
  decommissionedOn: string | null;
}

export interface Station {
  id: number;
  operator: string;
  siteCode: string;
  name: string;
  lon: number;
  lat: number;
  communeCode: string | null;
  heightM: number | null;
  isDemo: boolean;
  radios: Radio[];
}

export interface StationPage {
  items: Station[];
  nextCursor: string | number | null;
}

export interface GapFeature {
  type: 'Feature';
  geometry: Polygon | MultiPolygon | null;
  properties: { code: string; technology: Technology; operator: string; asOf: string; uncoveredKm2: number; areaKm2: number };
}

/** A target as the page uses it (normalised from GET /api/targets, or built in). */
export interface Target {
  id: string;
  code: string;
  title: string;
  metric: string;
  threshold: number;
  deadlineYear: number | null;
  scope: 'province' | 'commune';
  source: string | null;
  builtIn: boolean;
}

/** A reported figure next to the computed one (GET /api/summary or /api/reported). */
export interface ReportedFigure {
  code: string;
  label: string;
  value: number;
  unit: string;
  qualifier: string | null;
  metric: string | null;
  operator: string | null;
  asOf: string | null;
  source: string | null;
  computed: number | null;
}

/** One commune below a target, from GET /api/gaps or computed on the page. */
export interface GapRow {
  code: string;
  name: string;
  value: number | null;
  shortfallPts: number;
  peopleBehind: number | null;
  householdsBehind: number | null;
  uncoveredKm2: number | null;
}

/** One point of a history series: when, and metric → value. */
export interface HistoryPoint {
  at: string;
  values: Record<string, number | null>;
}

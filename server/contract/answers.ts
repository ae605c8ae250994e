/**
 * The API's answers as a client receives them: each type is `z.input` of the schema the route
 * sends through and the OpenAPI document is generated from (the wire side: ISO strings where the
 * service holds Dates; `z.output`, what `z.infer` gives, is the service's side). Types only: the
 * page imports them with `import type`, so nothing of zod or the server reaches its bundle.
 */
import type { z } from 'zod';
import type { BroadbandFiguresSchema, BroadbandImportReportSchema } from '../broadband/broadband.schema';
import type { CommuneDetailFeatureSchema, CommuneDetailSchema, CommuneListSchema, CommuneSummarySchema, CommunesGeoJsonSchema } from '../communes/communes.schema';
import type {
  CommuneCoverageSchema, CommuneGapFeatureSchema, CoverageFigureSchema, CoverageLayerSchema, CoverageListSchema, CoveragePointSchema, ProvinceFigureSchema, TechFigureSchema,
} from '../coverage/coverage.schema';
import type { HealthSchema } from '../health/health.schema';
import type { JobSchema } from '../jobs/jobs.schema';
import type { ProvinceListSchema, ProvinceSchema, ProvincesGeoJsonSchema } from '../provinces/provinces.schema';
import type { ImportRecordPageSchema, ImportRecordSchema, RadioSchema, StationDetailSchema, StationImportReportSchema, StationPageSchema, StationSchema } from '../stations/stations.schema';
import type { CommuneHistorySchema, GapRowSchema, GapsSchema, HistoryPointSchema, ProvinceHistorySchema, SummarySchema } from '../summary/summary.schema';
import type { ReportedFigureSchema, ReportedListSchema, TargetListSchema, TargetSchema } from '../targets/targets.schema';

type Wire<S extends z.ZodType> = z.input<S>;

export type Health = Wire<typeof HealthSchema>;
export type CommuneSummary = Wire<typeof CommuneSummarySchema>;
export type CommuneDetail = Wire<typeof CommuneDetailSchema>;
export type CommuneList = Wire<typeof CommuneListSchema>;
export type CommunesGeoJson = Wire<typeof CommunesGeoJsonSchema>;
export type CommuneDetailFeature = Wire<typeof CommuneDetailFeatureSchema>;
export type Province = Wire<typeof ProvinceSchema>;
export type ProvinceList = Wire<typeof ProvinceListSchema>;
export type ProvincesGeoJson = Wire<typeof ProvincesGeoJsonSchema>;
export type Radio = Wire<typeof RadioSchema>;
export type Station = Wire<typeof StationSchema>;
export type StationPage = Wire<typeof StationPageSchema>;
export type StationDetail = Wire<typeof StationDetailSchema>;
export type StationImportReport = Wire<typeof StationImportReportSchema>;
export type ImportRecord = Wire<typeof ImportRecordSchema>;
export type ImportRecordPage = Wire<typeof ImportRecordPageSchema>;
export type BroadbandFigures = Wire<typeof BroadbandFiguresSchema>;
export type BroadbandImportReport = Wire<typeof BroadbandImportReportSchema>;
export type CoverageFigure = Wire<typeof CoverageFigureSchema>;
export type ProvinceFigure = Wire<typeof ProvinceFigureSchema>;
export type TechFigure = Wire<typeof TechFigureSchema>;
export type CommuneCoverage = Wire<typeof CommuneCoverageSchema>;
export type CoverageList = Wire<typeof CoverageListSchema>;
export type CoveragePoint = Wire<typeof CoveragePointSchema>;
export type CommuneGapFeature = Wire<typeof CommuneGapFeatureSchema>;
export type CoverageLayer = Wire<typeof CoverageLayerSchema>;
export type Job = Wire<typeof JobSchema>;
export type Target = Wire<typeof TargetSchema>;
export type TargetList = Wire<typeof TargetListSchema>;
export type ReportedFigure = Wire<typeof ReportedFigureSchema>;
export type ReportedList = Wire<typeof ReportedListSchema>;
export type GapRow = Wire<typeof GapRowSchema>;
export type Gaps = Wire<typeof GapsSchema>;
export type Summary = Wire<typeof SummarySchema>;
export type HistoryPoint = Wire<typeof HistoryPointSchema>;
export type ProvinceHistory = Wire<typeof ProvinceHistorySchema>;
export type CommuneHistory = Wire<typeof CommuneHistorySchema>;

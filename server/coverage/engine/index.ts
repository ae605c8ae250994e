/** Public API of the pure coverage engine: GeoJSON in, numbers and GeoJSON out, no I/O. */
export {
  ALL_OPERATORS,
  TECHNOLOGIES,
  type CoverageCommune,
  type CoverageFigure,
  type CoverageOptions,
  type CoverageRadio,
  type FootprintStrips,
  type PopulationSpread,
  type ProvinceFigure,
  type Technology,
} from './types';
export { computeCommuneCoverage, coverageComputation, populationWeight, provinceRollup, DEFAULT_ROW_SPACING_M } from './coverage';
export { footprintPolygon, radioSector, DEFAULT_FOOTPRINT_STEPS, type FootprintOptions, type FootprintRadio } from './footprint';
export {
  DEFAULT_LINK_BUDGET,
  SUBURBAN_DENSITY_PER_KM2,
  environmentFor,
  maxPathLossDb,
  shadowingMarginDb,
  type CommuneKind,
  type Environment,
  type LinkBudget,
} from './link-budget';
export {
  estimateRadiusM,
  pathLossDb,
  radiusFromLinkBudget,
  resolveRadiusM,
  selectModel,
  type PropagationModel,
  type RadioSite,
  type RadiusEstimate,
} from './propagation';
export { cellAreaKm2, cumulativeAt, gridDensityAt, gridRowOf, prepareGrid, type PopulationGrid, type PreparedGrid } from './population';
export {
  EFFECTIVE_EARTH_RADIUS_M,
  bullingtonLossDb,
  fresnelV,
  knifeEdgeLossDb,
  knifeEdgeVFor,
  sweepLimits,
  sweepRadial,
  sweepScratch,
  type SweepScratch,
} from './diffraction';
export { stripsContain, terrainFootprint, type HeightSampler, type TerrainFootprint, type TerrainFootprintOptions, type TerrainRadio } from './terrain-footprint';
export { knownTerrainShare } from './terrain-share';

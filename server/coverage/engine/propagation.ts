/**
 * Radius of a radio from a link budget and an empirical path-loss model. No terrain: every model
 * here is a median over flat, statistically uniform clutter (no elevation data in the project).
 *
 * Model choice (selectModel):
 *  - 5G, or any carrier above 2,700 MHz: 3GPP TR 38.901 Table 7.4.1-1, NLOS (0.5–100 GHz): UMa
 *    for urban; RMa for suburban (buildings h = 10 m) and rural (h = 5 m), because 38.901 has no
 *    suburban scenario and RMa's building-height term orders the two. A sparser class never loses
 *    more than a denser one: suburban = min(UMa, RMa h=10 m), rural = min(suburban, RMa h=5 m),
 *    since the RMa fit (made for 35 m masts) would otherwise rank masts under ~15 m below urban.
 *    UMa NLOS has no base-height term (3GPP fixes h_BS = 25 m), so an urban 5G radius hardly
 *    changes with mast height.
 *  - 2G/3G/4G up to 1,500 MHz: Okumura-Hata (fitted for 150–1,500 MHz).
 *  - 2G/3G/4G from 1,500 to 2,700 MHz: COST-231 Hata (fitted for 1,500–2,000 MHz; used here as an
 *    extension up to 2.7 GHz for UMTS band 1 and LTE band 7, a common planning practice, not part
 *    of COST 231).
 * Hata's suburban and open-area corrections are applied to COST-231 too (again common practice).
 * Hata is solved for distance in closed form; 38.901 is solved by bisection on log distance
 * (path loss is monotone in distance).
 */
import type { Technology } from './types';
import { DEFAULT_LINK_BUDGET, maxPathLossDb, type Environment, type LinkBudget } from './link-budget';

export type PropagationModel = 'okumura-hata' | 'cost231-hata' | '3gpp-38.901-uma-nlos' | '3gpp-38.901-rma-nlos';

/** Carriers above this use TR 38.901 whatever the technology, MHz. */
export const HATA_MAX_BAND_MHZ = 2_700;
/** Okumura-Hata upper limit; COST-231 Hata above it, MHz. */
export const OKUMURA_HATA_MAX_BAND_MHZ = 1_500;
/** Speed of light, m/s (38.901 breakpoint distances). */
const SPEED_OF_LIGHT_M_S = 299_792_458;
/** 38.901 UMa effective environment height h_E for a handset below 13 m, metres. */
const UMA_ENVIRONMENT_HEIGHT_M = 1;

/** What the radius model needs to know about one radio. Missing band or height: budget defaults. */
export interface RadioSite {
  technology: Technology;
  /** Carrier frequency, MHz. */
  bandMhz?: number | null;
  /** Base-station antenna height above ground, metres. */
  heightM?: number | null;
  environment: Environment;
}

/** Result of the radius model, with what it used, so a figure can be explained. */
export interface RadiusEstimate {
  radiusM: number;
  model: PropagationModel;
  /** Allowed median path loss at the cell edge, dB. */
  maxPathLossDb: number;
  bandMhz: number;
  heightM: number;
  /** True when the model's distance fell outside [minRadiusM, maxRadiusM] and was clamped. */
  clamped: boolean;
}

/** Which model a technology, carrier and environment use (rules in the file comment). */
export function selectModel(technology: Technology, bandMhz: number, environment: Environment): PropagationModel {
  if (technology === '5G' || bandMhz > HATA_MAX_BAND_MHZ) {
    return environment === 'urban' ? '3gpp-38.901-uma-nlos' : '3gpp-38.901-rma-nlos';
  }
  return bandMhz <= OKUMURA_HATA_MAX_BAND_MHZ ? 'okumura-hata' : 'cost231-hata';
}

/**
 * Hata family as L(d) = intercept + slope · log10(d / 1 km), dB; f in MHz, heights in metres.
 * Small/medium-city mobile correction a(h_m); suburban −2[log(f/28)]² − 5.4; open area
 * −4.78(log f)² + 18.33 log f − 40.94 (used for 'rural').
 */
function hataLine(model: PropagationModel, fMhz: number, hBaseM: number, hMobileM: number, env: Environment, cDb: number) {
  const lf = Math.log10(fMhz);
  const aHm = (1.1 * lf - 0.7) * hMobileM - (1.56 * lf - 0.8);
  const base = model === 'okumura-hata' ? 69.55 + 26.16 * lf : 46.3 + 33.9 * lf + cDb;
  let intercept = base - 13.82 * Math.log10(hBaseM) - aHm;
  if (env === 'suburban') intercept -= 2 * Math.log10(fMhz / 28) ** 2 + 5.4;
  if (env === 'rural') intercept -= 4.78 * lf * lf - 18.33 * lf + 40.94;
  return { intercept, slope: 44.9 - 6.55 * Math.log10(hBaseM) };
}

/** TR 38.901 UMa NLOS path loss, dB: max(PL_UMa-LOS, 13.54 + 39.08 log d3D + 20 log fc − 0.6(h_UT − 1.5)). */
function umaNlosDb(d2dM: number, fGhz: number, hBsM: number, hUtM: number): number {
  const d3d = Math.hypot(d2dM, hBsM - hUtM);
  const breakpointM = (4 * (hBsM - UMA_ENVIRONMENT_HEIGHT_M) * (hUtM - UMA_ENVIRONMENT_HEIGHT_M) * fGhz * 1e9) / SPEED_OF_LIGHT_M_S;
  const los =
    d2dM <= breakpointM
      ? 28 + 22 * Math.log10(d3d) + 20 * Math.log10(fGhz)
      : 28 + 40 * Math.log10(d3d) + 20 * Math.log10(fGhz) - 9 * Math.log10(breakpointM ** 2 + (hBsM - hUtM) ** 2);
  const nlos = 13.54 + 39.08 * Math.log10(d3d) + 20 * Math.log10(fGhz) - 0.6 * (hUtM - 1.5);
  return Math.max(los, nlos);
}

/** TR 38.901 RMa LOS PL1 at a 3D distance, dB (h = average building height, metres). */
function rmaLos1Db(d3dM: number, fGhz: number, hM: number): number {
  const k = hM ** 1.72;
  return (
    20 * Math.log10((40 * Math.PI * d3dM * fGhz) / 3) +
    Math.min(0.03 * k, 10) * Math.log10(d3dM) -
    Math.min(0.044 * k, 14.77) +
    0.002 * Math.log10(hM) * d3dM
  );
}

/** TR 38.901 RMa NLOS path loss, dB: max(PL_RMa-LOS, PL'_RMa-NLOS); W street width, h building height. */
function rmaNlosDb(d2dM: number, fGhz: number, hBsM: number, hUtM: number, wM: number, hM: number): number {
  const d3d = Math.hypot(d2dM, hBsM - hUtM);
  const breakpointM = (2 * Math.PI * hBsM * hUtM * fGhz * 1e9) / SPEED_OF_LIGHT_M_S;
  const los =
    d2dM <= breakpointM
      ? rmaLos1Db(d3d, fGhz, hM)
      : rmaLos1Db(Math.hypot(breakpointM, hBsM - hUtM), fGhz, hM) + 40 * Math.log10(d3d / breakpointM);
  const nlos =
    161.04 -
    7.1 * Math.log10(wM) +
    7.5 * Math.log10(hM) -
    (24.37 - 3.7 * (hM / hBsM) ** 2) * Math.log10(hBsM) +
    (43.42 - 3.1 * Math.log10(hBsM)) * (Math.log10(d3d) - 3) +
    20 * Math.log10(fGhz) -
    (3.2 * Math.log10(11.75 * hUtM) ** 2 - 4.97);
  return Math.max(los, nlos);
}

function resolveSite(site: RadioSite, budget: Readonly<LinkBudget>) {
  const bandMhz = site.bandMhz ?? budget.defaultBandMhz[site.technology];
  const heightM = site.heightM ?? budget.defaultHeightM;
  if (!(Number.isFinite(bandMhz) && bandMhz > 0)) throw new RangeError(`band must be a positive number of MHz: ${bandMhz}`);
  if (!(Number.isFinite(heightM) && heightM > budget.receiverHeightM)) {
    throw new RangeError(`antenna height must exceed the ${budget.receiverHeightM} m receiver: ${heightM}`);
  }
  return { bandMhz, heightM, model: selectModel(site.technology, bandMhz, site.environment) };
}

/**
 * Median path loss of a radio at a ground distance, dB, under the model selectModel picks. Used by
 * the radius solver and by tests; outside each model's fitted range the formula is extrapolated.
 *
 * @param distanceM ground (2D) distance from the mast, metres, > 0
 */
export function pathLossDb(site: RadioSite, distanceM: number, budget: Readonly<LinkBudget> = DEFAULT_LINK_BUDGET): number {
  const { bandMhz, heightM, model } = resolveSite(site, budget);
  const hUt = budget.receiverHeightM;
  if (model === 'okumura-hata' || model === 'cost231-hata') {
    const { intercept, slope } = hataLine(model, bandMhz, heightM, hUt, site.environment, budget.metropolitanCorrectionDb);
    return intercept + slope * Math.log10(distanceM / 1000);
  }
  const fGhz = bandMhz / 1000;
  const urbanDb = umaNlosDb(distanceM, fGhz, heightM, hUt);
  if (site.environment === 'urban') return urbanDb;
  const { suburban, rural } = budget.rmaBuildingHeightM;
  const suburbanDb = Math.min(urbanDb, rmaNlosDb(distanceM, fGhz, heightM, hUt, budget.rmaStreetWidthM, suburban));
  if (site.environment === 'suburban') return suburbanDb;
  return Math.min(suburbanDb, rmaNlosDb(distanceM, fGhz, heightM, hUt, budget.rmaStreetWidthM, rural));
}

/**
 * Radius at which the median path loss reaches the allowed maximum, clamped to
 * [budget.minRadiusM, budget.maxRadiusM]. Typical defaults (30 m mast): 4G 1,800 MHz ≈ 1.5 km
 * urban, 3.3 km suburban, 12 km rural; 5G 3,500 MHz ≈ 0.5 km urban.
 */
export function radiusFromLinkBudget(site: RadioSite, budget: Readonly<LinkBudget> = DEFAULT_LINK_BUDGET): RadiusEstimate {
  const { bandMhz, heightM, model } = resolveSite(site, budget);
  const allowedDb = maxPathLossDb(site.technology, budget);
  let distanceM: number;
  if (model === 'okumura-hata' || model === 'cost231-hata') {
    const { intercept, slope } = hataLine(model, bandMhz, heightM, budget.receiverHeightM, site.environment, budget.metropolitanCorrectionDb);
    distanceM = 1000 * 10 ** ((allowedDb - intercept) / slope);
  } else {
    // Bisection on log10(distance) between the clamps; 60 halvings reach float precision.
    let lo = Math.log10(budget.minRadiusM);
    let hi = Math.log10(budget.maxRadiusM);
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (pathLossDb(site, 10 ** mid, budget) < allowedDb) lo = mid;
      else hi = mid;
    }
    distanceM = 10 ** ((lo + hi) / 2);
  }
  const radiusM = Math.min(budget.maxRadiusM, Math.max(budget.minRadiusM, distanceM));
  return { radiusM, model, maxPathLossDb: allowedDb, bandMhz, heightM, clamped: radiusM !== distanceM };
}

/** Radius of a radio from the link budget, metres (see radiusFromLinkBudget). */
export function estimateRadiusM(site: RadioSite, budget: Readonly<LinkBudget> = DEFAULT_LINK_BUDGET): number {
  return radiusFromLinkBudget(site, budget).radiusM;
}

/**
 * Footprint radius to use for a radio, metres: the station's own radius when it gives a positive
 * one, otherwise the link-budget estimate.
 */
export function resolveRadiusM(
  explicitRadiusM: number | null | undefined,
  site: RadioSite,
  budget: Readonly<LinkBudget> = DEFAULT_LINK_BUDGET,
): number {
  return explicitRadiusM != null && Number.isFinite(explicitRadiusM) && explicitRadiusM > 0
    ? explicitRadiusM
    : estimateRadiusM(site, budget);
}

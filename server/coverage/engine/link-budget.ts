/**
 * Link-budget defaults and the environment rule. Every number has its source next to it; a number
 * marked "unverified" is a planning assumption to replace with an operator's own link budget.
 *
 * The allowed median path loss at the cell edge is
 *   maxPathLossDb = MCL + G_bs − L_body − L_cable − z(p)·σ − L_penetration
 * where MCL (maximum coupling loss) is measured antenna port to antenna port including antenna
 * gains, so the base-station antenna gain is added back to get a pure path loss, and z(p)·σ is the
 * log-normal shadowing margin for a cell-edge probability p. With the defaults below that is
 * MCL + 1.75 dB: 4G 142.5 dB, 2G 145.8 dB, 3G 143.8 dB, 5G 129.8 dB.
 */
import type { Technology } from './types';

/** Clutter class fed to the propagation models. */
export type Environment = 'urban' | 'suburban' | 'rural';

/** Vietnamese commune-level unit kind: xã (rural commune) or phường (urban ward). */
export type CommuneKind = 'xa' | 'phuong';

/**
 * Population density above which a xã counts as suburban, persons/km². Source: the density
 * criterion for the smallest urban class (type V, thị trấn) in Resolution 1210/2016/UBTVQH13 as
 * amended by Resolution 26/2022/UBTVQH15: ≥ 1,000 persons/km² (unverified wording; check the
 * annex before quoting).
 */
export const SUBURBAN_DENSITY_PER_KM2 = 1_000;

/**
 * Environment class of a commune. Rule: every phường is `urban`; a xã whose population density is
 * at least SUBURBAN_DENSITY_PER_KM2 (1,000 persons/km²) is `suburban`; every other xã, and a xã
 * with an unknown or non-finite density, is `rural`.
 *
 * @param kind 'phuong' (urban ward) or 'xa' (rural commune)
 * @param populationDensityPerKm2 residents per km² of the commune
 */
export function environmentFor(kind: CommuneKind, populationDensityPerKm2: number): Environment {
  if (kind === 'phuong') return 'urban';
  return Number.isFinite(populationDensityPerKm2) && populationDensityPerKm2 >= SUBURBAN_DENSITY_PER_KM2
    ? 'suburban'
    : 'rural';
}

/** Inputs of the radius model; see DEFAULT_LINK_BUDGET for what each one means and its source. */
export interface LinkBudget {
  /** Maximum coupling loss of the limiting link of a basic service, dB, per technology. */
  maxCouplingLossDb: Readonly<Record<Technology, number>>;
  /** Carrier used when a radio has no band, MHz. */
  defaultBandMhz: Readonly<Record<Technology, number>>;
  /** Base-station antenna height used when a radio has none, metres above ground. */
  defaultHeightM: number;
  /** Handset antenna height, metres above ground. */
  receiverHeightM: number;
  /** Base-station antenna gain, dBi. */
  baseAntennaGainDbi: number;
  /** Handset body loss, dB. */
  bodyLossDb: number;
  /** Feeder and connector loss at the base station, dB. */
  cableLossDb: number;
  /** Probability that the signal at the cell edge exceeds the threshold, in (0, 1). */
  cellEdgeProbability: number;
  /** Standard deviation of log-normal shadowing, dB. */
  shadowingSigmaDb: number;
  /** Building (or vehicle) entry loss, dB; 0 = outdoor coverage. */
  penetrationLossDb: number;
  /** COST-231 Hata C term, dB: 0 medium city and suburban, 3 metropolitan centre. */
  metropolitanCorrectionDb: number;
  /** TR 38.901 RMa average street width W, metres. */
  rmaStreetWidthM: number;
  /** TR 38.901 RMa average building height h, metres, for the two non-urban classes. */
  rmaBuildingHeightM: Readonly<{ suburban: number; rural: number }>;
  /** Smallest radius returned, metres. */
  minRadiusM: number;
  /** Largest radius returned, metres. */
  maxRadiusM: number;
}

export const DEFAULT_LINK_BUDGET: Readonly<LinkBudget> = Object.freeze({
  maxCouplingLossDb: Object.freeze({
    // 3GPP TR 45.820 (Cellular IoT study) §5: GPRS reference MCL 144 dB (the CIoT target 164 dB
    // is "GPRS + 20 dB").
    '2G': 144,
    // TS 25.101 power-class-3 UE 24 dBm + TS 25.104 wide-area Node B reference sensitivity
    // −121 dBm (12.2 kbit/s) − 3 dB uplink interference margin at 50 % load (the cell loading the
    // FCC's Broadband Data Collection prescribes for mobile maps, 47 CFR § 1.7004(c)(3), FCC 20-94).
    '3G': 142,
    // 3GPP TR 36.888 (low-cost MTC over LTE) §5: LTE FDD reference MCL 140.7 dB, limited by the
    // PUSCH (the LTE-M target 155.7 dB is "LTE + 15 dB").
    '4G': 140.7,
    // Unverified planning value: 3GPP TR 38.830 (Rel-17 NR coverage enhancement) found the PUSCH
    // the bottleneck of urban 4 GHz TDD at roughly 125–130 dB; 128 dB puts a 3.5 GHz urban macro
    // at about 0.5 km by the TR 38.901 UMa NLOS formula (test/unit/coverage/propagation.test.ts).
    '5G': 128,
  }),
  defaultBandMhz: Object.freeze({
    // Vietnamese allocations: GSM 900 (E-GSM), UMTS band 1 (2100), LTE band 3 (1800), NR n78
    // (3.5 GHz; some 2024 auction lots are 2.5–2.6 GHz n41: unverified per operator).
    '2G': 900,
    '3G': 2100,
    '4G': 1800,
    '5G': 3500,
  }),
  // Typical macro mast; the hand-computed Hata radii of test/unit/coverage/propagation.test.ts use 30 m.
  defaultHeightM: 30,
  // Okumura-Hata and TR 38.901 both take a 1.5 m handset as the reference (a(h_m) ≈ 0 at 1.5 m).
  receiverHeightM: 1.5,
  // Three-sector 65° macro panel, 15–18 dBi (vendor datasheets; unverified typical value).
  baseAntennaGainDbi: 17,
  // Handheld voice body loss used in TR 45.820 / TR 36.888 style link budgets (3 dB).
  bodyLossDb: 3,
  // Feeder and jumpers with a remote radio head at the mast, 0.5–3 dB (unverified typical value).
  cableLossDb: 2,
  // FCC Broadband Data Collection maps use a 90 % cell-edge probability (47 CFR § 1.7004(c)(3)).
  cellEdgeProbability: 0.9,
  // 8 dB: usual macro-cell value for Hata planning; TR 38.901 Table 7.4.1-1 gives 6 dB (UMa NLOS)
  // and 8 dB (RMa NLOS).
  shadowingSigmaDb: 8,
  // Outdoor coverage, like the FCC BDC outdoor-stationary maps and Ofcom's Connected Nations outdoor layer.
  penetrationLossDb: 0,
  // COST-231: C = 0 dB for medium cities and suburban centres; Phú Thọ has no metropolis.
  metropolitanCorrectionDb: 0,
  // TR 38.901 Table 7.4.1-1 RMa defaults: W = 20 m, h = 5 m (applicable 5–50 m). 10 m for the
  // suburban class is our assumption (38.901 has no suburban scenario).
  rmaStreetWidthM: 20,
  rmaBuildingHeightM: Object.freeze({ suburban: 10, rural: 5 }),
  // Below 50 m a macro radius is noise; above 35 km GSM timing advance runs out (63 × 553.5 m);
  // Hata itself is fitted for 1–20 km, so radii beyond 20 km are extrapolations.
  minRadiusM: 50,
  maxRadiusM: 35_000,
});

/** Standard normal CDF, Abramowitz & Stegun 7.1.26 erf (absolute error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Log-normal shadowing margin z(p)·σ, dB, so that the signal beats the threshold with probability
 * `probability` at the cell edge (0.9 with σ = 8 dB gives 10.25 dB; 0.5 gives 0).
 */
export function shadowingMarginDb(probability: number, sigmaDb: number): number {
  if (!(probability > 0 && probability < 1)) throw new RangeError(`cell-edge probability must be in (0, 1): ${probability}`);
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < probability) lo = mid;
    else hi = mid;
  }
  return ((lo + hi) / 2) * sigmaDb;
}

/** Allowed median path loss at the cell edge for a technology under a budget, dB. */
export function maxPathLossDb(technology: Technology, budget: Readonly<LinkBudget> = DEFAULT_LINK_BUDGET): number {
  return (
    budget.maxCouplingLossDb[technology] +
    budget.baseAntennaGainDbi -
    budget.bodyLossDb -
    budget.cableLossDb -
    shadowingMarginDb(budget.cellEdgeProbability, budget.shadowingSigmaDb) -
    budget.penetrationLossDb
  );
}

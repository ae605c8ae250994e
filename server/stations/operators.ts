/**
 * The operators the atlas knows from the start, with the short names the page and the reports
 * show. Pure (no zod, no database): the map page imports it through server/contract/rules.ts.
 * The `operators` table (migrations 0003, 0005) holds the same codes; admins may add more, which
 * are then shown by their code.
 */

/** Mobile networks under MCC 452 (MNC as in the ITU-T E.212 list of mobile network codes), in the order the page lists them. */
export const DEFAULT_OPERATORS = ['viettel', 'vnpt', 'mobifone', 'vietnamobile', 'gmobile'] as const;
export type MobileOperator = (typeof DEFAULT_OPERATORS)[number];

/** Display names; the fixed-broadband providers run no mobile network here. */
export const OPERATOR_NAMES: Readonly<Record<string, string>> = {
  viettel: 'Viettel',
  vnpt: 'VNPT',
  mobifone: 'MobiFone',
  vietnamobile: 'Vietnamobile',
  gmobile: 'Gmobile',
  fpt: 'FPT Telecom',
  cmc: 'CMC Telecom',
  scti: 'SCTV',
};

/** The operator's name, or its code when it is not one of the above. */
export const operatorName = (code: string): string => OPERATOR_NAMES[code] ?? code;

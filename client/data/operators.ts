// Operators (MCC 452) with their display names and the colours of their stations: the Okabe–Ito
// palette, told apart with the common colour-vision deficiencies. The dots get a dark rim on the
// map so each one stands out against any fill colour.
export interface OperatorInfo {
  code: string;
  name: string;
  colour: string;
}

export const OPERATORS: readonly OperatorInfo[] = [
  { code: 'viettel', name: 'Viettel', colour: '#d55e00' },
  { code: 'vnpt', name: 'VNPT', colour: '#0072b2' },
  { code: 'mobifone', name: 'MobiFone', colour: '#cc79a7' },
  { code: 'vietnamobile', name: 'Vietnamobile', colour: '#e69f00' },
  { code: 'gmobile', name: 'Gmobile', colour: '#009e73' },
];

export const OTHER_OPERATOR_COLOUR = '#555555';

/** Fixed-broadband providers that run no mobile network here. */
const FIBER_ONLY: Record<string, string> = { fpt: 'FPT Telecom', cmc: 'CMC Telecom', scti: 'SCTV' };

export function operatorName(code: string): string {
  return OPERATORS.find((o) => o.code === code)?.name ?? FIBER_ONLY[code] ?? code;
}

export function operatorColour(code: string): string {
  return OPERATORS.find((o) => o.code === code)?.colour ?? OTHER_OPERATOR_COLOUR;
}

// The colours of the operators' stations: the Okabe–Ito palette, told apart with the common
// colour-vision deficiencies. The dots get a dark rim on the map so each one stands out against
// any fill colour. Which operators there are, and their names, are the server's.
import { DEFAULT_OPERATORS, operatorName, type MobileOperator } from '../../server/contract/rules';

export { operatorName };

const COLOURS: Readonly<Record<MobileOperator, string>> = {
  viettel: '#d55e00',
  vnpt: '#0072b2',
  mobifone: '#cc79a7',
  vietnamobile: '#e69f00',
  gmobile: '#009e73',
};

/** The mobile operators in the page's order, with their colours. */
export const OPERATORS = DEFAULT_OPERATORS.map((code) => ({ code, name: operatorName(code), colour: COLOURS[code] }));

export const OTHER_OPERATOR_COLOUR = '#555555';

export function operatorColour(code: string): string {
  return (COLOURS as Record<string, string>)[code] ?? OTHER_OPERATOR_COLOUR;
}

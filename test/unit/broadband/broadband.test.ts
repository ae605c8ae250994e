import { describe, expect, it } from 'vitest';
import { parseBroadbandFile } from '../../../server/broadband/broadband.parse';
import { count, isoDate, validateBroadband, type BroadbandValidationContext } from '../../../server/broadband/broadband.validate';
import { communeFiber, latestPerOperator, provinceFiber, type FiberRecord } from '../../../server/broadband/fiber';
import { generateDemoBroadband } from '../../../server/broadband/broadband.demo';

const COMMUNES = new Map([
  ['07900', { name: 'Việt Trì', fullName: 'Phường Việt Trì', households: 20_000 }],
  ['05134', { name: 'Mường Hoa', fullName: 'Xã Mường Hoa', households: 2_000 }],
]);
const OPERATORS = [{ code: 'viettel', name: 'Viettel' }, { code: 'vnpt', name: 'VNPT VinaPhone' }, { code: 'fpt', name: 'FPT Telecom' }];
const ctx = (over: Partial<BroadbandValidationContext> = {}): BroadbandValidationContext => ({
  communes: COMMUNES, operators: OPERATORS, uploader: null, uploaderIsOperator: false, today: '2026-03-01', ...over,
});
const read = (text: string, over: Partial<BroadbandValidationContext> = {}, contentType?: string) =>
  validateBroadband(parseBroadbandFile(Buffer.from(text), { maxRows: 1000, contentType }), ctx(over));
const errors = (r: ReturnType<typeof read>) => r.issues.filter((i) => i.severity === 'error').map((i) => [i.row, i.column, i.message]);

describe('broadband upload validation', () => {
  it('reads Vietnamese headers, semicolons, DD/MM/YYYY, grouped thousands and a code without its leading zero', () => {
    const r = read('\uFEFFMã xã;Tên xã;Nhà mạng;Ngày;Số hộ được phủ (hộ);Số thuê bao;Số cổng\r\n7900;Việt Trì;VinaPhone;31/12/2025;19.500;9.800;\r\n');
    expect(errors(r)).toEqual([]);
    expect(r.rows).toEqual([{ row: 2, communeCode: '07900', operator: 'vnpt', asOf: '2025-12-31', householdsPassed: 19500, subscriptions: 9800, ports: null }]);
  });

  it('reports every problem with its row and column, and returns no rows', () => {
    const r = read([
      'commune_code,operator,as_of,households_passed,subscriptions,ports',
      '07900,viettel,2025-12-31,1000,900,950',
      '99999,viettel,2025-12-31,10,5,',
      '07900,sfone,2025-12-31,10,5,',
      '05134,viettel,2027-01-01,10,5,',
      '05134,vnpt,2025-12-31,12.5,20,',
      '07900,viettel,2025-12-31,1000,900,950',
      '05134,viettel,31/02/2025,-3,x,',
    ].join('\n'));
    expect(r.rows).toEqual([]);
    expect(errors(r)).toEqual([
      [3, 'commune_code', 'no commune with code 99999 in this database'],
      [4, 'operator', expect.stringMatching(/unknown operator "sfone"; known: viettel, vnpt, fpt/)],
      [5, 'as_of', '2027-01-01 is in the future'],
      [6, 'households_passed', '"12.5" is not a whole number of households'],
      [7, 'as_of', 'commune 07900, viettel, 2025-12-31 is already given by row 2'],
      [8, 'as_of', expect.stringMatching(/"31\/02\/2025" is not a date/)],
      [8, 'households_passed', '"-3" is not a whole number of households'],
      [8, 'subscriptions', '"x" is not a whole number of households'],
    ]);
  });

  it('refuses more subscriptions than households passed, and warns when the data exceed the households', () => {
    const r = read('commune_code,operator,as_of,households_passed,subscriptions,ports\n05134,viettel,2025-12-31,2500,2600,100\n05134,vnpt,2025-12-31,2500,2100,100\n');
    expect(errors(r)).toEqual([[2, 'subscriptions', expect.stringMatching(/2600 subscriptions but only 2500 households passed/)]]);
    const warnings = r.issues.filter((i) => i.severity === 'warning').map((i) => [i.row, i.column]);
    expect(warnings).toEqual(expect.arrayContaining([[3, 'households_passed'], [3, 'ports']]));
  });

  it('an operator token writes only its own figures; without an operator column an admin must name one', () => {
    const file = 'commune_code,operator,as_of,households_passed,subscriptions\n07900,vnpt,2025-12-31,10,5\n';
    expect(errors(read(file, { uploader: 'viettel', uploaderIsOperator: true }))).toEqual([[2, 'operator', "this token uploads only viettel's figures, not vnpt's"]]);
    const noColumn = 'commune_code,as_of,households_passed,subscriptions\n07900,2025-12-31,10,5\n';
    expect(errors(read(noColumn))).toEqual([[null, 'operator', expect.stringMatching(/no operator/)]]);
    expect(read(noColumn, { uploader: 'viettel', uploaderIsOperator: true }).rows[0].operator).toBe('viettel');
  });

  it('reads JSON rows and names problems by their path', () => {
    const body = JSON.stringify({ rows: [
      { communeCode: '07900', operator: 'viettel', asOf: '2025-12-31', householdsPassed: 100, subscriptions: 50 },
      { communeCode: '07900', operator: 'viettel', asOf: '2025-11-30', householdsPassed: 100.5, subscriptions: 50, colour: 'red' },
    ] });
    const r = read(body, {}, 'application/json');
    expect(errors(r)).toEqual([[1, 'rows[1].householdsPassed', '100.5 is not a whole number']]);
    expect(r.issues).toContainEqual(expect.objectContaining({ severity: 'warning', column: 'colour' }));
    expect(errors(read('[1, 2]'))).toEqual([[0, '[0]', expect.any(String)], [1, '[1]', expect.any(String)]]);
    expect(errors(read('{"rows": 3}'))).toEqual([[null, 'rows', expect.any(String)]]);
  });

  it('refuses files that are not a broadband table', () => {
    for (const text of ['', 'hello,world\n1,2\n', 'commune_code,operator,as_of,households_passed,subscriptions\n', '{"rows": [']) {
      const r = read(text);
      expect(r.rows).toEqual([]);
      expect(r.issues.some((i) => i.severity === 'error' && i.row === null), text).toBe(true);
    }
  });

  it('parses counts and dates strictly', () => {
    expect([count('1 234', true), count('1,234', true), count('123.456', true), count('1.234,5', true), count('', false), count('', true)])
      .toEqual([1234, 1234, 123456, '"1.234,5" is not a whole number of households', null, 'the value is missing']);
    expect([isoDate('2024-02-29'), isoDate('2023-02-29'), isoDate('1/7/2025'), isoDate('2025/07/01')]).toEqual(['2024-02-29', null, '2025-07-01', null]);
  });
});

describe('households on fiber', () => {
  const rec = (communeCode: string, operator: string, asOf: string, householdsPassed: number, subscriptions: number): FiberRecord =>
    ({ communeCode, operator, asOf, householdsPassed, subscriptions, ports: null });
  const records = [
    rec('07900', 'viettel', '2025-06-30', 15_000, 6_000),
    rec('07900', 'viettel', '2025-12-31', 18_000, 8_000),
    rec('07900', 'vnpt', '2025-12-31', 19_000, 9_000),
    rec('05134', 'viettel', '2025-12-31', 2_400, 1_500),
    rec('05134', 'vnpt', '2025-12-31', 1_000, 700),
  ];
  const households = new Map([['07900', 20_000], ['05134', 2_000]]);

  it('takes each operator\'s latest figures on or before the date', () => {
    expect(latestPerOperator(records).map((r) => r.asOf)).toEqual(['2025-12-31', '2025-12-31', '2025-12-31', '2025-12-31']);
    expect(latestPerOperator(records, '2025-07-01')).toEqual([records[0]]);
  });

  it('sums subscriptions, bounds households passed, and caps and flags figures above the households', () => {
    const [muongHoa, vietTri] = communeFiber(latestPerOperator(records), households);
    expect(vietTri).toMatchObject({ subscriptions: 17_000, fiberPct: 85, fiberPctRaw: 85, householdsPassed: 19_000, passedPct: 95, passedPctUpper: 100, exceeds100: false });
    expect(muongHoa).toMatchObject({ subscriptions: 2_200, fiberPct: 100, fiberPctRaw: 110, passedPct: 100, exceeds100: true });
    const province = provinceFiber([muongHoa, vietTri], 148);
    // Mường Hoa counts 2,000 (capped), not 2,200.
    expect(province).toMatchObject({ communesTotal: 148, communesWithData: 2, communesWithFiber: 2, households: 22_000, subscriptions: 19_200, subscriptionsCapped: 19_000, communesExceeding: ['05134'], operators: ['viettel', 'vnpt'], asOf: '2025-12-31' });
    expect(province.fiberPct).toBeCloseTo((100 * 19_000) / 22_000, 3);
    expect(provinceFiber([], 148)).toMatchObject({ fiberPct: null, passedPct: null, fiberCommunesPct: null, communesWithData: 0 });
  });

  it('leaves the percentage empty when a commune has no household estimate', () => {
    const [c] = communeFiber([rec('09999', 'viettel', '2025-12-31', 10, 5)], new Map());
    expect(c).toMatchObject({ fiberPct: null, passedPct: null, exceeds100: false, subscriptions: 5 });
  });

  it('counts at least the subscribers as passed when no single operator passes that many', () => {
    const [c] = communeFiber([rec('07900', 'viettel', '2025-12-31', 6_000, 5_000), rec('07900', 'vnpt', '2025-12-31', 7_000, 6_000)], households);
    expect(c).toMatchObject({ householdsPassed: 11_000, passedPct: 55, passedPctUpper: 65, fiberPct: 55 });
  });
});

describe('synthetic demo fiber figures', () => {
  it('add up to the reported 86 %, stay within each commune\'s households, and are reproducible', () => {
    const communes = Array.from({ length: 40 }, (_, i) => ({
      code: String(10_000 + i), kind: i < 6 ? 'phuong' as const : 'xa' as const, population: 4_000 + 900 * i, households: 1_000 + 230 * i, areaKm2: i < 6 ? 20 : 15 + 8 * i,
    }));
    const rows = generateDemoBroadband(communes);
    expect(generateDemoBroadband(communes)).toEqual(rows);
    const fiber = communeFiber(latestPerOperator(rows), new Map(communes.map((c) => [c.code, c.households])));
    expect(provinceFiber(fiber, communes.length).fiberPct).toBeCloseTo(86, 0);
    expect(fiber.every((c) => !c.exceeds100 && c.subscriptions <= c.households!)).toBe(true);
    expect(rows.every((r) => r.subscriptions <= r.householdsPassed && r.householdsPassed <= 1_000 + 230 * 39)).toBe(true);
    expect(new Set(rows.filter((r) => r.operator === 'fpt').map((r) => Number(r.communeCode) - 10_000 < 6))).toEqual(new Set([true]));
  });
});

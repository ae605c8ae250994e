import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBroadbandFile } from '../../../server/broadband/broadband.parse';
import { hasMoreRecordsThan } from '../../../server/stations/import/count-records';
import { parseCsv } from '../../../server/stations/import/parse-csv';
import { parseOpencellid } from '../../../server/stations/import/parse-opencellid';
import { TableBuilder } from '../../../server/stations/import/table';
import { oneCellRows } from '../../../scripts/lib/upload-files';

describe('row limits: a file over the limit is refused without being read to its end', () => {
  afterEach(() => vi.restoreAllMocks());

  it('station CSV: 3,000,000 one-cell rows are refused, naming the limit, having handed over no more rows than the limit', () => {
    const push = vi.spyOn(TableBuilder.prototype, 'push');
    const table = parseCsv(oneCellRows(3_000_000), { maxRows: 100_000 });
    expect(table.issues).toEqual([expect.objectContaining({ severity: 'error', row: null, message: expect.stringContaining('more than 100000 data rows') })]);
    expect(table.records).toEqual([]);
    expect(push.mock.calls.length).toBeLessThanOrEqual(100_001);
  });

  it('station CSV: a file just within the limit (quoted cells spanning lines included) is read whole', () => {
    const header = 'site_code,name,lon,lat,technology,band_mhz\n';
    const rows = Array.from({ length: 50 }, (_, i) => `S${i},"two\nlines",105.40,21.32,4G,1800\n`).join('');
    const table = parseCsv(Buffer.from(header + rows), { maxRows: 50 });
    expect(table.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(table.records).toHaveLength(50);
    expect(parseCsv(Buffer.from(header + rows + 'S50,x,105.40,21.32,4G,1800\n'), { maxRows: 50 }).issues[0].message).toContain('more than 50 data rows');
  });

  it('OpenCelliD and broadband files over their limits name them', () => {
    const cell = 'LTE,452,4,10001,2561,,105.40,21.32,1000,5,1,1,1,0\n';
    expect(parseOpencellid(Buffer.from(cell.repeat(30)), { maxRows: 20 }).issues[0].message).toContain('more than 20 data rows');
    const broadband = Buffer.from('commune_code,operator,as_of,households_passed,subscriptions\n' + '07900,vnpt,2026-01-31,10,5\n'.repeat(30));
    expect(parseBroadbandFile(broadband, { maxRows: 20 }).issues[0].message).toContain('more than 20 data rows');
    expect(parseBroadbandFile(broadband, { maxRows: 30 }).records).toHaveLength(30);
  });

  it('the quick count agrees with csv-parse on any well-quoted CSV', () => {
    const cellText = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', ';', '"', '\n', '\r\n', 'é') });
    const file = fc.array(fc.array(cellText, { minLength: 1, maxLength: 4 }), { maxLength: 12 });
    fc.assert(
      fc.property(file, fc.constantFrom(',', ';'), fc.boolean(), (rows, delimiter, crlf) => {
        const quote = (c: string) => (/[",;\r\n]/.test(c) || c.trim() !== c ? `"${c.replace(/"/g, '""')}"` : c);
        const text = rows.map((cells) => cells.map(quote).join(delimiter)).join(crlf ? '\r\n' : '\n');
        const records = (parse(text, { delimiter, relax_column_count: true }) as string[][]).filter((r) => r.some((c) => c.trim() !== ''));
        for (const limit of [0, 1, records.length - 1, records.length]) {
          if (limit < 0) continue;
          expect(hasMoreRecordsThan(text, delimiter, limit)).toBe(records.length > limit);
        }
      }),
      { numRuns: 300 },
    );
  });
});

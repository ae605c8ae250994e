import type { StationFormat } from '../stations.schema';
import { fileError, type ImportIssue } from './issues';

export interface FormatHints {
  format?: StationFormat;
  filename?: string;
  contentType?: string;
}

export type DetectedFormat = { ok: true; format: StationFormat } | { ok: false; issue: ImportIssue };

type Sniffed = 'zip' | 'json' | 'opencellid' | 'text' | { refuse: string };

/** First bytes of file kinds people upload by mistake, with what to tell them. */
const FOREIGN_SIGNATURES: Array<{ bytes: number[]; what: string }> = [
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel 97–2003 (.xls) file or a password-protected workbook; save it as .xlsx without a password, or as CSV UTF-8' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document, not a station list' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive; unpack it first' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image, not a station list' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image, not a station list' },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive; unpack it first' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7-Zip archive; unpack it first' },
];

// Country downloads of OpenCelliD come without the header line, so a first data row counts too.
const OPENCELLID_HEADER = /^\s*radio\s*,\s*mcc\s*,\s*net\s*,\s*area\s*,\s*cell\b/i;
const OPENCELLID_ROW = /^(GSM|UMTS|LTE|NR|CDMA),\d{3},\d{1,3},\d+,\d+,/;

/**
 * Chooses the parser: the content decides when it is unmistakable (a zip is a workbook, `{` opens
 * GeoJSON, the OpenCelliD header is fixed), then the declared format, the file name, the content
 * type, and CSV last. A declared format that the content contradicts is refused rather than
 * parsed into a page of nonsense errors.
 */
export function detectFormat(data: Uint8Array, hints: FormatHints = {}): DetectedFormat {
  if (data.length === 0) return { ok: false, issue: fileError('the file is empty') };
  const sniffed = sniff(data);
  if (typeof sniffed === 'object') return { ok: false, issue: fileError(`the file is ${sniffed.refuse}`) };
  const fromContent: StationFormat | null =
    sniffed === 'zip' ? 'xlsx' : sniffed === 'json' ? 'geojson' : sniffed === 'opencellid' ? 'opencellid' : null;
  const declared = hints.format;
  if (declared) {
    const fits =
      declared === 'xlsx' ? sniffed === 'zip' : declared === 'geojson' ? sniffed === 'json' : sniffed !== 'zip' && sniffed !== 'json';
    if (!fits) {
      const actual = fromContent === 'xlsx' ? 'an Excel workbook' : fromContent === 'geojson' ? 'JSON' : 'plain text';
      return { ok: false, issue: fileError(`format=${declared} was given but the file is ${actual}`, 'format') };
    }
    // OpenCelliD rows fit the generic CSV parser badly; its fixed header settles the choice.
    return { ok: true, format: declared === 'csv' && sniffed === 'opencellid' ? 'opencellid' : declared };
  }
  if (fromContent) return { ok: true, format: fromContent };
  return { ok: true, format: fromName(hints.filename) ?? fromContentType(hints.contentType) ?? 'csv' };
}

function sniff(data: Uint8Array): Sniffed {
  for (const { bytes, what } of FOREIGN_SIGNATURES) {
    if (bytes.every((b, i) => data[i] === b)) return { refuse: what };
  }
  if (data[0] === 0x50 && data[1] === 0x4b && (data[2] === 0x03 || data[2] === 0x05) && (data[3] === 0x04 || data[3] === 0x06)) {
    return 'zip';
  }
  const head = textHead(data);
  if (/^[{[]/.test(head)) return 'json';
  if (OPENCELLID_HEADER.test(head) || OPENCELLID_ROW.test(head)) return 'opencellid';
  return 'text';
}

/** The first characters of the file as text, without BOM and leading whitespace (UTF-8 or UTF-16). */
function textHead(data: Uint8Array): string {
  let bytes = data.subarray(0, 512);
  let encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  else if (bytes[0] !== 0 && bytes[1] === 0) encoding = 'utf-16le';
  if (encoding !== 'utf-8') bytes = bytes.subarray(0, bytes.length - (bytes.length % 2));
  try {
    return new TextDecoder(encoding).decode(bytes).replace(/^\ufeff/, '').trimStart();
  } catch {
    return '';
  }
}

function fromName(filename: string | undefined): StationFormat | null {
  const ext = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext === 'xlsx' || ext === 'xlsm') return 'xlsx';
  if (ext === 'geojson' || ext === 'json') return 'geojson';
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') return 'csv';
  return null;
}

function fromContentType(contentType: string | undefined): StationFormat | null {
  const type = contentType?.toLowerCase().split(';')[0].trim();
  if (!type) return null;
  if (type.includes('spreadsheetml')) return 'xlsx';
  if (type === 'application/geo+json' || type === 'application/json') return 'geojson';
  if (type === 'text/csv' || type === 'text/tab-separated-values' || type === 'text/plain') return 'csv';
  return null;
}

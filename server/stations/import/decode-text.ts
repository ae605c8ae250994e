import { fileError, type ImportIssue } from './issues';

export type DecodedText = { ok: true; text: string } | { ok: false; issue: ImportIssue };

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Turns an uploaded text file into a string: UTF-8 with or without BOM, or UTF-16 with a BOM
 * (Excel's "Unicode Text"). Anything else is refused with a message that says how to re-save the
 * file: guessing a legacy code page (Windows-1258, TCVN3) would store garbled Vietnamese names.
 */
export function decodeText(data: Uint8Array): DecodedText {
  if (startsWith(data, UTF8_BOM)) return decodeUtf8(data.subarray(3), 3);
  if (data[0] === 0xff && data[1] === 0xfe) return decodeUtf16(data.subarray(2), 'le');
  if (data[0] === 0xfe && data[1] === 0xff) return decodeUtf16(data.subarray(2), 'be');
  const zeroes = countZeroes(data, 4096);
  if (zeroes.odd > 0 && zeroes.even === 0 && zeroes.odd * 3 >= Math.min(data.length, 4096) / 2) {
    return decodeUtf16(data, 'le');
  }
  if (zeroes.odd + zeroes.even > 0) {
    return { ok: false, issue: fileError('the file is binary, not text; upload a CSV, an .xlsx workbook or GeoJSON') };
  }
  return decodeUtf8(data, 0);
}

function decodeUtf8(data: Uint8Array, offset: number): DecodedText {
  try {
    return checked(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data));
  } catch {
    const at = firstInvalidUtf8(data) + offset;
    return {
      ok: false,
      issue: fileError(
        `the file is not valid UTF-8 (first bad byte at offset ${at}); in Excel choose "CSV UTF-8", or save the file as UTF-8`,
      ),
    };
  }
}

function decodeUtf16(data: Uint8Array, order: 'le' | 'be'): DecodedText {
  let bytes = data.subarray(0, data.length - (data.length % 2));
  if (order === 'be') {
    const swapped = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i += 2) {
      swapped[i] = bytes[i + 1];
      swapped[i + 1] = bytes[i];
    }
    bytes = swapped;
  }
  try {
    return checked(new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(bytes));
  } catch {
    return { ok: false, issue: fileError('the file looks like UTF-16 text but is damaged; save it as UTF-8') };
  }
}

// Valid UTF-8 can still be a binary file (NUL-free but full of control bytes).
function checked(text: string): DecodedText {
  const sample = text.slice(0, 8192);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) control++;
  }
  if (text.includes('\u0000') || control > 8 + sample.length * 0.01) {
    return { ok: false, issue: fileError('the file is binary, not text; upload a CSV, an .xlsx workbook or GeoJSON') };
  }
  return { ok: true, text };
}

function startsWith(data: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => data[i] === b);
}

function countZeroes(data: Uint8Array, limit: number): { even: number; odd: number } {
  let even = 0;
  let odd = 0;
  const n = Math.min(data.length, limit);
  for (let i = 0; i < n; i++) {
    if (data[i] === 0) {
      if (i % 2 === 0) even++;
      else odd++;
    }
  }
  return { even, odd };
}

/** Byte offset of the first byte that breaks UTF-8, for the message. */
function firstInvalidUtf8(data: Uint8Array): number {
  let i = 0;
  while (i < data.length) {
    const b = data[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > data.length) return i;
    for (let k = 1; k < len; k++) if ((data[i + k] & 0xc0) !== 0x80) return i;
    i += len;
  }
  return i;
}

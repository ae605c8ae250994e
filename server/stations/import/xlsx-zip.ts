import { crc32, inflateRawSync } from 'node:zlib';

/**
 * Unzipped size limits: the shared strings are held in memory whole, the sheet streams. The
 * limits leave room for the largest sheet the import accepts (its size: test/bench/README.md).
 */
export const MAX_UNZIPPED_BYTES = 256 * 1024 * 1024;
export const MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024;
const MAX_ENTRIES = 10_000;
const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;

/**
 * Checks a workbook's zip end to end before exceljs streams it: directory, local headers, sizes
 * against the limits, and each entry inflated and CRC-checked. exceljs's stream reader waits
 * forever on an entry whose compressed data is corrupt (it pipes the entry into a temporary file
 * without an error handler), and inflates whatever sizes the zip claims; a sound zip avoids both.
 * Returns the problem in words, or null when the workbook may be opened.
 */
export function checkWorkbookZip(data: Uint8Array): string | null {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const end = findEndRecord(buf);
  if (end < 0) return 'the file is not a readable .xlsx workbook (no zip directory; is it truncated?)';
  const entries = buf.readUInt16LE(end + 10);
  const directoryStart = buf.readUInt32LE(end + 16);
  if (entries > MAX_ENTRIES) return 'the file is not a readable .xlsx workbook (too many zip entries)';
  let at = directoryStart;
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > end || buf.readUInt32LE(at) !== SIG_CENTRAL) return damaged('zip directory');
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const packed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, Math.min(at + 46 + nameLength, end));
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    if (flags & 1) return 'the workbook is password-protected; save it without a password';
    // 0xffffffff: the real value is in a Zip64 field, far beyond any station list.
    if (size === 0xffffffff || packed === 0xffffffff || local === 0xffffffff) return 'the workbook is too large once unzipped';
    if (name === 'xl/sharedStrings.xml' && size > MAX_SHARED_STRINGS_BYTES) return 'the workbook holds too much text once unzipped';
    total += size;
    if (total > MAX_UNZIPPED_BYTES) return 'the workbook is too large once unzipped';
    const problem = checkEntry(buf, { name, method, crc, packed, size, local, limit: directoryStart });
    if (problem) return problem;
  }
  return null;
}

function checkEntry(
  buf: Buffer,
  e: { name: string; method: number; crc: number; packed: number; size: number; local: number; limit: number },
): string | null {
  if (e.local + 30 > e.limit || buf.readUInt32LE(e.local) !== SIG_LOCAL) return damaged(e.name);
  const nameLength = buf.readUInt16LE(e.local + 26);
  const start = e.local + 30 + nameLength + buf.readUInt16LE(e.local + 28);
  if (buf.toString('utf8', e.local + 30, e.local + 30 + nameLength) !== e.name || start + e.packed > e.limit) return damaged(e.name);
  const packed = buf.subarray(start, start + e.packed);
  let content: Buffer;
  if (e.method === 0) content = packed;
  else if (e.method === 8) {
    try {
      content = inflateRawSync(packed, { maxOutputLength: Math.max(e.size, 1) });
    } catch {
      return damaged(e.name);
    }
  } else return `the file is not a readable .xlsx workbook (compression method ${e.method} in ${e.name})`;
  if (content.length !== e.size || crc32(content) >>> 0 !== e.crc) return damaged(e.name);
  return null;
}

/** The end-of-central-directory record, searched from the end past a comment of up to 64 KiB. */
function findEndRecord(buf: Buffer): number {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === SIG_END) return i;
  }
  return -1;
}

function damaged(where: string): string {
  return `the file is not a readable .xlsx workbook (damaged at ${where.slice(0, 60).replace(/[^\x20-\x7e]/g, '?')}); save it again from Excel`;
}

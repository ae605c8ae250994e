// Saves fetched content as a file: a download link cannot carry an Authorization header, so the
// answer is fetched with it and handed to the browser from a blob.
import { el } from './dom';

/** How long the blob's address stays valid after the click (the browser reads it at once). */
const REVOKE_AFTER_MS = 60_000;

export function saveFile(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const a = el('a', { href, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), REVOKE_AFTER_MS);
}

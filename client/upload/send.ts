// Talking to the upload API: the token (kept in sessionStorage, or localStorage when the user asks
// to be remembered), the multipart upload with progress (XMLHttpRequest: fetch reports none),
// and the recompute job's progress.
import type { Job } from '../../server/contract/answers';

const TOKEN_KEY = 'phusong.token';

export function loadToken(): { token: string; remembered: boolean } | null {
  try {
    const session = sessionStorage.getItem(TOKEN_KEY);
    if (session) return { token: session, remembered: false };
    const local = localStorage.getItem(TOKEN_KEY);
    return local ? { token: local, remembered: true } : null;
  } catch {
    return null;
  }
}

export function saveToken(token: string, remember: boolean): void {
  forgetToken();
  (remember ? localStorage : sessionStorage).setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: nothing was kept.
  }
}

export interface UploadOptions {
  token: string;
  file: File;
  dryRun: boolean;
  format: string;
  mode: string;
  operator: string;
  onProgress?: (fraction: number) => void;
}

export interface UploadAnswer {
  status: number;
  body: Record<string, unknown> | null;
}

/** POST /api/stations/import; resolves with any HTTP answer, rejects only on network failure. */
export function uploadStations(o: UploadOptions): Promise<UploadAnswer> {
  const query = new URLSearchParams({ dryRun: String(o.dryRun), mode: o.mode });
  if (o.format) query.set('format', o.format);
  if (o.operator) query.set('operator', o.operator);
  const form = new FormData();
  form.append('file', o.file, o.file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/stations/import?${query.toString()}`);
    xhr.setRequestHeader('Authorization', `Bearer ${o.token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) o.onProgress?.(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    });
    xhr.addEventListener('error', () => reject(new Error('network error')));
    xhr.send(form);
  });
}

/** Polls GET /api/coverage/jobs/:id until the job ends, reporting each state. */
export async function followJob(id: number, onUpdate: (job: Job) => void, intervalMs = 400): Promise<Job> {
  for (;;) {
    const res = await fetch(`/api/coverage/jobs/${id}`, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`job ${id}: ${res.status}`);
    const job = (await res.json()) as Job;
    onUpdate(job);
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

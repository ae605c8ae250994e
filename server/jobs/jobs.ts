import { NotFoundError } from '../errors';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface Job<T = unknown> {
  id: number;
  kind: string;
  status: JobStatus;
  phase: string;
  percent: number;
  startedAt: string;
  finishedAt: string | null;
  result: T | null;
  error: string | null;
}

const KEEP_FINISHED = 100;

/**
 * Long tasks (recompute) run in the background of the process; their progress is readable while
 * they run. Jobs of one kind run one after another. Kept in memory: a restart forgets them, the
 * stored results stay.
 */
export function createJobs() {
  const jobs = new Map<number, Job>();
  const tails = new Map<string, Promise<unknown>>();
  let next = 1;

  function prune() {
    const finished = [...jobs.values()].filter((j) => j.finishedAt);
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) jobs.delete(j.id);
  }

  return {
    start<T>(kind: string, work: (progress: (phase: string, percent: number) => void) => Promise<T>): Job<T> {
      const job: Job<T> = { id: next++, kind, status: 'queued', phase: 'queued', percent: 0, startedAt: new Date().toISOString(), finishedAt: null, result: null, error: null };
      jobs.set(job.id, job as Job);
      const run = async () => {
        job.status = 'running';
        try {
          job.result = await work((phase, percent) => {
            job.phase = phase;
            job.percent = Math.max(job.percent, Math.min(100, Math.round(percent)));
          });
          job.status = 'succeeded';
          job.percent = 100;
          job.phase = 'done';
        } catch (err) {
          job.status = 'failed';
          job.error = err instanceof Error ? err.message : String(err);
        } finally {
          job.finishedAt = new Date().toISOString();
          prune();
        }
      };
      const tail = (tails.get(kind) ?? Promise.resolve()).then(run);
      tails.set(kind, tail);
      return job;
    },

    get(id: number): Job {
      const job = jobs.get(id);
      if (!job) throw new NotFoundError(`no job #${id}`);
      return job;
    },

    /** Resolves when every job started so far has finished (tests, shutdown). */
    async idle(): Promise<void> {
      await Promise.all([...tails.values()].map((t) => t.catch(() => {})));
    },
  };
}

export type Jobs = ReturnType<typeof createJobs>;

// The plan's worker thread: it answers what the planner answers in the server's thread, and it
// runs at a lower scheduling priority than the server (nice 15), so that on a machine with two
// cores the requests the server answers meanwhile get the CPU first (test/bench/README.md, plans).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEvaluationModel } from '../../../server/scenarios/evaluator';
import { planSites, type PlanRequest } from '../../../server/plans/planner';
import { runPlanInWorker } from '../../../server/plans/plan-runner';
import { row, square } from './fixtures';

/** The nice value of every thread of this process (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return fs.readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // The command name may hold spaces: the fields after its closing parenthesis, from field 3.
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

/** This thread's own nice value (Linux), or null elsewhere. */
const ownNice = fs.existsSync('/proc/thread-self') ? Number(fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16]) : null;

describe('a plan in its worker thread', () => {
  const communes = [square('00001', 105, 21, 0.06, 40_000), square('00002', 105.06, 21, 0.06, 10_000)];
  const rows = [row(1, 1, 105.01, 21.01, '4G', 1800), row(2, 2, 105.05, 21.05, '4G', 1800, 'vnpt'), row(3, 2, 105.05, 21.05, '5G', 3500, 'vnpt'), row(4, 3, 105.09, 21.02, '4G', 1800)];
  const known = { '2G': [], '3G': [], '4G': ['viettel', 'vnpt'], '5G': ['vnpt'] };
  const request: PlanRequest = { technology: '5G', weight: 'population', threshold: 40, operator: 'all', candidates: 'both', maxSites: null, scope: null };

  // Linux, and a process not already at nice 15 or more (then the plan's thread could not be told apart).
  it.runIf(ownNice !== null && ownNice < 15)('gives the planner\'s own answer, from a thread at nice 15 while the server\'s thread keeps its own', async () => {
    const seen = new Set<number>();
    const watching = setInterval(() => { for (const n of threadNiceValues()) seen.add(n); }, 5);
    let result;
    try {
      result = await runPlanInWorker({ communes, rows, known, request });
    } finally {
      clearInterval(watching);
    }
    expect(seen.has(15), `nice values seen among this process's threads: ${[...seen].join(', ')}`).toBe(true);
    // The thread lowered its own priority only: this one (the server's) kept its value.
    expect(Number(fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16])).toBe(ownNice);
    const here = planSites({ communes, rows, known, request }, createEvaluationModel());
    expect(result.sites).toEqual(here.sites);
    expect(result.after).toEqual(here.after);
    expect(result.reached).toBe(here.reached);
  }, 60_000);
});

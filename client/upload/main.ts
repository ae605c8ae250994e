// The operator's upload page: token once, a file, the dry run's report, confirm, progress through
// validation, write and recompute, and the import in the history. Plain DOM, no inline handlers.
import '../styles/base.css';
import '../styles/topbar.css';
import '../styles/upload.css';
import { createFormatters, initialLang, messagesFor, rememberLang, type Lang } from '../i18n';
import { OPERATORS } from '../data/operators';
import { byId, el, message } from '../ui/dom';
import { renderHistory } from './history';
import { UPLOAD_MESSAGES, type UploadMessages } from './messages';
import { countsTable, issuesOf, issuesTable } from './report';
import { followJob, forgetToken, loadToken, saveToken, uploadStations, type UploadAnswer } from './send';
import { renderSteps, type StepState } from './steps';

let lang: Lang = initialLang();
let m: UploadMessages = UPLOAD_MESSAGES[lang];
let fmt = createFormatters(messagesFor(lang));
const labels: Array<() => void> = [];
/** Sets a text now and again after a language switch. */
const label = (node: HTMLElement, text: () => string) => {
  const apply = () => (node.textContent = text());
  labels.push(apply);
  apply();
  return node;
};

const tokenInput = el('input', { type: 'password', id: 'token', autocomplete: 'off', spellcheck: 'false' });
// The username field password managers expect next to a password; hidden, never filled.
const tokenUser = el('input', { type: 'text', autocomplete: 'username', hidden: true, 'aria-hidden': 'true', tabindex: -1, value: 'phusong-operator' });
const remember = el('input', { type: 'checkbox', id: 'remember' });
const saveButton = el('button', { type: 'submit', id: 'token-save' });
const forgetButton = el('button', { type: 'button', id: 'token-forget', class: 'link-button' });
const tokenStatus = el('p', { id: 'token-status', class: 'hint', 'aria-live': 'polite' });
const fileInput = el('input', { type: 'file', id: 'file', accept: '.csv,.tsv,.txt,.xlsx,.json,.geojson' });
const format = el('select', { id: 'format' });
const mode = el('select', { id: 'mode' });
const operator = el('select', { id: 'operator' });
const dryButton = el('button', { type: 'submit', id: 'dry-run', class: 'primary' });
const confirmButton = el('button', { type: 'button', id: 'confirm', disabled: true });
const report = byId('report');
const steps = byId('progress');
const history = byId('history');
let lastCheck: { file: File; options: string } | null = null;
let lastImportId: number | null = null;
const stepStates: Record<string, StepState> = { validate: 'pending', write: 'pending', recompute: 'pending' };
let jobDetail = '';

const options = () => `${format.value}|${mode.value}|${operator.value}`;
const showSteps = (percent: number | null = null) => renderSteps(steps, stepStates, percent, jobDetail, m);

function fillSelects(): void {
  const keep = [format.value, mode.value, operator.value];
  format.replaceChildren(el('option', { value: '' }, m.formatAuto), ...['csv', 'xlsx', 'opencellid', 'geojson'].map((f) => el('option', { value: f }, f)));
  mode.replaceChildren(el('option', { value: 'merge' }, m.modeMerge), el('option', { value: 'replace' }, m.modeReplace));
  operator.replaceChildren(el('option', { value: '' }, m.operatorFromFile), ...OPERATORS.map((o) => el('option', { value: o.code }, o.name)));
  [format.value, mode.value, operator.value] = [keep[0] ?? '', keep[1] || 'merge', keep[2] ?? ''];
}

function showToken(): void {
  const saved = loadToken();
  tokenStatus.textContent = saved ? m.tokenSaved(saved.token.slice(-4), saved.remembered ? m.tokenLocal : m.tokenSession) : '';
  forgetButton.hidden = !saved;
}

function problemText(answer: UploadAnswer): string {
  const b = answer.body ?? {};
  const detail = [b.title, b.detail].filter((x) => typeof x === 'string' && x).join(': ');
  return `${m.errorPrefix} (${answer.status}). ${m.httpHelp[answer.status] ?? ''} ${detail}`.trim();
}

function showReport(answer: UploadAnswer, dryRun: boolean): void {
  const b = answer.body ?? {};
  if (answer.status === 422) {
    const issues = issuesOf(b, 'issues');
    const errors = issues.filter((i) => i.severity === 'error').length;
    const total = typeof b.issuesTotal === 'number' ? b.issuesTotal : issues.length;
    report.replaceChildren(message(m.rejected(fmt.integer(errors)), true),
      total > issues.length ? el('p', 'hint', m.shownOf(fmt.integer(issues.length), fmt.integer(total))) : '',
      issuesTable(issues, m.issuesCaption, m, fmt));
    report.dataset.outcome = 'rejected';
    return;
  }
  if (answer.status !== 200 && answer.status !== 201) {
    report.replaceChildren(message(problemText(answer), true));
    report.dataset.outcome = 'error';
    return;
  }
  const rows = fmt.integer(typeof b.rows === 'number' ? b.rows : 0);
  const warnings = issuesOf(b, 'warnings');
  report.replaceChildren(
    el('p', 'ok', dryRun ? m.okDry(rows) : m.okWritten(rows)),
    countsTable((b.counts ?? {}) as Record<string, unknown>, m, fmt),
    warnings.length ? issuesTable(warnings, m.warningsCaption, m, fmt) : '',
    dryRun ? el('p', 'hint', m.confirmHint) : '',
  );
  report.dataset.outcome = dryRun ? 'checked' : 'written';
}

async function send(dryRun: boolean): Promise<void> {
  const saved = loadToken();
  const file = fileInput.files?.[0];
  if (!saved) return void report.replaceChildren(message(m.tokenMissing, true));
  if (!file) return void report.replaceChildren(message(m.chooseFile, true));
  if (!dryRun && (!lastCheck || lastCheck.file !== file || lastCheck.options !== options())) return void report.replaceChildren(message(m.fileChanged, true));
  dryButton.disabled = confirmButton.disabled = true;
  report.dataset.outcome = 'pending';
  report.replaceChildren(message(m.sending));
  Object.assign(stepStates, dryRun ? { validate: 'active', write: 'pending', recompute: 'pending' } : { write: 'active', recompute: 'pending' });
  jobDetail = '';
  showSteps(0);
  try {
    const answer = await uploadStations({
      token: saved.token, file, dryRun, format: format.value, mode: mode.value, operator: operator.value,
      onProgress: (f) => showSteps(Math.round(f * 100)),
    });
    showReport(answer, dryRun);
    const ok = answer.status === 200 || answer.status === 201;
    lastImportId = typeof answer.body?.importId === 'number' ? answer.body.importId : lastImportId;
    if (dryRun) {
      stepStates.validate = ok ? 'done' : 'failed';
      lastCheck = ok ? { file, options: options() } : null;
      showSteps();
    } else if (ok) {
      stepStates.write = 'done';
      lastCheck = null;
      await recompute(answer.body ?? {});
    } else {
      stepStates.write = 'failed';
      showSteps();
    }
  } catch (err) {
    report.replaceChildren(message(`${m.errorPrefix}: ${(err as Error).message}`, true));
    report.dataset.outcome = 'error';
  } finally {
    dryButton.disabled = false;
    confirmButton.disabled = lastCheck === null;
    void renderHistory(history, m, fmt, lastImportId);
  }
}

async function recompute(body: Record<string, unknown>): Promise<void> {
  const jobId = typeof body.recomputeJobId === 'number' ? body.recomputeJobId : null;
  const touched = Array.isArray(body.touchedCommunes) ? (body.touchedCommunes as string[]) : [];
  if (jobId !== null) {
    stepStates.recompute = 'active';
    showSteps(0);
    const job = await followJob(jobId, (j) => {
      jobDetail = m.jobPhase[j.phase] ?? j.phase;
      showSteps(j.percent);
    });
    stepStates.recompute = job.status === 'succeeded' ? 'done' : 'failed';
    jobDetail = job.error ?? '';
  } else stepStates.recompute = 'done';
  showSteps();
  const mapLink = el('a', { href: touched[0] ? `./#c=${touched[0]}&tab=commune` : './', id: 'see-on-map' }, m.seeOnMap);
  report.append(el('p', { class: 'ok', id: 'upload-done' }, m.done, ' ', mapLink));
}

function build(): void {
  byId('token-section').replaceChildren(
    label(el('h2'), () => m.tokenHeading),
    tokenUser,
    el('div', 'field', label(el('label', { for: 'token' }), () => m.tokenLabel), tokenInput),
    el('div', 'row', el('span', 'field check', remember, label(el('label', { for: 'remember' }), () => m.tokenRemember)), label(saveButton, () => m.tokenSave), label(forgetButton, () => m.tokenForget)),
    label(el('p', 'hint small'), () => m.tokenHelp),
    tokenStatus,
  );
  byId('upload-form').replaceChildren(
    label(el('h2'), () => m.fileHeading),
    el('div', 'field', label(el('label', { for: 'file' }), () => m.fileLabel), fileInput),
    el('div', 'row',
      el('div', 'field', label(el('label', { for: 'format' }), () => m.format), format),
      el('div', 'field', label(el('label', { for: 'mode' }), () => m.mode), mode)),
    el('div', 'field', label(el('label', { for: 'operator' }), () => m.operatorLabel), operator),
    el('div', 'row buttons', label(dryButton, () => m.dryRun), label(confirmButton, () => m.confirm)),
  );
  label(byId('report-h'), () => m.reportHeading);
  label(byId('progress-h'), () => m.progressHeading);
  label(byId('history-h'), () => m.historyHeading);
  label(byId('up-title'), () => m.title);
  label(byId('intro'), () => m.intro);
  label(byId('back-link'), () => m.backToMap);
  label(byId('lang-switch'), () => messagesFor(lang).otherLanguage);
}

function relabel(): void {
  document.documentElement.lang = lang;
  document.title = `phusong — ${m.title}`;
  labels.forEach((apply) => apply());
  fillSelects();
  showToken();
  showSteps();
  void renderHistory(history, m, fmt, lastImportId);
}

build();
relabel();
byId('token-section').addEventListener('submit', (e) => {
  e.preventDefault();
  const token = tokenInput.value.trim();
  if (!token) return void (tokenStatus.textContent = m.tokenMissing);
  saveToken(token, remember.checked);
  tokenInput.value = '';
  showToken();
});
forgetButton.addEventListener('click', () => {
  forgetToken();
  showToken();
});
byId('upload-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void send(true);
});
confirmButton.addEventListener('click', () => void send(false));
// A new file or other options need a new dry run before anything is written.
for (const input of [fileInput, format, mode, operator]) input.addEventListener('change', () => (confirmButton.disabled = true));
byId('lang-switch').addEventListener('click', () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  rememberLang(lang);
  m = UPLOAD_MESSAGES[lang];
  fmt = createFormatters(messagesFor(lang));
  relabel();
});

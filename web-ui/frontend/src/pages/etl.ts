import { api, asList } from '../api';
import { can } from '../auth';
import { loadCatalog } from '../catalog';
import { append, formatDuration, formatNumber, formatTime, h, option, replace } from '../dom';
import { badge, describeError, empty, errorState, notice, progressBar } from '../components/states';
import { objectTable, toRows, type Row } from '../components/table';
import { freshnessPanel } from '../components/freshness';

const REFRESH_MS = 3000;
const ACTIVE = new Set(['QUEUED', 'RUNNING']);

export function render(root: HTMLElement): () => void {
  root.before(freshnessPanel());
  const staging = h('section', { class: 'card', id: 'staging' });
  const runs = h('section', { class: 'card', id: 'runs' });
  const trigger = h('section', { class: 'card', id: 'trigger' });
  const auto = h('input', { type: 'checkbox', id: 'auto-refresh', checked: true });
  const lastUpdate = h('span', { class: 'muted' });
  const datasetFilter = h('select', { id: 'runs-dataset' }, option('', 'all datasets'));
  append(root,
    h('div', { class: 'toolbar' }, h('label', { class: 'inline' }, auto, ' Auto-refresh'), h('label', { class: 'inline' }, 'Dataset ', datasetFilter), lastUpdate),
    can('ADMIN') ? trigger : null, staging, runs);
  let timer: number | undefined;
  let stopped = false;

  loadCatalog().then((c) => c.schemas.flatMap((s) => s.tables).forEach((t) => {
    datasetFilter.append(option(t.name));
    triggerDataset.append(option(t.name));
  })).catch(() => undefined);

  const triggerDataset = h('select', { id: 'trigger-dataset' }, option('', 'all datasets'));
  const triggerOut = h('div');
  const triggerButton = h('button', { class: 'btn btn-primary btn-small', type: 'button', id: 'trigger-run' }, 'Start ETL run');
  triggerButton.addEventListener('click', async () => {
    triggerButton.setAttribute('disabled', '');
    try {
      const body = triggerDataset.value ? { dataset: triggerDataset.value } : {};
      const started = asList<Row>(await api('/api/v1/etl/runs', { method: 'POST', body }), 'runs');
      replace(triggerOut, notice(`Started ${started.length || 1} run(s).`, 'ok'));
      refresh();
    } catch (e) {
      replace(triggerOut, notice(describeError(e), 'error'));
    } finally {
      triggerButton.removeAttribute('disabled');
    }
  });
  replace(trigger, h('h2', {}, 'Run the ETL now'), h('p', { class: 'muted' }, 'Moves staged rows into the Delta tables and commits them on main.'),
    h('div', { class: 'inline-form' }, triggerDataset, triggerButton), triggerOut);

  const loadStaging = async () => {
    try {
      const rows = toRows(await api('/api/v1/etl/staging'), ['dataset']);
      replace(staging, h('h2', {}, 'Waiting in staging'), rows.length ? h('div', { class: 'stat-cards' }, rows.map((r) => {
        const count = Object.entries(r).find(([k, v]) => k !== 'dataset' && typeof v === 'number');
        return h('div', { class: 'stat' }, h('div', { class: 'stat-value' }, formatNumber(count?.[1] ?? 0)), h('div', { class: 'stat-label' }, String(r.dataset ?? r.name ?? '')));
      })) : empty('Staging is empty'));
    } catch (e) {
      replace(staging, h('h2', {}, 'Waiting in staging'), errorState(e, 'Staging'));
    }
  };

  const loadRuns = async (): Promise<boolean> => {
    try {
      const rows = asList<Row>(await api('/api/v1/etl/runs', { query: { dataset: datasetFilter.value, page: 0, size: 25 } }), 'runs');
      replace(runs, h('h2', {}, 'Runs'), rows.length ? objectTable(rows, [
        { key: 'id', label: 'Run' },
        { key: 'dataset', label: 'Dataset' },
        { key: 'kind', label: 'Kind', render: (r) => runKind(r) },
        { key: 'status', label: 'Status', render: (r) => badge(String(r.status)) },
        { key: 'progress', label: 'Progress', render: (r) => ACTIVE.has(String(r.status)) ? progressBar(r.progressPercent as number, `${r.phase ?? ''} ${Math.round(Number(r.progressPercent ?? 0))}%`) : String(r.phase ?? '') },
        { key: 'rowsWritten', label: 'Rows written', numeric: true, render: (r) => formatNumber(r.rowsWritten) },
        { key: 'rowsRejected', label: 'Rejected', numeric: true, render: (r) => formatNumber(r.rowsRejected) },
        { key: 'deltaVersion', label: 'Delta version', numeric: true, render: (r) => formatNumber(r.deltaVersion) },
        { key: 'trigger', label: 'Trigger', render: (r) => `${r.trigger ?? ''}${r.requestedBy ? ` (${r.requestedBy})` : ''}` },
        { key: 'createdAt', label: 'Started', render: (r) => formatTime(r.startedAt ?? r.createdAt) },
        { key: 'durationMs', label: 'Took', render: (r) => formatDuration(r.durationMs) },
        { key: 'actions', label: '', render: (r) => r.error ? h('span', { class: 'error-text', title: String(r.error) }, String(r.error).slice(0, 80))
          : ACTIVE.has(String(r.status)) && can('ADMIN') ? h('button', { class: 'btn btn-small btn-danger', type: 'button', onclick: async () => {
            try { await api(`/api/v1/etl/runs/${encodeURIComponent(String(r.id))}`, { method: 'DELETE' }); refresh(); } catch (e) { runs.append(notice(describeError(e), 'error')); }
          } }, 'Cancel') : '' },
      ]) : empty('No ETL runs yet', can('ADMIN') ? 'Start one above, or wait for the schedule.' : 'Runs start on a schedule or when an admin triggers one.'));
      return rows.some((r) => ACTIVE.has(String(r.status)));
    } catch (e) {
      replace(runs, h('h2', {}, 'Runs'), errorState(e, 'ETL runs', refresh));
      return false;
    }
  };

  async function refresh(): Promise<void> {
    window.clearTimeout(timer);
    await Promise.all([loadRuns(), loadStaging()]);
    lastUpdate.textContent = `updated ${new Date().toLocaleTimeString()}`;
    if (!stopped && auto.checked) timer = window.setTimeout(refresh, REFRESH_MS);
  }

  auto.addEventListener('change', () => (auto.checked ? refresh() : window.clearTimeout(timer)));
  datasetFilter.addEventListener('change', () => refresh());
  replace(runs, h('h2', {}, 'Runs'));
  replace(staging, h('h2', {}, 'Waiting in staging'));
  refresh();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}

/**
 * A run's kind (issue #14): migrate (staged rows into Delta), or a maintenance run with what it did - optimize
 * "(39 -> 5 files)", vacuum "(12 files, 3.4 MB removed)"; the full figures in the tooltip.
 */
export function runKind(r: Record<string, unknown>): string | HTMLElement {
  const kind = String(r.kind ?? 'migrate');
  if (kind === 'migrate' || typeof r.details !== 'string') return kind;
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(r.details) as Record<string, unknown>;
  } catch {
    return kind;
  }
  const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const summary = kind === 'optimize'
    ? `${n(d.filesBefore)} \u2192 ${n(d.filesAfter)} files`
    : `${n(d.filesRemoved)} files, ${(n(d.bytesRemoved) / 1048576).toFixed(1)} MB removed`;
  return h('span', { title: r.details }, `${kind} (${summary})`);
}

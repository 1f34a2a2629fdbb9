import type { Chart } from 'chart.js';
import { api } from '../api';
import { can } from '../auth';
import { formatNumber, formatTime, h, option, replace } from '../dom';
import { drawChart } from '../components/chart';
import { deadLettersSection } from '../components/deadLetters';
import { empty, errorState } from '../components/states';
import { objectTable, toRows, type Row } from '../components/table';

const REFRESH_MS = 5000;

export function render(root: HTMLElement): () => void {
  const collector = h('section', { class: 'card', id: 'collector-stats' });
  const windowPicker = h('select', { id: 'figures-window', 'aria-label': 'Period' },
    option('hour', 'this hour'), option('day', 'last 24 hours', true), option('total', 'in total'));
  const ingest = h('section', { class: 'card', id: 'ingest-stats' });
  // the list is reloaded on demand only, so the 5 s refresh never wipes a payload being corrected
  const deadLetters = can('ADMIN') ? deadLettersSection() : null;
  root.append(h('p', { class: 'muted' }, 'Records sent by the sites (collector) and how they reached staging (ingest). Refreshes every 5 s.'), collector, ingest);
  if (deadLetters) root.append(deadLetters.element);
  let chart: Chart | null = null;
  let timer: number | undefined;
  let stopped = false;

  let stagedNow: number | null = null;
  // durable figures (ingest-service, ingest.figures): the same after a restart of any service
  const loadCollector = async () => {
    const title = h('div', { class: 'toolbar' }, h('h2', {}, 'Received per site and dataset'), h('label', { class: 'inline' }, 'Period ', windowPicker));
    try {
      const answer = await api<Row>('/api/v1/ingest/figures');
      const period = windowPicker.value || 'day';
      const rows = figureRows(answer?.sites, period);
      const since = answer?.since ? `Kept since ${formatTime(answer.since)}; survives restarts.` : 'Kept durably; survives restarts.';
      if (!rows.length) {
        replace(collector, title, stagedNow
          ? empty(`No figures for this period; ${formatNumber(stagedNow)} rows are waiting in staging`, 'They were received before figures were kept, or in another period: choose "in total".')
          : empty('Nothing received in this period', 'Sites POST records to the collector; counts appear here.'));
        return;
      }
      const totals = ((answer?.totals ?? {}) as Row)[period];
      const canvas = h('canvas', { 'aria-label': 'Accepted and rejected records per site' });
      replace(collector, title, h('p', { class: 'muted' }, since), totalsCards(totals), h('div', { class: 'chart-box small' }, canvas), objectTable(rows, undefined, rejectedRow));
      chart = await drawChart(canvas, perSite(rows), chart);
    } catch (e) {
      replace(collector, title, errorState(e, 'Received figures'));
    }
  };
  windowPicker.addEventListener('change', () => { loadCollector(); });

  const loadIngest = async () => {
    try {
      const answer = await api<Row>('/api/v1/ingest/stats');
      const rows = toRows(answer?.datasets ?? answer, ['dataset']);
      const staging = (answer?.staging ?? {}) as Row;
      const staged = ((answer?.totals ?? {}) as Row).stagedRows;
      stagedNow = typeof staged === 'number' ? staged : null;
      deadLetters?.setDatasets(rows.map((r) => String(r.dataset ?? '')).filter(Boolean));
      replace(ingest, h('h2', {}, 'Staging and dead letters per dataset'),
        staging.available === false ? h('div', { class: 'notice notice-error' }, `Staging is failing${staging.failingSince ? ` since ${formatTime(staging.failingSince)}` : ''}: ${staging.lastError ?? 'unknown error'}`) : null,
        totalsCards(answer?.totals),
        rows.length ? objectTable(rows, undefined, rejectedRow) : empty('No ingest figures yet'));
    } catch (e) {
      replace(ingest, h('h2', {}, 'Staging and dead letters per dataset'), errorState(e, 'Ingest statistics'));
    }
  };

  const refresh = async () => {
    await loadIngest();
    await loadCollector();
    if (!stopped) timer = window.setTimeout(refresh, REFRESH_MS);
  };
  replace(collector, h('h2', {}, 'Received per site and dataset'));
  replace(ingest, h('h2', {}, 'Staging and dead letters per dataset'));
  refresh();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
    chart?.destroy();
  };
}

function rejectedRow(row: Row): Record<string, string> {
  const bad = Object.entries(row).some(([k, v]) => /reject|dead|dlq|error/i.test(k) && typeof v === 'number' && v > 0);
  return bad ? { class: 'row-warn' } : {};
}

/** One row per site and dataset with the counts of the chosen period (hour, day or total). */
function figureRows(sites: unknown, period: string): Row[] {
  if (!Array.isArray(sites)) return [];
  return (sites as Row[]).map((s) => {
    const c = (((s.windows ?? {}) as Row)[period] ?? {}) as Row;
    return {
      site: s.site === '' ? '(unknown)' : s.site, dataset: s.dataset, received: c.received, accepted: c.accepted,
      rejected: c.rejected, staged: c.staged, updated: c.stagedUpdated, duplicates: c.duplicates, stale: c.stale,
      deadLetters: c.deadLetters,
    } as Row;
  }).filter((r) => ['received', 'staged', 'duplicates', 'stale', 'deadLetters', 'rejected'].some((k) => Number(r[k] ?? 0) > 0));
}

function perSite(rows: Row[]) {
  const sites: string[] = [];
  const accepted = new Map<string, number>();
  const rejected = new Map<string, number>();
  for (const r of rows) {
    const site = String(r.site ?? r.name ?? '?');
    if (!sites.includes(site)) sites.push(site);
    accepted.set(site, (accepted.get(site) ?? 0) + Number(r.accepted ?? 0));
    rejected.set(site, (rejected.get(site) ?? 0) + Number(r.rejected ?? 0));
  }
  return {
    kind: 'bar' as const,
    labels: sites,
    datasets: [
      { label: 'accepted', data: sites.map((s) => accepted.get(s) ?? 0) },
      { label: 'rejected', data: sites.map((s) => rejected.get(s) ?? 0) },
    ],
  };
}

function totalsCards(totals: unknown): HTMLElement | null {
  if (!totals || typeof totals !== 'object') return null;
  return h('div', { class: 'stat-cards' }, Object.entries(totals as Row).map(([k, v]) => h('div', { class: 'stat' },
    h('div', { class: 'stat-value' }, v === null || v === undefined ? '–' : formatNumber(v)),
    h('div', { class: 'stat-label' }, k.replace(/([A-Z])/g, ' $1').toLowerCase()))));
}

import type { Chart } from 'chart.js';
import { api } from '../api';
import { can } from '../auth';
import { formatNumber, formatTime, h, replace } from '../dom';
import { drawChart } from '../components/chart';
import { deadLettersSection } from '../components/deadLetters';
import { empty, errorState } from '../components/states';
import { objectTable, toRows, type Row } from '../components/table';

const REFRESH_MS = 5000;

export function render(root: HTMLElement): () => void {
  const collector = h('section', { class: 'card', id: 'collector-stats' });
  const ingest = h('section', { class: 'card', id: 'ingest-stats' });
  // the list is reloaded on demand only, so the 5 s refresh never wipes a payload being corrected
  const deadLetters = can('ADMIN') ? deadLettersSection() : null;
  root.append(h('p', { class: 'muted' }, 'Records sent by the sites (collector) and how they reached staging (ingest). Refreshes every 5 s.'), collector, ingest);
  if (deadLetters) root.append(deadLetters.element);
  let chart: Chart | null = null;
  let timer: number | undefined;
  let stopped = false;

  const loadCollector = async () => {
    try {
      const answer = await api<Row>('/api/v1/stats');
      const rows = toRows(answer?.sites ?? answer, ['site', 'dataset']);
      if (!rows.length) {
        replace(collector, h('h2', {}, 'Received per site and dataset'), empty('Nothing received yet', 'Sites POST records to the collector; counts appear here.'));
        return;
      }
      const canvas = h('canvas', { 'aria-label': 'Accepted and rejected records per site' });
      replace(collector, h('h2', {}, 'Received per site and dataset'), totalsCards(answer?.totals), h('div', { class: 'chart-box small' }, canvas), objectTable(rows, undefined, rejectedRow));
      chart = await drawChart(canvas, perSite(rows), chart);
    } catch (e) {
      replace(collector, h('h2', {}, 'Received per site and dataset'), errorState(e, 'Collector statistics'));
    }
  };

  const loadIngest = async () => {
    try {
      const answer = await api<Row>('/api/v1/ingest/stats');
      const rows = toRows(answer?.datasets ?? answer, ['dataset']);
      const staging = (answer?.staging ?? {}) as Row;
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
    await Promise.all([loadCollector(), loadIngest()]);
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

import { api } from '../api';
import { formatNumber, formatTime, h, replace } from '../dom';
import { describeError } from './states';
import type { Row } from './table';

const REFRESH_MS = 30_000;

/**
 * How fresh the lake is at `main` (etl-service GET /api/v1/etl/freshness): per dataset the newest row (receive time),
 * the last commit, rows waiting in staging; a stale dataset (rows waiting longer than the threshold) stands out.
 * Refreshes itself while it is on the page.
 */
export function freshnessPanel(): HTMLElement {
  const panel = h('section', { class: 'card freshness', id: 'freshness-panel', 'aria-label': 'Freshness at main' });
  replace(panel, h('h2', {}, 'Freshness at main'), h('p', { class: 'muted' }, 'Loading…'));
  const load = async () => {
    try {
      const answer = await api<Row>('/api/v1/etl/freshness');
      const datasets = (Array.isArray(answer?.datasets) ? answer.datasets : []) as Row[];
      const staleAfter = Number(answer?.staleAfterSeconds ?? 0);
      const stale = datasets.filter((d) => d.stale === true);
      replace(panel,
        h('h2', {}, 'Freshness at main'),
        stale.length
          ? h('div', { class: 'notice notice-error', role: 'alert', id: 'freshness-stale' },
            `Stale: ${stale.map((d) => `${d.dataset} (${d.staleReason ?? 'rows waiting'})`).join('; ')}`)
          : null,
        h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
          h('thead', {}, h('tr', {}, ['dataset', 'newest row at main', 'last commit', 'last run', 'waiting in staging', 'oldest waiting']
            .map((c) => h('th', {}, c)))),
          h('tbody', {}, datasets.map((d) => h('tr', {
            class: d.stale === true ? 'row-stale row-warn' : '',
            style: d.stale === true ? 'color:#991b1b;font-weight:600' : '',
            'data-dataset': String(d.dataset ?? ''),
            title: d.stale === true ? String(d.staleReason ?? '') : '',
          },
          h('td', {}, String(d.dataset ?? ''), d.stale === true ? h('span', { class: 'badge badge-stale', style: 'background:#dc2626;color:#fff;margin-left:.4rem' }, 'stale') : null),
          h('td', {}, d.newestRowAt ? formatTime(d.newestRowAt) : 'nothing yet'),
          h('td', {}, d.lastCommitAt ? formatTime(d.lastCommitAt) : 'never'),
          h('td', {}, String(d.lastRunStatus ?? '–')),
          h('td', { class: 'num' }, formatNumber(d.waitingRows ?? 0)),
          h('td', {}, d.oldestWaitingAt ? formatTime(d.oldestWaitingAt) : '–')))))),
        h('p', { class: 'muted' }, `Stale: rows waiting longer than ${Math.round(staleAfter / 60)} min. As of ${formatTime(answer?.asOf)}.`));
    } catch (e) {
      replace(panel, h('h2', {}, 'Freshness at main'), h('p', { class: 'muted' }, `Freshness unavailable: ${describeError(e)}`));
    }
    if (panel.isConnected) window.setTimeout(load, REFRESH_MS);
  };
  // loads once attached (pages put it in place right after creating it)
  window.setTimeout(load, 0);
  return panel;
}

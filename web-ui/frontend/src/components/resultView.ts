import type { Chart } from 'chart.js';
import { formatDuration, formatNumber, h, option, replace } from '../dom';
import { isNumericType } from '../catalog';
import {
  cancelQuery, errorText, exportPath, isDone, PAGE_SIZE, queryState, resultPage, type QueryState,
} from '../queries';
import { download } from './download';
import { drawChart, pivot, type ChartKind } from './chart';
import { badge, describeError, errorState, notice, progressBar } from './states';

export interface ResultView {
  element: HTMLElement;
  dispose(): void;
}

export interface ChartPreset {
  x: string;
  y: string;
  series?: string | null;
  kind: ChartKind;
}

const POLL_MS = 600;

/** Follows one query from QUEUED to its end: progress, cancel, paged grid, chart and export links. */
export function resultView(first: QueryState, preset?: ChartPreset): ResultView {
  const element = h('section', { class: 'result', 'data-query-id': first.id });
  const header = h('div', { class: 'result-header' });
  const body = h('div', { class: 'result-body' });
  element.append(header, body);
  let disposed = false;
  let timer: number | undefined;
  let chart: Chart | null = null;

  const poll = async (state: QueryState) => {
    if (disposed) return;
    renderHeader(state);
    if (!isDone(state.status)) {
      timer = window.setTimeout(async () => {
        try {
          poll(await queryState(state.id));
        } catch (e) {
          replace(body, errorState(e, 'Query status', () => poll(state)));
        }
      }, POLL_MS);
      return;
    }
    if (state.status === 'FINISHED') renderResult(state);
    else if (state.status === 'FAILED') replace(body, h('div', { class: 'state state-error', role: 'alert' }, h('strong', {}, 'Query failed'), h('pre', { class: 'error-text' }, errorText(state))));
    else replace(body, notice('The query was cancelled.'));
  };

  function renderHeader(state: QueryState) {
    const p = state.progress ?? {};
    const running = !isDone(state.status);
    const cancel = h('button', { class: 'btn btn-small btn-danger', type: 'button', 'data-action': 'cancel' }, 'Cancel');
    cancel.addEventListener('click', async () => {
      cancel.setAttribute('disabled', '');
      try {
        await cancelQuery(state.id);
      } catch (e) {
        header.append(notice(describeError(e), 'error'));
      }
    });
    replace(
      header,
      badge(state.status),
      running ? progressBar(p.percent ?? (state.status === 'QUEUED' ? 0 : 5)) : null,
      h('span', { class: 'muted' }, [
        p.processedRows !== undefined ? `${formatNumber(p.processedRows)} rows read` : '',
        p.elapsedMs !== undefined ? ` · ${formatDuration(p.elapsedMs)}` : '',
        state.ref ? ` · version ${state.ref}` : '',
      ].join('')),
      running ? cancel : null,
    );
    if (running) replace(body, h('p', { class: 'muted' }, 'Running…'));
  }

  function renderResult(state: QueryState) {
    const columns = (state.columns ?? []).map((c) => c.name);
    const total = state.rowCount ?? state.rows?.length ?? 0;
    let page = 0;
    let rows: unknown[][] = [];
    const grid = h('div', { class: 'grid-area' });
    const chartArea = h('div', { class: 'chart-area', hidden: true });
    const tabs = h('div', { class: 'tabs' });
    const exportLinks = h('div', { class: 'export-links' }, 'Export:',
      (['csv', 'parquet'] as const).map((format) => {
        const link = h('a', { href: exportPath(state.id, format), class: 'btn btn-small', 'data-export': format }, format.toUpperCase());
        link.addEventListener('click', (ev) => {
          ev.preventDefault();
          download(exportPath(state.id, format), `query-${state.id}.${format}`).catch((e) => exportLinks.append(notice(describeError(e), 'error')));
        });
        return link;
      }));

    let redrawChart: (() => void) | null = null;
    const firstPageComplete = !!state.rows && state.rows.length >= Math.min(total, PAGE_SIZE);
    const showPage = async (target: number) => {
      try {
        rows = target === 0 && firstPageComplete ? state.rows! : (await resultPage(state.id, target)).rows ?? [];
        page = target;
        renderGrid();
        redrawChart?.();
      } catch (e) {
        replace(grid, errorState(e, 'Result page', () => showPage(target)));
      }
    };

    const renderGrid = () => {
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      const shown = rows.slice(0, PAGE_SIZE);
      const from = total === 0 ? 0 : page * PAGE_SIZE + 1;
      const types = state.columns ?? [];
      const table = h('table', { class: 'data results-grid' },
        h('thead', {}, h('tr', {}, h('th', { class: 'rownum' }, '#'), types.map((c) => h('th', { title: c.type, class: isNumericType(c.type) ? 'num' : '' }, c.name)))),
        h('tbody', {}, shown.map((row, i) => h('tr', {}, h('td', { class: 'rownum' }, String(page * PAGE_SIZE + i + 1)),
          row.map((v, j) => h('td', { class: isNumericType(types[j]?.type ?? '') ? 'num' : '' }, v === null ? h('span', { class: 'null' }, 'null') : formatNumber(v)))))));
      replace(grid,
        total === 0 ? notice('The query returned no rows.') : h('div', { class: 'table-wrap' }, table),
        h('div', { class: 'pager' },
          h('button', { class: 'btn btn-small', type: 'button', disabled: page === 0, onclick: () => showPage(page - 1) }, '‹ Previous'),
          h('span', { class: 'muted' }, `Rows ${formatNumber(from)}–${formatNumber(Math.min(total, (page + 1) * PAGE_SIZE))} of ${formatNumber(total)}${state.truncated ? ' (truncated at the row limit)' : ''}`),
          h('button', { class: 'btn btn-small', type: 'button', disabled: page + 1 >= pages, onclick: () => showPage(page + 1) }, 'Next ›')));
    };

    const gridTab = h('button', { class: 'tab active', type: 'button', 'data-tab': 'grid' }, 'Table');
    const chartTab = h('button', { class: 'tab', type: 'button', 'data-tab': 'chart' }, 'Chart');
    const select = (tab: 'grid' | 'chart') => {
      gridTab.classList.toggle('active', tab === 'grid');
      chartTab.classList.toggle('active', tab === 'chart');
      grid.hidden = tab !== 'grid';
      chartArea.hidden = tab !== 'chart';
      if (tab === 'chart' && !chartArea.firstChild) buildChart();
    };
    gridTab.addEventListener('click', () => select('grid'));
    chartTab.addEventListener('click', () => select('chart'));
    tabs.append(gridTab, chartTab);

    const buildChart = () => {
      const types = state.columns ?? [];
      const numeric = types.filter((c) => isNumericType(c.type)).map((c) => c.name);
      const xSel = h('select', { 'data-chart': 'x' }, columns.map((c) => option(c, c, c === (preset?.x ?? columns[0]))));
      const ySel = h('select', { 'data-chart': 'y' }, (numeric.length ? numeric : columns).map((c) => option(c, c, c === (preset?.y ?? numeric[0]))));
      const sSel = h('select', { 'data-chart': 'series' }, option('', '(none)'), columns.map((c) => option(c, c, c === preset?.series)));
      const kSel = h('select', { 'data-chart': 'kind' }, option('bar', 'Bar', preset?.kind !== 'line'), option('line', 'Line', preset?.kind === 'line'));
      const canvas = h('canvas', { 'aria-label': 'Result chart' });
      const redraw = async () => {
        chart = await drawChart(canvas, pivot(columns, rows, xSel.value, ySel.value, sSel.value || null, kSel.value as ChartKind), chart);
      };
      [xSel, ySel, sSel, kSel].forEach((s) => s.addEventListener('change', redraw));
      redrawChart = () => void redraw();
      replace(chartArea,
        h('div', { class: 'chart-controls' },
          h('label', {}, 'X ', xSel), h('label', {}, 'Y ', ySel), h('label', {}, 'Series ', sSel), h('label', {}, 'Type ', kSel),
          h('span', { class: 'muted' }, 'charts the rows of the current page')),
        h('div', { class: 'chart-box' }, canvas));
      if (total > 0) redraw().catch((e) => chartArea.append(notice(describeError(e), 'error')));
    };

    replace(body, h('div', { class: 'result-toolbar' }, tabs, exportLinks), grid, chartArea);
    showPage(0).then(() => {
      if (preset && total > 0) select('chart');
    });
  }

  poll(first);
  return {
    element,
    dispose() {
      disposed = true;
      window.clearTimeout(timer);
      chart?.destroy();
    },
  };
}

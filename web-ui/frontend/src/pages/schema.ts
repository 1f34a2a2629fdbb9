import { api } from '../api';
import { can } from '../auth';
import { allTables, loadCatalog, type Catalog, type CatalogTable } from '../catalog';
import { formatNumber, h, replace } from '../dom';
import { openInEditor } from '../navigation';
import { refPicker } from '../components/refPicker';
import { badge, describeError, empty, errorState, loading, notice } from '../components/states';
import { identifier } from '../sqlgen';
import { freshnessPanel } from '../components/freshness';

export function render(root: HTMLElement): void {
  root.before(freshnessPanel());
  const body = h('div', { class: 'schema-layout' });
  const status = h('div');
  const refresh = can('ADMIN')
    ? h('button', { class: 'btn btn-small', type: 'button', id: 'refresh-catalog', title: 'Register or refresh every dataset\'s Delta table in Trino' }, 'Refresh catalog')
    : null;
  refresh?.addEventListener('click', async () => {
    refresh.setAttribute('disabled', '');
    try {
      await api('/api/v1/catalog/refresh', { method: 'POST' });
      replace(status, notice('Catalog refreshed.', 'ok'));
      show(true);
    } catch (e) {
      replace(status, notice(describeError(e), 'error'));
    } finally {
      refresh.removeAttribute('disabled');
    }
  });
  const picker = refPicker();
  root.append(h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, 'Tables of the lake and their columns, with row counts at'), picker.element, refresh), status, body);

  let shown = 0;
  const show = async (reload = false) => {
    const id = ++shown;
    replace(body, loading('Loading the catalog…'));
    try {
      const catalog = await loadCatalog(reload, picker.value());
      if (id === shown) drawCatalog(body, catalog); // else the version changed meanwhile
    } catch (e) {
      replace(body, errorState(e, 'Catalog', () => show(true)));
    }
  };
  picker.onChange(() => show());
  show();
}

function drawCatalog(body: HTMLElement, catalog: Catalog): void {
  const tables = allTables(catalog);
  if (!tables.length) {
    replace(body, empty('No tables yet', 'Tables appear after the first ETL run has written data.'));
    return;
  }
  const detail = h('div', { class: 'schema-detail' });
  const list = h('ul', { class: 'table-list' });
  const select = (schema: string, table: CatalogTable, item: HTMLElement) => {
    list.querySelectorAll('li').forEach((li) => li.classList.remove('active'));
    item.classList.add('active');
    drawTable(detail, schema, table);
  };
  tables.forEach(({ schema, table }, i) => {
    const item = h('li', { 'data-table': table.name, tabindex: 0 },
      h('span', { class: 'table-name' }, `${schema}.${table.name}`),
      h('span', { class: 'muted' }, typeof table.rowCount === 'number' ? `${formatNumber(table.rowCount)} rows` : `${table.columns.length} columns`));
    item.addEventListener('click', () => select(schema, table, item));
    item.addEventListener('keydown', (e) => e.key === 'Enter' && select(schema, table, item));
    list.append(item);
    if (i === 0) queueMicrotask(() => select(schema, table, item));
  });
  const source = catalog.source === 'gateway'
    ? null
    : h('div', { class: 'notice notice-info source-note', 'data-source': 'descriptors' },
      `Showing the dataset definitions: the live catalog is unavailable (${describeError(catalog.gatewayProblem)}). Row counts appear once query-gateway answers.`);
  replace(body, source, h('div', { class: 'split' }, list, detail));
}

function drawTable(detail: HTMLElement, schema: string, table: CatalogTable): void {
  const qualified = `${identifier(schema)}.${identifier(table.name)}`;
  replace(detail,
    h('div', { class: 'detail-header' },
      h('h2', {}, `${schema}.${table.name}`),
      can('RESEARCHER') ? h('button', { class: 'btn btn-small', type: 'button', onclick: () => openInEditor(`SELECT *\nFROM ${qualified}\nLIMIT 100`) }, 'Query this table') : null),
    table.description ? h('p', { class: 'muted' }, table.description) : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data columns' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Column'), h('th', {}, 'Type'), h('th', {}, 'Description'))),
      h('tbody', {}, table.columns.map((c) => h('tr', {},
        h('td', {}, h('code', {}, c.name), c.partitionKey ? badge('partition', 'info') : null),
        h('td', {}, h('code', { class: 'type' }, c.type)),
        h('td', { class: 'muted' }, c.description ?? '')))))));
}

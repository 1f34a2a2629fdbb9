import { allTables, isNumericType, isTimestampType, loadCatalog, type Catalog, type CatalogColumn } from '../catalog';
import { append, h, option, replace } from '../dom';
import { openInEditor } from '../navigation';
import { refPicker, type RefPicker } from '../components/refPicker';
import { resultView, type ResultView } from '../components/resultView';
import { describeError, empty, errorState, loading, notice } from '../components/states';
import { submitQuery } from '../queries';
import { buildExploreSql, groupExpression, metricAlias, type ExploreSpec, type Filter, type FilterOp, type Metric } from '../sqlgen';
import { freshnessPanel } from '../components/freshness';

const OPS: [FilterOp, string][] = [
  ['=', 'is'], ['!=', 'is not'], ['>', '>'], ['>=', '≥'], ['<', '<'], ['<=', '≤'], ['contains', 'contains'], ['in', 'is one of (a, b, …)'],
];
const METRICS: [Metric['fn'], string][] = [
  ['count', 'Number of rows'], ['count_distinct', 'Number of distinct'], ['sum', 'Sum of'], ['avg', 'Average of'], ['min', 'Minimum of'], ['max', 'Maximum of'],
];

export function render(root: HTMLElement): () => void {
  root.before(freshnessPanel());
  let current: ResultView | null = null;
  // one picker for the page: the datasets offered are those of the chosen version
  const picker = refPicker();
  let chosen = '';
  root.append(loading('Loading datasets…'));
  let shown = 0;
  const show = async () => {
    const id = ++shown;
    try {
      const catalog = await loadCatalog(false, picker.value());
      if (id !== shown) return; // the version changed meanwhile
      replace(root);
      build(root, catalog, picker, chosen, (d) => (chosen = d), (v) => { current?.dispose(); current = v; });
    } catch (e) {
      replace(root, errorState(e, 'Datasets', show));
    }
  };
  picker.onChange(() => {
    current?.dispose();
    current = null;
    replace(root, loading('Loading the datasets of this version…'));
    show();
  });
  show();
  return () => current?.dispose();
}

/** "schema.table" -> the label of the Dataset picker: lake tables by name, other schemas' tables qualified. */
function datasetLabel(schema: string, table: string, lakeSchema: string | undefined): string {
  return schema === lakeSchema ? table : `${schema}.${table}`;
}

function build(root: HTMLElement, catalog: Catalog, picker: RefPicker, previous: string, remember: (dataset: string) => void,
  setResult: (v: ResultView | null) => void): void {
  const tables = allTables(catalog);
  if (!tables.length) {
    root.append(empty('No datasets at this version', 'Datasets appear once data has been loaded; choose another version.'), h('div', { class: 'row' }, picker.element));
    return;
  }
  const lakeSchema = catalog.schemas[0]?.name;
  const dataset = h('select', { id: 'explore-dataset' }, tables.map((t) => option(`${t.schema}.${t.table.name}`, datasetLabel(t.schema, t.table.name, lakeSchema))));
  if (previous && tables.some((t) => `${t.schema}.${t.table.name}` === previous)) dataset.value = previous;
  remember(dataset.value);
  const filtersBox = h('div', { class: 'filters' });
  const addFilter = h('button', { class: 'btn btn-small btn-ghost', type: 'button', id: 'explore-add-filter' }, '+ Add filter');
  const groupBy = h('select', { id: 'explore-group' });
  const metricFn = h('select', { id: 'explore-metric' }, METRICS.map(([v, l]) => option(v, l)));
  const metricCol = h('select', { id: 'explore-metric-column' });
  const chartKind = h('select', { id: 'explore-chart' }, option('bar', 'Bar chart'), option('line', 'Line chart'), option('table', 'Table only'));
  const limit = h('input', { id: 'explore-limit', type: 'number', min: 1, max: 10000, value: 50 });
  const sqlView = h('pre', { class: 'sql-view', id: 'explore-sql' });
  const run = h('button', { class: 'btn btn-primary', type: 'button', id: 'explore-run' }, 'Show');
  const toEditor = h('button', { class: 'btn', type: 'button', id: 'explore-open-editor' }, 'Open in SQL editor');
  const results = h('div', { class: 'results-area' });
  const filters: { column: HTMLSelectElement; op: HTMLSelectElement; value: HTMLInputElement; row: HTMLElement }[] = [];

  const columns = (): CatalogColumn[] => {
    const [schema, name] = dataset.value.split('.');
    return tables.find((t) => t.schema === schema && t.table.name === name)?.table.columns ?? [];
  };
  const visibleColumns = () => columns().filter((c) => !c.name.startsWith('_') && !/text|raw/i.test(c.name));

  const refreshColumns = () => {
    const cols = visibleColumns();
    const groupable = cols.filter((c) => !isNumericType(c.type) || /^(int|integer|smallint)/i.test(c.type) || c.partitionKey);
    replace(groupBy, option('', '(nothing: one number)'),
      h('optgroup', { label: 'Category' }, groupable.filter((c) => !isTimestampType(c.type)).map((c) => option(c.name))),
      h('optgroup', { label: 'Time' }, cols.filter((c) => isTimestampType(c.type)).flatMap((c) => [option(`day:${c.name}`, `${c.name} by day`), option(`month:${c.name}`, `${c.name} by month`)])));
    const siteLike = groupable.find((c) => c.name === 'site' || c.name === 'farm');
    if (siteLike) groupBy.value = siteLike.name;
    refreshMetricColumns();
    filters.splice(0).forEach((f) => f.row.remove());
    update();
  };
  const refreshMetricColumns = () => {
    const fn = metricFn.value as Metric['fn'];
    const cols = visibleColumns().filter((c) => fn === 'count_distinct' || isNumericType(c.type));
    replace(metricCol, cols.map((c) => option(c.name)));
    metricCol.hidden = fn === 'count';
  };
  const newFilter = () => {
    const column = h('select', { 'data-filter': 'column' }, visibleColumns().map((c) => option(c.name)));
    const op = h('select', { 'data-filter': 'op' }, OPS.map(([v, l]) => option(v, l)));
    const value = h('input', { 'data-filter': 'value', placeholder: 'value' });
    const remove = h('button', { class: 'btn btn-small btn-ghost', type: 'button', title: 'Remove filter' }, '×');
    const row = h('div', { class: 'filter-row' }, column, op, value, remove);
    const entry = { column, op, value, row };
    remove.addEventListener('click', () => { filters.splice(filters.indexOf(entry), 1); row.remove(); update(); });
    [column, op].forEach((el) => el.addEventListener('change', update));
    value.addEventListener('input', update);
    filters.push(entry);
    filtersBox.append(row);
    update();
  };

  const spec = (): ExploreSpec => {
    const [schema, table] = dataset.value.split('.');
    const fn = metricFn.value as Metric['fn'];
    return {
      schema, table, columns: columns(),
      filters: filters.map((f): Filter => ({ column: f.column.value, op: f.op.value as FilterOp, value: f.value.value })),
      groupBy: groupBy.value,
      metric: { fn, column: fn === 'count' ? undefined : metricCol.value },
      limit: Number(limit.value),
    };
  };
  const update = () => {
    sqlView.textContent = buildExploreSql(spec());
  };

  dataset.addEventListener('change', () => { remember(dataset.value); refreshColumns(); });
  metricFn.addEventListener('change', () => { refreshMetricColumns(); update(); });
  [groupBy, metricCol, chartKind].forEach((el) => el.addEventListener('change', update));
  limit.addEventListener('input', update);
  addFilter.addEventListener('click', newFilter);
  toEditor.addEventListener('click', () => openInEditor(sqlView.textContent ?? '', picker.value()));
  run.addEventListener('click', async () => {
    run.setAttribute('disabled', '');
    setResult(null);
    try {
      const s = spec();
      const group = groupExpression(s.groupBy);
      const view = resultView(await submitQuery(sqlView.textContent ?? '', picker.value()),
        group && chartKind.value !== 'table' ? { x: group.alias, y: metricAlias(s.metric), kind: chartKind.value as 'bar' | 'line' } : undefined);
      setResult(view);
      replace(results, view.element);
    } catch (e) {
      replace(results, notice(describeError(e), 'error'));
    } finally {
      run.removeAttribute('disabled');
    }
  });

  append(root,
    catalog.source === 'descriptors' ? h('div', { class: 'notice notice-info' }, `Columns come from the dataset definitions: the live catalog is unavailable (${describeError(catalog.gatewayProblem)}).`) : null,
    h('div', { class: 'explore-grid' },
      h('div', { class: 'card explore-form' },
        h('label', {}, h('span', { class: 'label' }, h('span', { class: 'step' }, '1'), ' Dataset'), dataset),
        h('div', { class: 'field' }, h('span', { class: 'label' }, h('span', { class: 'step' }, '2'), ' Only rows where'), filtersBox, addFilter),
        h('label', {}, h('span', { class: 'label' }, h('span', { class: 'step' }, '3'), ' Show'), h('span', { class: 'metric' }, metricFn, metricCol)),
        h('label', {}, h('span', { class: 'label' }, h('span', { class: 'step' }, '4'), ' For each'), groupBy),
        h('div', { class: 'row' }, h('label', {}, 'As', chartKind), h('label', {}, 'At most', limit, 'rows')),
        h('div', { class: 'row' }, picker.element),
        h('div', { class: 'row' }, run, toEditor)),
      h('div', { class: 'card' }, h('div', { class: 'label' }, 'The question as SQL'), sqlView)),
    results);
  refreshColumns();
}

import { formatNumber, h } from '../dom';

export type Row = Record<string, unknown>;

export interface ColumnSpec {
  key: string;
  label?: string;
  render?: (row: Row) => Node | string;
  numeric?: boolean;
}

/** A plain table of objects; columns default to the union of the rows' keys. */
export function objectTable(rows: Row[], columns?: ColumnSpec[], rowAttrs?: (row: Row) => Record<string, string>): HTMLElement {
  const specs = columns ?? inferColumns(rows);
  const head = h('tr', {}, specs.map((c) => h('th', { class: c.numeric ? 'num' : '' }, c.label ?? c.key)));
  const body = rows.map((row) =>
    h(
      'tr',
      rowAttrs ? rowAttrs(row) : {},
      specs.map((c) => {
        const value = c.render ? c.render(row) : formatNumber(row[c.key]);
        const numeric = c.numeric ?? typeof row[c.key] === 'number';
        return h('td', { class: numeric ? 'num' : '' }, value);
      }),
    ),
  );
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data' }, h('thead', {}, head), h('tbody', {}, body)));
}

export function inferColumns(rows: Row[]): ColumnSpec[] {
  const keys: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key);
  return keys.map((key) => ({ key, numeric: rows.some((r) => typeof r[key] === 'number') }));
}

/**
 * Turns the stats endpoints' JSON into rows whatever their exact nesting: an array of objects, an object wrapping
 * one, or maps keyed by site/dataset ({"CERN": {"trace": {"accepted": 3}}} -> {site: "CERN", dataset: "trace",
 * accepted: 3}).
 */
export function toRows(value: unknown, keyNames: string[] = ['name', 'key']): Row[] {
  if (Array.isArray(value)) return value.filter((v) => v && typeof v === 'object').map((v) => flatten(v as Row));
  if (!value || typeof value !== 'object') return [];
  const record = value as Row;
  const arrays = Object.entries(record).filter(([, v]) => Array.isArray(v) && (v as unknown[]).some((x) => x && typeof x === 'object'));
  if (arrays.length === 1) return toRows(arrays[0][1], keyNames);
  const entries = Object.entries(record);
  if (entries.length > 0 && entries.every(([, v]) => v && typeof v === 'object' && !Array.isArray(v))) {
    const [first, ...rest] = keyNames;
    return entries.flatMap(([key, v]) => {
      const inner = v as Row;
      const nested = Object.values(inner).length > 0 && Object.values(inner).every((x) => x && typeof x === 'object' && !Array.isArray(x));
      if (nested && rest.length > 0) return toRows(inner, rest).map((r) => ({ [first]: key, ...r }));
      return [{ [first]: key, ...flatten(inner) }];
    });
  }
  if (entries.every(([, v]) => typeof v !== 'object' || v === null)) return [record];
  return [];
}

function flatten(row: Row, prefix = ''): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Row, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

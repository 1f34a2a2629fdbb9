import { isNumericType, isTimestampType, type CatalogColumn } from './catalog';

/** What a non-technical user picks on the Explore page; turned into Trino SQL they can read and edit. */
export interface ExploreSpec {
  schema: string;
  table: string;
  columns: CatalogColumn[];
  filters: Filter[];
  /** a column name, or 'day:col' / 'month:col' for a time bucket; '' for none */
  groupBy: string;
  metric: Metric;
  limit: number;
}

export type FilterOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'contains' | 'in';

export interface Filter {
  column: string;
  op: FilterOp;
  value: string;
}

export interface Metric {
  fn: 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';
  column?: string;
}

// Trino's reserved words: identifiers spelled like them must be quoted
const RESERVED = new Set(('alter and as between by case cast constraint create cross cube current_catalog current_date '
  + 'current_path current_role current_schema current_time current_timestamp current_user deallocate delete describe '
  + 'distinct drop else end escape except execute exists extract false for from full group grouping having in inner '
  + 'insert intersect into is join json_array json_exists json_object json_query json_table json_value left like '
  + 'listagg localtime localtimestamp natural normalize not null on or order outer prepare recursive right rollup '
  + 'select skip table then trim true uescape union unnest using values when where with').split(' '));

export function identifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function stringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function literal(column: CatalogColumn | undefined, value: string): string {
  const v = value.trim();
  const type = column?.type ?? 'varchar';
  if (isNumericType(type) && v !== '' && Number.isFinite(Number(v))) return String(Number(v));
  if (/^boolean/i.test(type) && /^(true|false)$/i.test(v)) return v.toLowerCase();
  if (isTimestampType(type) && /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(v)) {
    return `TIMESTAMP ${stringLiteral(v.replace('T', ' ') + (v.length === 10 ? ' 00:00:00' : '') + ' UTC')}`;
  }
  return stringLiteral(v);
}

function condition(filter: Filter, columns: CatalogColumn[]): string | null {
  const column = columns.find((c) => c.name === filter.column);
  if (!filter.column || filter.value.trim() === '') return null;
  const col = identifier(filter.column);
  switch (filter.op) {
    case 'contains':
      return `${col} LIKE ${stringLiteral(`%${filter.value.trim()}%`)}`;
    case 'in': {
      const items = filter.value.split(',').map((s) => s.trim()).filter((s) => s !== '');
      return `${col} IN (${items.map((i) => literal(column, i)).join(', ')})`;
    }
    default:
      return `${col} ${filter.op} ${literal(column, filter.value)}`;
  }
}

export function metricAlias(metric: Metric): string {
  if (metric.fn === 'count' || !metric.column) return 'row_count';
  return `${metric.fn === 'count_distinct' ? 'distinct' : metric.fn}_${metric.column.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function metricExpression(metric: Metric): string {
  if (metric.fn === 'count' || !metric.column) return 'count(*)';
  const col = identifier(metric.column);
  return metric.fn === 'count_distinct' ? `count(DISTINCT ${col})` : `${metric.fn}(${col})`;
}

/** The group-by expression and the name of its output column. */
export function groupExpression(groupBy: string): { expression: string; alias: string } | null {
  if (!groupBy) return null;
  const bucket = /^(day|month|hour|year):(.+)$/.exec(groupBy);
  if (bucket) return { expression: `date_trunc('${bucket[1]}', ${identifier(bucket[2])})`, alias: bucket[1] };
  return { expression: identifier(groupBy), alias: groupBy };
}

export function buildExploreSql(spec: ExploreSpec): string {
  const group = groupExpression(spec.groupBy);
  const alias = metricAlias(spec.metric);
  const select = group
    ? `${group.expression}${group.expression === identifier(group.alias) ? '' : ` AS ${identifier(group.alias)}`}, ${metricExpression(spec.metric)} AS ${alias}`
    : `${metricExpression(spec.metric)} AS ${alias}`;
  const lines = [`SELECT ${select}`, `FROM ${identifier(spec.schema)}.${identifier(spec.table)}`];
  const conditions = spec.filters.map((f) => condition(f, spec.columns)).filter((c): c is string => c !== null);
  if (conditions.length) lines.push(`WHERE ${conditions.join('\n  AND ')}`);
  if (group) {
    lines.push(`GROUP BY ${group.expression}`);
    // time buckets read best in time order, categories by size
    lines.push(group.expression.startsWith('date_trunc') ? `ORDER BY ${identifier(group.alias)}` : `ORDER BY ${alias} DESC`);
  }
  lines.push(`LIMIT ${Math.max(1, Math.min(10000, Math.floor(spec.limit) || 100))}`);
  return lines.join('\n');
}

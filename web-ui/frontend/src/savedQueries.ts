/**
 * The saved-query contract, mirrored from query-gateway's one definition (package query.saved: SavedQuery,
 * SavedQueryInput, ParameterDefinition, ParameterType, ParameterBinder). GET /api/v1/saved-queries answers
 * SavedQuery[]; POST and PUT take a SavedQueryInput. Change these with the Java records, never apart.
 */

/** ParameterType's constants: each value is checked and rendered as a typed SQL literal by the gateway. */
export const PARAMETER_TYPES = ['STRING', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP'] as const;
export type ParameterType = typeof PARAMETER_TYPES[number];

/** A named parameter, used in the SQL as :name or {{name}}; defaultValue null = the parameter is required. */
export interface ParameterDefinition {
  name: string;
  type: ParameterType;
  defaultValue: string | null;
  description: string | null;
}

/** A saved query as the gateway answers it (timestamps as ISO-8601 instants). */
export interface SavedQuery {
  id: number;
  name: string;
  description: string | null;
  sql: string;
  parameters: ParameterDefinition[];
  /** null: owned by nobody (created before owners existed), only admins edit it */
  owner: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a researcher sends to create or replace a saved query. */
export interface SavedQueryInput {
  name: string;
  description: string | null;
  sql: string;
  parameters: ParameterDefinition[];
}

/**
 * Names of the placeholders in sql, in order of first use, as ParameterBinder.placeholders finds them:
 * `:name` (not a `::` cast) and `{{ name }}`, skipping '...' and "..." (doubled quote = escaped),
 * -- and block comments. Unlike the gateway it does not fail on an unclosed quote or placeholder: it just stops.
 */
export function placeholdersIn(sql: string): string[] {
  const names: string[] = [];
  const add = (name: string) => { if (!names.includes(name)) names.push(name); };
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      i = closingQuote(sql, i, c);
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (sql.startsWith('{{', i)) {
      const end = sql.indexOf('}}', i + 2);
      if (end < 0) break;
      add(sql.substring(i + 2, end).trim());
      i = end + 2;
    } else if (c === ':' && i + 1 < n && /[\p{L}_]/u.test(sql[i + 1]) && (i === 0 || sql[i - 1] !== ':')) {
      let end = i + 1;
      while (end < n && /[\p{L}\p{Nd}_]/u.test(sql[end])) end++;
      add(sql.substring(i + 1, end));
      i = end;
    } else {
      i++;
    }
  }
  return names;
}

/** Index after the closing quote (a doubled quote is an escaped quote), or the end of sql if it never closes. */
function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) { i += 2; continue; }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

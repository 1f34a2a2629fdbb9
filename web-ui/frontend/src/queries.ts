import { api } from './api';

export type QueryStatus = 'QUEUED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELLED';

export interface QueryColumn {
  name: string;
  type: string;
}

export interface QueryState {
  id: string;
  sql?: string;
  ref?: string;
  executedSql?: string;
  status: QueryStatus;
  progress?: { percent?: number; processedRows?: number; processedBytes?: number; elapsedMs?: number };
  columns?: QueryColumn[];
  rows?: unknown[][];
  rowCount?: number;
  truncated?: boolean;
  error?: string | { message?: string };
}

export interface ResultPage {
  page: number;
  size: number;
  rowCount: number;
  rows: unknown[][];
}

export const PAGE_SIZE = 100;

export function isDone(status: QueryStatus): boolean {
  return status === 'FINISHED' || status === 'FAILED' || status === 'CANCELLED';
}

export function submitQuery(sql: string, ref: string, maxRows?: number): Promise<QueryState> {
  return api<QueryState>('/api/v1/queries', { method: 'POST', body: { sql, ref: ref || undefined, maxRows } });
}

export function runSavedQuery(id: string, parameters: Record<string, string>, ref: string): Promise<QueryState> {
  return api<QueryState>(`/api/v1/saved-queries/${encodeURIComponent(id)}/run`, {
    method: 'POST',
    body: { parameters, ref: ref || undefined },
  });
}

export function queryState(id: string, signal?: AbortSignal): Promise<QueryState> {
  return api<QueryState>(`/api/v1/queries/${encodeURIComponent(id)}`, { signal });
}

export function cancelQuery(id: string): Promise<void> {
  return api<void>(`/api/v1/queries/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Pages are numbered from 0, as in every paged API of the platform. */
export function resultPage(id: string, page: number, size = PAGE_SIZE): Promise<ResultPage> {
  return api<ResultPage>(`/api/v1/queries/${encodeURIComponent(id)}/results`, { query: { page, size } });
}

export function exportPath(id: string, format: 'csv' | 'parquet'): string {
  return `/api/v1/queries/${encodeURIComponent(id)}/export?format=${format}`;
}

export function errorText(state: QueryState): string {
  if (!state.error) return 'The query failed.';
  return typeof state.error === 'string' ? state.error : state.error.message ?? JSON.stringify(state.error);
}

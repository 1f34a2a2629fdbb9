import type { Role } from './auth';

/** A page draws itself into root and may return a function that stops its timers when the user leaves. */
export type Render = (root: HTMLElement, params: URLSearchParams) => void | (() => void);

export interface PageDef {
  id: string;
  title: string;
  group: 'Query' | 'Data' | 'Operations';
  minRole: Role;
  load: () => Promise<{ render: Render }>;
}

export const PAGES: PageDef[] = [
  { id: 'explore', title: 'Explore', group: 'Query', minRole: 'RESEARCHER', load: () => import('./pages/explore') },
  { id: 'editor', title: 'SQL editor', group: 'Query', minRole: 'RESEARCHER', load: () => import('./pages/editor') },
  { id: 'saved', title: 'Saved queries', group: 'Query', minRole: 'VIEWER', load: () => import('./pages/saved') },
  { id: 'history', title: 'Query history', group: 'Query', minRole: 'VIEWER', load: () => import('./pages/history') },
  { id: 'schema', title: 'Schema', group: 'Data', minRole: 'VIEWER', load: () => import('./pages/schema') },
  { id: 'versions', title: 'Versions', group: 'Data', minRole: 'VIEWER', load: () => import('./pages/versions') },
  { id: 'etl', title: 'ETL runs', group: 'Operations', minRole: 'VIEWER', load: () => import('./pages/etl') },
  { id: 'ingest', title: 'Ingest', group: 'Operations', minRole: 'VIEWER', load: () => import('./pages/ingest') },
];

export function parseHash(hash: string): { id: string; params: URLSearchParams } {
  const [path, query] = hash.replace(/^#\/?/, '').split('?');
  return { id: path || '', params: new URLSearchParams(query ?? '') };
}

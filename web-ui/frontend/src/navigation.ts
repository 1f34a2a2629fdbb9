/**
 * Moving between pages: the hash route and handing SQL to the editor. Pages import these from here, never from
 * router.ts (which lists the pages and so imports them): no import loop between the router and its pages.
 */

/** Session storage keys the editor page starts from: its SQL text and its ref. */
export const EDITOR_SQL_KEY = 'lakehouse.editor.sql';
export const EDITOR_REF_KEY = 'lakehouse.editor.ref';

export function navigate(id: string, params?: Record<string, string>): void {
  const qs = params ? `?${new URLSearchParams(params)}` : '';
  location.hash = `#/${id}${qs}`;
}

/** Hands SQL to the editor page (e.g. "Open in editor" from Explore or history). */
export function openInEditor(sql: string, ref?: string): void {
  sessionStorage.setItem(EDITOR_SQL_KEY, sql);
  if (ref !== undefined) sessionStorage.setItem(EDITOR_REF_KEY, ref);
  navigate('editor');
}

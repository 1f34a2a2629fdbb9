import { ApiError } from '../api';
import { h } from '../dom';

export function loading(text = 'Loading…'): HTMLElement {
  return h('div', { class: 'state state-loading', role: 'status' }, h('span', { class: 'spinner' }), text);
}

export function empty(title: string, hint?: string): HTMLElement {
  return h('div', { class: 'state state-empty' }, h('strong', {}, title), hint ? h('p', {}, hint) : null);
}

/** An error box that says what failed in words a user can act on. */
export function errorState(error: unknown, what?: string, retry?: () => void): HTMLElement {
  const message = describeError(error);
  const down = error instanceof ApiError && error.backendDown;
  return h(
    'div',
    { class: `state state-error${down ? ' state-down' : ''}`, role: 'alert' },
    h('strong', {}, what ? `${what}: ${down ? 'service unavailable' : 'failed'}` : 'Something went wrong'),
    h('p', { class: 'state-detail' }, message),
    retry ? h('button', { class: 'btn btn-small', type: 'button', onclick: () => retry() }, 'Try again') : null,
  );
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const prefix = error.status ? `${error.status} ${error.title}` : error.title;
    return error.detail && error.detail !== error.title ? `${prefix}: ${error.detail}` : prefix;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

export function notice(text: string, kind: 'ok' | 'error' | 'info' = 'info'): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function badge(text: string, kind = text.toLowerCase()): HTMLElement {
  return h('span', { class: `badge badge-${kind}` }, text);
}

export function progressBar(percent: number | null | undefined, label?: string): HTMLElement {
  const value = typeof percent === 'number' && Number.isFinite(percent) ? Math.max(0, Math.min(100, percent)) : 0;
  return h(
    'div',
    { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': value },
    h('div', { class: 'progress-fill', style: `width:${value}%` }),
    h('span', { class: 'progress-label' }, label ?? `${Math.round(value)}%`),
  );
}

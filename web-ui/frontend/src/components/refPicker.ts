import { api } from '../api';
import { currentSession } from '../auth';
import { formatTime, h, replace } from '../dom';

/** One branch or tag as versioning-service lists it (GET /api/v1/versions/refs). */
export interface RefEntry {
  name: string;
  kind: 'branch' | 'tag';
  commitId?: string;
  owner?: string;
  updatedAt?: string;
  message?: string | null;
}

export interface RefPage {
  items: RefEntry[];
  total: number;
  offset: number;
  limit: number;
  nextOffset: number | null;
}

export interface RefPicker {
  element: HTMLElement;
  /** '' means "latest data, no ref" */
  value(): string;
  setValue(ref: string): void;
  /** called after the user (or the picker's own fallback) changed the value */
  onChange(listener: (ref: string) => void): void;
}

export interface RefPickerOptions {
  /** the ref to start with; default main (or the latest data when versioning-service does not answer) */
  initial?: string;
  label?: string;
  /** offer "latest data" (no ref); default true */
  allowLatest?: boolean;
  /** extra class and data-picker name, e.g. 'diff-from' */
  name?: string;
  kind?: 'branch' | 'tag';
}

export const PAGE_SIZE = 50;

/** The query of one page of refs: the typed text filters by name, "mine" by owner. */
export function refQuery(text: string, mine: boolean, user: string | undefined, offset = 0, kind?: string): Record<string, string | number | undefined> {
  return { q: text.trim() || undefined, owner: mine ? user : undefined, kind, offset: offset || undefined, limit: PAGE_SIZE };
}

/** A ref typed by hand that need not be in the list: a commit id, v:12 or ts:<instant>. */
export function isFreeRef(text: string): boolean {
  return /^(v:\d+|ts:\S+|[0-9a-f]{4,64})$/i.test(text.trim());
}

/**
 * A type-to-filter picker of branches and tags for thousands of refs: main and tags first, then branches by last
 * update, each with its owner; a "mine" switch; further pages on demand. A commit id, v:12 or ts:... can be typed.
 */
export function refPicker(options: RefPickerOptions | string = {}): RefPicker {
  const opts: RefPickerOptions = typeof options === 'string' ? { initial: options } : options;
  const allowLatest = opts.allowLatest ?? true;
  const user = currentSession()?.name;
  let committed = opts.initial ?? 'main';
  let typed = false;
  let active = -1;
  let entries: RefEntry[] = [];
  let page: RefPage | null = null;
  let request = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listeners: ((ref: string) => void)[] = [];

  const input = h('input', {
    class: 'ref-input', type: 'text', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
    'aria-label': opts.label ?? 'Data version', 'aria-expanded': 'false',
    placeholder: allowLatest ? 'latest data' : 'branch, tag or commit',
  });
  input.value = committed;
  const mine = h('input', { type: 'checkbox', class: 'ref-mine' });
  const list = h('ul', { class: 'ref-options', role: 'listbox', hidden: true });
  const hint = h('span', { class: 'ref-hint muted' });
  const element = h('div', { class: `ref-picker${opts.name ? ` ref-picker-${opts.name}` : ''}`, 'data-picker': opts.name ?? 'version' },
    h('span', { class: 'ref-label' }, opts.label ?? 'Version'),
    h('span', { class: 'ref-box' }, input, list),
    h('label', { class: 'ref-mine-label', title: 'Only the branches and tags you created',
      // the list stays open with what was typed: the text field keeps the focus
      onmousedown: (ev: Event) => { if (document.activeElement === input) ev.preventDefault(); } }, mine, 'mine'),
    hint);

  const emit = () => listeners.forEach((l) => l(committed));
  const commit = (ref: string) => {
    const changed = ref !== committed;
    committed = ref;
    input.value = ref;
    typed = false;
    close();
    if (changed) emit();
  };
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    active = -1;
  };
  const open = () => {
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };

  const optionItem = (e: RefEntry): HTMLElement => {
    const li = h('li', { class: 'ref-option', role: 'option', 'data-ref': e.name, 'data-kind': e.kind, title: e.message ?? e.commitId ?? '' },
      h('span', { class: 'ref-name' }, e.name),
      h('span', { class: `badge badge-${e.kind}` }, e.kind),
      h('span', { class: 'ref-owner muted' }, e.owner ?? ''),
      h('span', { class: 'ref-time muted' }, e.updatedAt ? formatTime(e.updatedAt) : ''));
    li.addEventListener('mousedown', (ev) => { ev.preventDefault(); commit(e.name); });
    return li;
  };
  const draw = () => {
    const text = typed ? input.value.trim() : '';
    const items: HTMLElement[] = [];
    if (allowLatest && !text) {
      const latest = h('li', { class: 'ref-option ref-latest', role: 'option', 'data-ref': '' }, h('span', { class: 'ref-name' }, 'latest data'), h('span', { class: 'muted' }, 'no version: newest rows'));
      latest.addEventListener('mousedown', (ev) => { ev.preventDefault(); commit(''); });
      items.push(latest);
    }
    if (text && isFreeRef(text) && !entries.some((e) => e.name === text)) {
      const free = h('li', { class: 'ref-option ref-free-entry', role: 'option', 'data-ref': text }, h('span', { class: 'ref-name' }, text), h('span', { class: 'muted' }, 'commit id / v: / ts:'));
      free.addEventListener('mousedown', (ev) => { ev.preventDefault(); commit(text); });
      items.push(free);
    }
    items.push(...entries.map(optionItem));
    if (page && page.nextOffset !== null) {
      const more = h('li', { class: 'ref-more' }, `Show more (${entries.length} of ${page.total})`);
      more.addEventListener('mousedown', (ev) => { ev.preventDefault(); load(page?.nextOffset ?? 0); });
      items.push(more);
    } else if (page) {
      items.push(h('li', { class: 'ref-count muted' }, page.total ? `${page.total} ${page.total === 1 ? 'ref' : 'refs'}` : 'no branch or tag matches'));
    }
    replace(list, items);
    active = -1;
  };

  const load = async (offset = 0) => {
    const mineOnly = mine.checked;
    const text = typed ? input.value : '';
    const mineQuery = refQuery(text, mineOnly, user, offset, opts.kind);
    const id = ++request;
    try {
      const answer = await api<RefPage>('/api/v1/versions/refs', { query: mineQuery });
      if (id !== request) return; // a newer filter won
      page = answer;
      entries = offset ? [...entries, ...answer.items] : answer.items;
      hint.textContent = '';
      draw();
    } catch (e) {
      if (id !== request) return;
      hint.textContent = 'versions unavailable';
      hint.title = String((e as Error)?.message ?? e);
      page = null;
      entries = [];
      draw();
      throw e;
    }
  };

  const optionElements = () => [...list.querySelectorAll<HTMLElement>('li.ref-option')];
  const highlight = (index: number) => {
    const all = optionElements();
    if (!all.length) return;
    active = (index + all.length) % all.length;
    all.forEach((li, i) => li.classList.toggle('active', i === active));
    all[active].scrollIntoView({ block: 'nearest' });
  };

  input.addEventListener('focus', () => {
    input.select();
    open();
    if (!page || typed) {
      typed = false;
      load().catch(() => undefined);
    } else {
      draw();
    }
  });
  input.addEventListener('input', () => {
    typed = true;
    open();
    clearTimeout(timer);
    timer = setTimeout(() => load().catch(() => undefined), 150);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (list.hidden) open();
      highlight(active + (ev.key === 'ArrowDown' ? 1 : -1));
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      const chosen = active >= 0 ? optionElements()[active] : null;
      commit(chosen ? chosen.getAttribute('data-ref') ?? '' : input.value.trim());
    } else if (ev.key === 'Escape') {
      input.value = committed;
      typed = false;
      close();
    }
  });
  input.addEventListener('blur', () => {
    const text = input.value.trim();
    if (typed && text !== committed && (isFreeRef(text) || entries.some((e) => e.name === text) || (allowLatest && !text))) {
      commit(text);
    } else {
      input.value = committed;
      typed = false;
      close();
    }
  });
  mine.addEventListener('change', () => {
    open();
    load().catch(() => undefined);
  });

  // the first page now: it tells whether versioning-service answers (else the default becomes the latest data,
  // quietly: without versioning-service "main" could not be resolved, and pages keep what they show)
  load().catch(() => {
    if (opts.initial === undefined && committed === 'main' && allowLatest && !typed) {
      committed = '';
      input.value = '';
    }
  });

  return {
    element,
    value: () => committed,
    setValue: (ref: string) => { committed = ref; input.value = ref; typed = false; },
    onChange: (listener) => { listeners.push(listener); },
  };
}

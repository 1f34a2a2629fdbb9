import { api, asList } from '../api';
import { h, option } from '../dom';

export interface RefPicker {
  element: HTMLElement;
  /** '' means "latest data, no ref" */
  value(): string;
}

const OTHER = '__other__';

/** Branches and tags from versioning-service, plus a free text field for a commit id (or v:12, ts:...). */
export function refPicker(initial = ''): RefPicker {
  const select = h('select', { class: 'ref-select', 'aria-label': 'Data version' }, option('', 'latest data'));
  const free = h('input', { class: 'ref-free', type: 'text', placeholder: 'commit id, v:12 or ts:2026-01-01T00:00:00Z', hidden: true });
  const hint = h('span', { class: 'ref-hint muted' });
  select.addEventListener('change', () => {
    free.hidden = select.value !== OTHER;
    if (!free.hidden) free.focus();
  });
  const element = h('label', { class: 'ref-picker' }, h('span', { class: 'ref-label' }, 'Version'), select, free, hint);

  Promise.allSettled([api('/api/v1/versions/branches'), api('/api/v1/versions/tags')]).then(([branches, tags]) => {
    const branchNames = branches.status === 'fulfilled' ? names(branches.value, 'branches') : [];
    const tagNames = tags.status === 'fulfilled' ? names(tags.value, 'tags') : [];
    if (branchNames.length) select.append(h('optgroup', { label: 'Branches' }, branchNames.map((n) => option(n))));
    if (tagNames.length) select.append(h('optgroup', { label: 'Tags' }, tagNames.map((n) => option(n))));
    select.append(option(OTHER, 'Commit id / other…'));
    if (branches.status === 'rejected') {
      hint.textContent = 'versions unavailable';
      hint.title = String((branches.reason as Error)?.message ?? branches.reason);
    }
    const wanted = initial || (branchNames.includes('main') ? 'main' : '');
    if ([...branchNames, ...tagNames, ''].includes(wanted)) {
      select.value = wanted;
    } else {
      select.value = OTHER;
      free.value = wanted;
      free.hidden = false;
    }
  });
  return {
    element,
    value: () => (select.value === OTHER ? free.value.trim() : select.value),
  };
}

function names(value: unknown, key: string): string[] {
  return asList<Record<string, unknown> | string>(value, key)
    .map((item) => (typeof item === 'string' ? item : String(item.name ?? '')))
    .filter((n) => n.length > 0);
}

import { api, asList } from '../api';
import { can, currentSession } from '../auth';
import { formatNumber, formatTime, h, replace } from '../dom';
import { refPicker, type RefPage } from '../components/refPicker';
import { describeError, empty, errorState, loading, notice } from '../components/states';
import { objectTable, toRows, type Row } from '../components/table';

export function render(root: HTMLElement): void {
  const branches = h('section', { class: 'card', id: 'branches' });
  const tags = h('section', { class: 'card', id: 'tags' });
  const log = h('section', { class: 'card', id: 'commit-log' });
  const diff = h('section', { class: 'card', id: 'diff' });
  const merge = h('section', { class: 'card', id: 'merge' });
  root.append(h('div', { class: 'cards-2' }, branches, tags), log, h('div', { class: 'cards-2' }, diff, can('RESEARCHER') ? merge : null));

  // branches a page at a time, newest update first: a research group makes ~1,000 a year
  const me = currentSession()?.name;
  const branchFilter = h('input', { id: 'branch-filter', type: 'search', placeholder: 'Filter branches by name…', 'aria-label': 'Filter branches' });
  const branchMine = h('input', { id: 'branch-mine', type: 'checkbox' });
  const branchTable = h('div', { id: 'branch-table' });
  const branchPager = h('div', { class: 'pager-row', id: 'branch-pager' });
  let branchOffset = 0;
  let filterTimer: ReturnType<typeof setTimeout> | undefined;
  const BRANCH_PAGE = 20;
  const form = can('RESEARCHER') ? createForm('New branch', [['name', 'name'], ['from', 'from ref (default main)']], async (v) => {
    await api('/api/v1/versions/branches', { method: 'POST', body: { name: v.name, from: v.from || 'main' } });
    branchOffset = 0;
    loadBranches();
  }) : null;
  replace(branches, h('h2', {}, 'Branches'),
    h('div', { class: 'toolbar' }, branchFilter, h('label', { class: 'inline', title: 'Only the branches you created' }, branchMine, 'mine')),
    branchTable, branchPager, form);
  branchFilter.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => { branchOffset = 0; loadBranches(); }, 200);
  });
  branchMine.addEventListener('change', () => { branchOffset = 0; loadBranches(); });

  let branchRequest = 0;
  const loadBranches = async () => {
    const id = ++branchRequest;
    replace(branchTable, loading());
    replace(branchPager);
    try {
      const page = await api<RefPage>('/api/v1/versions/refs', {
        query: { kind: 'branch', q: branchFilter.value.trim(), owner: branchMine.checked ? me : undefined, offset: branchOffset, limit: BRANCH_PAGE },
      });
      if (id !== branchRequest) return;
      const rows = page.items as unknown as Row[];
      replace(branchTable, rows.length ? objectTable(rows, [
        { key: 'name', label: 'Branch', render: (r) => h('a', { href: '#/versions', class: 'branch-link', onclick: (e: Event) => { e.preventDefault(); loadLog(String(r.name)); } }, String(r.name)) },
        { key: 'owner', label: 'Owner', render: (r) => String(r.owner ?? '') },
        { key: 'commitId', label: 'Head commit', render: (r) => h('code', {}, short(r.commitId)) },
        { key: 'updatedAt', label: 'Updated', render: (r) => formatTime(r.updatedAt) },
      ], (r) => ({ 'data-branch': String(r.name) })) : empty(branchFilter.value || branchMine.checked ? 'No branch matches' : 'No branches yet',
        branchFilter.value || branchMine.checked ? 'Change the filter.' : 'The first ETL run creates main.'));
      pager(branchPager, page, (offset) => { branchOffset = offset; loadBranches(); });
      if (!log.dataset.branch) loadLog('main');
    } catch (e) {
      if (id !== branchRequest) return;
      replace(branchTable, errorState(e, 'Branches', loadBranches));
      if (!log.dataset.branch) replace(log, h('h2', {}, 'Commit log'), empty('No commit log', 'Branches could not be loaded.'));
    }
  };

  const loadTags = async () => {
    replace(tags, h('h2', {}, 'Tags'), loading());
    try {
      const rows = asList<Row>(await api('/api/v1/versions/tags'), 'tags');
      const form = can('RESEARCHER') ? createForm('New tag', [['name', 'name'], ['ref', 'ref (branch or commit)'], ['message', 'message']], async (v) => {
        await api('/api/v1/versions/tags', { method: 'POST', body: { name: v.name, ref: v.ref || 'main', message: v.message } });
        loadTags();
      }) : null;
      replace(tags, h('h2', {}, 'Tags'),
        rows.length ? objectTable(rows, [
          { key: 'name', label: 'Tag', render: (r) => h('strong', {}, String(r.name)) },
          { key: 'commitId', label: 'Commit', render: (r) => h('code', {}, short(r.commitId ?? r.commit)) },
          { key: 'message', label: 'Message', render: (r) => String(r.message ?? '') },
          { key: 'actions', label: '', render: (r) => can('ADMIN') ? h('button', { class: 'btn btn-small btn-danger', type: 'button', onclick: async () => {
            if (!confirm(`Delete tag ${r.name}? Its data versions may then be vacuumed.`)) return;
            try { await api(`/api/v1/versions/tags/${encodeURIComponent(String(r.name))}`, { method: 'DELETE' }); loadTags(); } catch (e) { tags.append(notice(describeError(e), 'error')); }
          } }, 'Delete') : '' },
        ]) : empty('No tags yet', 'Tag a version to keep it readable for a paper or a comparison.'), form);
    } catch (e) {
      replace(tags, h('h2', {}, 'Tags'), errorState(e, 'Tags', loadTags));
    }
  };

  const LOG_PAGE = 30;
  const loadLog = async (branch: string, offset = 0) => {
    log.dataset.branch = branch;
    replace(log, h('h2', {}, `Commit log of ${branch}`), loading());
    try {
      const answer = await api<Row>(`/api/v1/versions/branches/${encodeURIComponent(branch)}/log`, { query: { offset, limit: LOG_PAGE } });
      const rows = asList<Row>(answer, 'commits');
      const more = answer?.hasMore === true;
      const nav = h('div', { class: 'pager-row', id: 'log-pager' },
        h('button', { class: 'btn btn-small', type: 'button', 'data-page': 'newer', disabled: offset === 0, onclick: () => loadLog(branch, Math.max(0, offset - LOG_PAGE)) }, '← Newer'),
        h('span', { class: 'muted' }, rows.length ? `Commits ${offset + 1}–${offset + rows.length}` : ''),
        h('button', { class: 'btn btn-small', type: 'button', 'data-page': 'older', disabled: !more, onclick: () => loadLog(branch, offset + LOG_PAGE) }, 'Older →'));
      replace(log, h('h2', {}, `Commit log of ${branch}`), rows.length ? objectTable(rows, [
        { key: 'id', label: 'Commit', render: (r) => h('code', { title: String(r.id ?? r.commitId) }, short(r.shortId ?? r.id ?? r.commitId)) },
        { key: 'message', label: 'Message', render: (r) => String(r.message ?? '') },
        { key: 'author', label: 'Author', render: (r) => String(r.author ?? '') },
        { key: 'createdAt', label: 'When', render: (r) => formatTime(r.createdAt ?? r.timestamp ?? r.time) },
        { key: 'tables', label: 'Tables', render: (r) => tablesText(r.tables) },
      ]) : empty('No commits on this branch'), offset > 0 || more ? nav : null);
    } catch (e) {
      replace(log, h('h2', {}, `Commit log of ${branch}`), errorState(e, 'Commit log', () => loadLog(branch, offset)));
    }
  };

  // diff and merge
  const fromPicker = refPicker({ initial: '', label: 'From', allowLatest: false, name: 'diff-from' });
  const toPicker = refPicker({ initial: 'main', label: 'To', allowLatest: false, name: 'diff-to' });
  const diffOut = h('div');
  const diffForm = h('form', { class: 'inline-form' }, fromPicker.element, toPicker.element, h('button', { class: 'btn btn-primary btn-small', type: 'submit' }, 'Compare'));
  diffForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(diffOut, loading());
    try {
      const answer = await api<unknown>('/api/v1/versions/diff', { query: { from: fromPicker.value(), to: toPicker.value() } });
      const rows = toRows(answer, ['table', 'field']);
      replace(diffOut, rows.length ? objectTable(rows) : empty('No differences', 'Both refs point at the same table versions.'));
    } catch (e) {
      replace(diffOut, notice(describeError(e), 'error'));
    }
  });
  replace(diff, h('h2', {}, 'Compare two versions'), h('p', { class: 'muted' }, 'Per table: version, row count and schema changes.'), diffForm, diffOut);

  const sourcePicker = refPicker({ initial: '', label: 'Merge', allowLatest: false, name: 'merge-source', kind: 'branch' });
  const targetPicker = refPicker({ initial: 'main', label: 'into', allowLatest: false, name: 'merge-target', kind: 'branch' });
  const source = { get value() { return sourcePicker.value(); } };
  const target = { get value() { return targetPicker.value(); } };
  const message = h('input', { name: 'message', placeholder: 'message' });
  const mergeOut = h('div');
  const mergeForm = h('form', { class: 'inline-form' }, sourcePicker.element, targetPicker.element, message, h('button', { class: 'btn btn-primary btn-small', type: 'submit' }, 'Merge'));
  mergeForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const answer = await api<Row>('/api/v1/versions/merge', { method: 'POST', body: { source: source.value, target: target.value, message: message.value || `Merge ${source.value} into ${target.value}` } });
      const head = (answer?.head ?? {}) as Row;
      replace(mergeOut, notice(`Merge ${String(answer?.outcome ?? 'done').toLowerCase()}: ${target.value} is now at ${short(head.shortId ?? head.id ?? '')}`, 'ok'));
      loadBranches();
    } catch (e) {
      replace(mergeOut, notice(describeError(e), 'error'));
    }
  });
  replace(merge, h('h2', {}, 'Merge branches'), h('p', { class: 'muted' }, 'Three-way on table level; a table changed on both sides is a conflict. Only admins may move main.'), mergeForm, mergeOut);

  loadBranches();
  loadTags();
}

/** "21–40 of 1,003" with previous/next buttons. */
function pager(box: HTMLElement, page: RefPage, go: (offset: number) => void): void {
  if (!page.total) return;
  const last = page.offset + page.items.length;
  replace(box,
    h('button', { class: 'btn btn-small', type: 'button', 'data-page': 'previous', disabled: page.offset === 0, onclick: () => go(Math.max(0, page.offset - page.limit)) }, '← Previous'),
    h('span', { class: 'muted pager-text' }, `${formatNumber(page.offset + 1)}–${formatNumber(last)} of ${formatNumber(page.total)}`),
    h('button', { class: 'btn btn-small', type: 'button', 'data-page': 'next', disabled: page.nextOffset === null, onclick: () => go(page.nextOffset ?? 0) }, 'Next →'));
}

function short(id: unknown): string {
  const s = id === undefined || id === null ? '' : String(id);
  return s.length > 12 ? s.slice(0, 12) : s;
}

function tablesText(tables: unknown): string {
  if (!tables || typeof tables !== 'object') return '';
  return Object.entries(tables as Record<string, unknown>).map(([t, v]) => `${t}@${v}`).join(', ');
}

function createForm(title: string, fields: [string, string][], submit: (values: Record<string, string>) => Promise<void>): HTMLElement {
  const inputs = fields.map(([name, placeholder]) => h('input', { name, placeholder }));
  const out = h('div');
  const form = h('form', { class: 'inline-form' }, h('strong', {}, title), inputs, h('button', { class: 'btn btn-small', type: 'submit' }, 'Create'), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await submit(Object.fromEntries(inputs.map((i) => [i.name, i.value.trim()])));
    } catch (e) {
      replace(out, notice(describeError(e), 'error'));
    }
  });
  return form;
}

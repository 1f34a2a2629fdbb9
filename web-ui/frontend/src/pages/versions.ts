import { api, asList } from '../api';
import { can } from '../auth';
import { formatTime, h, option, replace } from '../dom';
import { describeError, empty, errorState, loading, notice } from '../components/states';
import { objectTable, toRows, type Row } from '../components/table';

export function render(root: HTMLElement): void {
  const branches = h('section', { class: 'card', id: 'branches' });
  const tags = h('section', { class: 'card', id: 'tags' });
  const log = h('section', { class: 'card', id: 'commit-log' });
  const diff = h('section', { class: 'card', id: 'diff' });
  const merge = h('section', { class: 'card', id: 'merge' });
  root.append(h('div', { class: 'cards-2' }, branches, tags), log, h('div', { class: 'cards-2' }, diff, can('RESEARCHER') ? merge : null));

  let branchNames: string[] = [];
  const loadBranches = async () => {
    replace(branches, h('h2', {}, 'Branches'), loading());
    try {
      const rows = asList<Row>(await api('/api/v1/versions/branches'), 'branches');
      branchNames = rows.map((r) => String(r.name));
      const form = can('RESEARCHER') ? createForm('New branch', [['name', 'name'], ['from', 'from ref (default main)']], async (v) => {
        await api('/api/v1/versions/branches', { method: 'POST', body: { name: v.name, from: v.from || 'main' } });
        loadBranches();
      }) : null;
      replace(branches, h('h2', {}, 'Branches'),
        rows.length ? objectTable(rows, [
          { key: 'name', label: 'Branch', render: (r) => h('a', { href: '#/versions', onclick: (e: Event) => { e.preventDefault(); loadLog(String(r.name)); } }, String(r.name)) },
          { key: 'commitId', label: 'Head commit', render: (r) => h('code', {}, short(r.commitId ?? r.head ?? r.headCommitId)) },
          { key: 'updatedAt', label: 'Updated', render: (r) => formatTime(r.updatedAt ?? r.createdAt) },
        ]) : empty('No branches yet', 'The first ETL run creates main.'), form);
      fillRefLists();
      if (branchNames.length && !log.dataset.branch) loadLog(branchNames.includes('main') ? 'main' : branchNames[0]);
      if (!branchNames.length) replace(log, h('h2', {}, 'Commit log'), empty('No commits yet'));
    } catch (e) {
      replace(branches, h('h2', {}, 'Branches'), errorState(e, 'Branches', loadBranches));
      replace(log, h('h2', {}, 'Commit log'), empty('No commit log', 'Branches could not be loaded.'));
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

  const loadLog = async (branch: string) => {
    log.dataset.branch = branch;
    replace(log, h('h2', {}, `Commit log of ${branch}`), loading());
    try {
      const rows = asList<Row>(await api(`/api/v1/versions/branches/${encodeURIComponent(branch)}/log`, { query: { page: 0, size: 30 } }), 'commits');
      replace(log, h('h2', {}, `Commit log of ${branch}`), rows.length ? objectTable(rows, [
        { key: 'id', label: 'Commit', render: (r) => h('code', { title: String(r.id ?? r.commitId) }, short(r.shortId ?? r.id ?? r.commitId)) },
        { key: 'message', label: 'Message', render: (r) => String(r.message ?? '') },
        { key: 'author', label: 'Author', render: (r) => String(r.author ?? '') },
        { key: 'createdAt', label: 'When', render: (r) => formatTime(r.createdAt ?? r.timestamp ?? r.time) },
        { key: 'tables', label: 'Tables', render: (r) => tablesText(r.tables) },
      ]) : empty('No commits on this branch'));
    } catch (e) {
      replace(log, h('h2', {}, `Commit log of ${branch}`), errorState(e, 'Commit log', () => loadLog(branch)));
    }
  };

  // diff and merge
  const fromInput = h('input', { name: 'from', list: 'ref-list', placeholder: 'from (e.g. a tag)' });
  const toInput = h('input', { name: 'to', list: 'ref-list', placeholder: 'to (e.g. main)', value: 'main' });
  const refList = h('datalist', { id: 'ref-list' });
  const diffOut = h('div');
  const diffForm = h('form', { class: 'inline-form' }, fromInput, toInput, h('button', { class: 'btn btn-primary btn-small', type: 'submit' }, 'Compare'), refList);
  diffForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(diffOut, loading());
    try {
      const answer = await api<unknown>('/api/v1/versions/diff', { query: { from: fromInput.value.trim(), to: toInput.value.trim() } });
      const rows = toRows(answer, ['table', 'field']);
      replace(diffOut, rows.length ? objectTable(rows) : empty('No differences', 'Both refs point at the same table versions.'));
    } catch (e) {
      replace(diffOut, notice(describeError(e), 'error'));
    }
  });
  replace(diff, h('h2', {}, 'Compare two versions'), h('p', { class: 'muted' }, 'Per table: version, row count and schema changes.'), diffForm, diffOut);

  const source = h('input', { name: 'source', list: 'ref-list', placeholder: 'branch', required: true });
  const target = h('input', { name: 'target', list: 'ref-list', value: 'main', required: true });
  const message = h('input', { name: 'message', placeholder: 'message' });
  const mergeOut = h('div');
  const mergeForm = h('form', { class: 'inline-form' }, h('label', {}, 'Merge ', source), h('label', {}, 'into ', target), message, h('button', { class: 'btn btn-primary btn-small', type: 'submit' }, 'Merge'));
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

  const fillRefLists = () => {
    replace(refList, branchNames.map((n) => option(n)));
  };

  loadBranches();
  loadTags();
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

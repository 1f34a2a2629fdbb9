import { api, asList } from '../api';
import { can } from '../auth';
import { formatTime, h, replace } from '../dom';
import { openInEditor } from '../navigation';
import { refPicker } from '../components/refPicker';
import { resultView, type ResultView } from '../components/resultView';
import { describeError, empty, errorState, loading, notice } from '../components/states';
import { runSavedQuery } from '../queries';
import type { SavedQuery } from '../savedQueries';

export function render(root: HTMLElement): () => void {
  const list = h('div', { class: 'saved-list' });
  const detail = h('div', { class: 'saved-detail' });
  let current: ResultView | null = null;
  root.append(h('div', { class: 'split' }, list, detail));
  replace(detail, empty('Pick a saved query', 'Saved queries answer common questions; fill in their parameters and run them.'));

  const show = async () => {
    replace(list, loading());
    try {
      const queries = asList<SavedQuery>(await api('/api/v1/saved-queries'), 'savedQueries', 'queries');
      if (!queries.length) {
        replace(list, empty('No saved queries yet', can('RESEARCHER') ? 'Save one from the SQL editor with "Save as…".' : 'Researchers can save queries for everyone to run.'));
        return;
      }
      replace(list, h('ul', { class: 'table-list' }, queries.map((q) => {
        const item = h('li', { tabindex: 0, 'data-saved-id': String(q.id) },
          h('span', { class: 'table-name' }, q.name ?? `#${q.id}`),
          h('span', { class: 'muted' }, q.description ?? ''));
        item.addEventListener('click', () => {
          list.querySelectorAll('li').forEach((li) => li.classList.remove('active'));
          item.classList.add('active');
          open(q);
        });
        return item;
      })));
    } catch (e) {
      replace(list, errorState(e, 'Saved queries', show));
    }
  };

  const open = (query: SavedQuery) => {
    current?.dispose();
    current = null;
    const params = query.parameters;
    const inputs = new Map(params.map((p) => [p.name, h('input', { name: p.name, value: p.defaultValue ?? '', placeholder: p.description ?? p.name })]));
    const picker = refPicker();
    const results = h('div', { class: 'results-area' });
    const run = h('button', { class: 'btn btn-primary', type: 'submit' }, 'Run');
    const form = h('form', { class: 'param-form' },
      params.length ? params.map((p) => h('label', {}, h('span', {}, p.name, p.type ? h('span', { class: 'muted' }, ` (${p.type.toLowerCase()})`) : null), inputs.get(p.name)!)) : h('p', { class: 'muted' }, 'This query has no parameters.'),
      picker.element, run);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      run.setAttribute('disabled', '');
      current?.dispose();
      try {
        // empty fields are left out so that the saved default applies
        const values = Object.fromEntries([...inputs].filter(([, input]) => input.value.trim() !== '').map(([k, input]) => [k, input.value]));
        current = resultView(await runSavedQuery(String(query.id), values, picker.value()));
        replace(results, current.element);
      } catch (e) {
        replace(results, notice(describeError(e), 'error'));
      } finally {
        run.removeAttribute('disabled');
      }
    });
    const remove = can('RESEARCHER') ? h('button', { class: 'btn btn-small btn-danger', type: 'button' }, 'Delete') : null;
    remove?.addEventListener('click', async () => {
      if (!confirm(`Delete the saved query "${query.name}"?`)) return;
      try {
        await api(`/api/v1/saved-queries/${encodeURIComponent(String(query.id))}`, { method: 'DELETE' });
        replace(detail, notice('Deleted.', 'ok'));
        show();
      } catch (e) {
        replace(results, notice(describeError(e), 'error'));
      }
    });
    replace(detail,
      h('div', { class: 'detail-header' }, h('h2', {}, query.name ?? `#${query.id}`),
        h('span', { class: 'actions' },
          can('RESEARCHER') ? h('button', { class: 'btn btn-small', type: 'button', onclick: () => openInEditor(query.sql ?? '') }, 'Open in editor') : null,
          remove)),
      query.description ? h('p', {}, query.description) : null,
      h('p', { class: 'muted' }, [query.owner, query.updatedAt ? `updated ${formatTime(query.updatedAt)}` : ''].filter(Boolean).join(' · ')),
      query.sql ? h('pre', { class: 'sql-view' }, query.sql) : null,
      form, results);
  };

  show();
  return () => current?.dispose();
}

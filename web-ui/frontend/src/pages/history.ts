import { api, asList, totalOf } from '../api';
import { can } from '../auth';
import { formatNumber, formatTime, h, replace } from '../dom';
import { openInEditor } from '../navigation';
import { resultView, type ResultView } from '../components/resultView';
import { badge, empty, errorState, loading } from '../components/states';
import { objectTable, type Row } from '../components/table';
import { queryState, type QueryState } from '../queries';

const SIZE = 20;

export function render(root: HTMLElement): () => void {
  const list = h('div');
  const detail = h('div', { class: 'results-area' });
  let page = 0;
  let current: ResultView | null = null;
  root.append(h('p', { class: 'muted' }, 'Your recent queries, newest first.'), list, detail);

  const show = async () => {
    replace(list, loading());
    try {
      const answer = await api<unknown>('/api/v1/queries/history', { query: { page, size: SIZE } });
      const rows = asList<Row>(answer, 'queries');
      const total = totalOf(answer, page * SIZE + rows.length);
      if (!rows.length && page === 0) {
        replace(list, empty('No queries yet', can('RESEARCHER') ? 'Queries you run in the SQL editor, Explore or from saved queries show up here.' : 'Queries you run from saved queries show up here.'));
        return;
      }
      replace(list,
        objectTable(rows, [
          { key: 'createdAt', label: 'When', render: (r) => formatTime(r.createdAt ?? r.submittedAt ?? r.startedAt) },
          { key: 'status', label: 'Status', render: (r) => badge(String(r.status ?? '?')) },
          { key: 'sql', label: 'SQL', render: (r) => h('code', { class: 'sql-snippet', title: String(r.sql ?? '') }, String(r.sql ?? '').slice(0, 140)) },
          { key: 'ref', label: 'Version', render: (r) => String(r.ref ?? '') },
          { key: 'rowCount', label: 'Rows', numeric: true, render: (r) => formatNumber(r.rowCount) },
          { key: 'actions', label: '', render: (r) => h('span', { class: 'actions' },
            h('button', { class: 'btn btn-small', type: 'button', onclick: () => showResult(r as unknown as QueryState) }, 'Results'),
            can('RESEARCHER') ? h('button', { class: 'btn btn-small btn-ghost', type: 'button', onclick: () => openInEditor(String(r.sql ?? ''), String(r.ref ?? '')) }, 'Open in editor') : null) },
        ]),
        h('div', { class: 'pager' },
          h('button', { class: 'btn btn-small', type: 'button', disabled: page === 0, onclick: () => { page--; show(); } }, '‹ Newer'),
          h('span', { class: 'muted' }, `Page ${page + 1}`),
          h('button', { class: 'btn btn-small', type: 'button', disabled: (page + 1) * SIZE >= total, onclick: () => { page++; show(); } }, 'Older ›')));
    } catch (e) {
      replace(list, errorState(e, 'Query history', show));
    }
  };

  const showResult = async (q: QueryState) => {
    current?.dispose();
    current = null;
    replace(detail, loading());
    try {
      current = resultView(await queryState(String(q.id)));
      replace(detail, current.element);
      current.element.scrollIntoView({ behavior: 'smooth' });
    } catch (e) {
      replace(detail, errorState(e, 'Query results'));
    }
  };

  show();
  return () => current?.dispose();
}

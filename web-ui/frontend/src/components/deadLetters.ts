import { api, ApiError } from '../api';
import { formatNumber, formatTime, h, option, replace } from '../dom';
import { badge, describeError, empty, errorState, loading, notice } from './states';
import { objectTable, type Row } from './table';

/**
 * The Dead letters section of the Ingest page (admins only; ingest-service checks the role again): records ingest
 * could not stage, kept until an admin replays them after a fix (optionally with a corrected payload) or discards
 * them. See docs/operator-guide.md, "Dead letters".
 */

const BASE = '/api/v1/ingest/dead-letters';
export const PAGE_SIZE = 25;

/** '' = the server's default (pending and replayed, not discarded). */
export type StatusChoice = '' | 'PENDING' | 'REPLAYED' | 'DISCARDED' | 'ALL';

export interface DeadLetterFilter {
  dataset: string;
  site: string;
  reason: string;
  status: StatusChoice;
}

/** Query parameters of the list call; blank criteria are left out. */
export function deadLetterQuery(filter: DeadLetterFilter, page: number, size = PAGE_SIZE): Record<string, string | number | undefined> {
  return {
    dataset: filter.dataset.trim() || undefined,
    site: filter.site.trim() || undefined,
    reason: filter.reason.trim() || undefined,
    status: filter.status || undefined,
    page,
    size,
  };
}

/** The payload of an envelope, pretty-printed for editing; '' when the envelope is no JSON object with a payload object. */
export function payloadText(envelope: string | null | undefined): string {
  if (!envelope) return '';
  try {
    const parsed = JSON.parse(envelope) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return '';
    const payload = (parsed as Record<string, unknown>).payload;
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return '';
    return JSON.stringify(payload, null, 2);
  } catch {
    return '';
  }
}

export type ReplayPlan = { body: undefined; corrected: false } | { body: { payload: Record<string, unknown> }; corrected: true } | { error: string };

/**
 * What a replay sends: nothing (the original payload) when the edited text is empty or means the same JSON as the
 * original payload, else the edited payload, which must be a JSON object.
 */
export function replayPlan(edited: string, original: string): ReplayPlan {
  const text = edited.trim();
  if (!text) return { body: undefined, corrected: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `The payload is not valid JSON: ${(e as Error).message}` };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'The payload must be a JSON object ({"field": value, ...}).' };
  if (original.trim()) {
    try {
      if (JSON.stringify(JSON.parse(original)) === JSON.stringify(parsed)) return { body: undefined, corrected: false };
    } catch {
      // the original is no JSON: the edited payload is a correction
    }
  }
  return { body: { payload: parsed as Record<string, unknown> }, corrected: true };
}

/** The per-field errors of a refused replay (problem property "errors"), as "field: message" lines. */
export function fieldErrors(error: unknown): string[] {
  if (!(error instanceof ApiError) || !error.body || typeof error.body !== 'object') return [];
  const errors = (error.body as Record<string, unknown>).errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e) => {
    const r = (e ?? {}) as Record<string, unknown>;
    return r.field ? `${r.field}: ${r.message ?? ''}` : String(r.message ?? '');
  });
}

export function deadLettersSection(): { element: HTMLElement; setDatasets: (names: string[]) => void } {
  const section = h('section', { class: 'card', id: 'dead-letters' });
  const dataset = h('select', { id: 'dl-dataset' }, option('', 'all datasets'));
  const site = h('input', { id: 'dl-site', placeholder: 'site', size: 10 });
  const reason = h('input', { id: 'dl-reason', placeholder: 'reason contains', size: 22 });
  const status = h('select', { id: 'dl-status' },
    option('', 'pending and replayed'), option('PENDING', 'pending'), option('REPLAYED', 'replayed'),
    option('DISCARDED', 'discarded'), option('ALL', 'all'));
  const filters = h('form', { class: 'inline-form', id: 'dl-filters' }, dataset, site, reason, status,
    h('button', { class: 'btn btn-small btn-primary', type: 'submit' }, 'Show'));
  const list = h('div', { id: 'dl-list', class: 'dl-list' });
  const detail = h('div', { id: 'dl-detail' });
  let page = 0;
  let known: string[] = [];

  const filter = (): DeadLetterFilter => ({ dataset: dataset.value, site: site.value, reason: reason.value, status: status.value as StatusChoice });

  const load = async () => {
    replace(list, loading());
    try {
      const answer = await api<Row>(BASE, { query: deadLetterQuery(filter(), page) });
      const rows = (Array.isArray(answer?.deadLetters) ? answer.deadLetters : []) as Row[];
      const total = typeof answer?.total === 'number' ? answer.total : rows.length;
      if (!rows.length && page === 0) {
        replace(list, empty('No dead letters', 'Records that ingest cannot stage are kept here until an admin replays or discards them.'));
        return;
      }
      replace(list,
        objectTable(rows, [
          { key: 'id', label: '#', numeric: true, render: (r) => String(r.id) },
          { key: 'firstSeen', label: 'First seen', render: (r) => formatTime(r.firstSeen) },
          { key: 'dataset', label: 'Dataset', render: (r) => String(r.dataset ?? '') },
          { key: 'site', label: 'Site', render: (r) => String(r.site ?? '') },
          { key: 'key', label: 'Key', render: (r) => h('code', {}, String(r.key ?? '')) },
          { key: 'reason', label: 'Reason', render: (r) => h('span', { class: 'sql-snippet', title: String(r.reason ?? '') }, String(r.reason ?? '').slice(0, 70)) },
          { key: 'status', label: 'Status', render: (r) => badge(String(r.status)) },
          { key: 'timesReplayed', label: 'Replays', numeric: true, render: (r) => formatNumber(r.timesReplayed) },
          { key: 'actions', label: '', render: (r) => h('button', { class: 'btn btn-small', type: 'button', 'data-inspect': String(r.id), onclick: () => inspect(Number(r.id)) }, 'Inspect') },
        ], (r): Record<string, string> => (r.status === 'PENDING' ? { class: 'row-warn', 'data-id': String(r.id) } : { 'data-id': String(r.id) })),
        h('div', { class: 'pager' },
          h('button', { class: 'btn btn-small', type: 'button', disabled: page === 0, onclick: () => { page--; load(); } }, '‹ Newer'),
          h('span', { class: 'muted', id: 'dl-count' }, `${page * PAGE_SIZE + 1}–${page * PAGE_SIZE + rows.length} of ${formatNumber(total)}`),
          h('button', { class: 'btn btn-small', type: 'button', disabled: (page + 1) * PAGE_SIZE >= total, onclick: () => { page++; load(); } }, 'Older ›')));
    } catch (e) {
      replace(list, errorState(e, 'Dead letters', load));
    }
  };

  const inspect = async (id: number) => {
    replace(detail, loading());
    try {
      showDetail(await api<Row>(`${BASE}/${id}`));
    } catch (e) {
      replace(detail, errorState(e, `Dead letter ${id}`));
    }
  };

  const showDetail = (letter: Row, message?: HTMLElement) => {
    const id = Number(letter.id);
    const original = payloadText(letter.envelope as string);
    const lastReplay = letter.lastReplay as Row | null;
    const editor = h('textarea', { id: 'dl-payload', rows: 12, spellcheck: 'false', class: 'dl-editor' });
    // after a replay, start from the payload that was replayed last
    editor.value = payloadText(lastReplay?.envelope as string) || original;
    const out = h('div', { id: 'dl-outcome' }, message ?? null);
    const discarded = letter.status === 'DISCARDED';
    const replay = h('button', { class: 'btn btn-small btn-primary', type: 'button', id: 'dl-replay', disabled: discarded }, 'Replay');
    const note = h('input', { id: 'dl-note', placeholder: 'why (kept for audit)', size: 30, disabled: discarded });
    const discard = h('button', { class: 'btn btn-small btn-danger', type: 'button', id: 'dl-discard', disabled: discarded }, 'Discard');
    replay.addEventListener('click', async () => {
      const plan = replayPlan(editor.value, original);
      if ('error' in plan) {
        replace(out, notice(plan.error, 'error'));
        return;
      }
      replay.setAttribute('disabled', '');
      try {
        const answer = await api<Row>(`${BASE}/${id}/replay`, { method: 'POST', body: plan.body });
        const last = (answer?.lastReplay ?? {}) as Row;
        showDetail(answer, notice(`Replayed${plan.corrected ? ' with the corrected payload' : ''} to ${last.topic ?? ''} partition ${last.partition ?? '?'} offset ${last.offset ?? '?'}; ingest stages it like any record.`, 'ok'));
        load();
      } catch (e) {
        const errors = fieldErrors(e);
        replace(out, notice(describeError(e), 'error'), errors.length ? h('ul', { class: 'error-text', id: 'dl-field-errors' }, errors.map((x) => h('li', {}, x))) : null);
        replay.removeAttribute('disabled');
      }
    });
    discard.addEventListener('click', async () => {
      if (!confirm(`Discard dead letter ${id}? It is kept for audit but can no longer be replayed.`)) return;
      discard.setAttribute('disabled', '');
      try {
        const answer = await api<Row>(`${BASE}/${id}/discard`, { method: 'POST', body: note.value.trim() ? { note: note.value.trim() } : {} });
        showDetail(answer, notice(`Dead letter ${id} discarded.`, 'ok'));
        load();
      } catch (e) {
        replace(out, notice(describeError(e), 'error'));
        discard.removeAttribute('disabled');
      }
    });
    const discardInfo = letter.discarded as Row | null;
    replace(detail, h('div', { class: 'dl-detail', 'data-id': String(id) },
      h('div', { class: 'detail-header' },
        h('h3', {}, `Dead letter #${id} `, badge(String(letter.status))),
        h('button', { class: 'btn btn-small btn-ghost', type: 'button', onclick: () => replace(detail) }, 'Close')),
      h('dl', { class: 'dl-facts' },
        fact('Dataset', String(letter.dataset ?? '')),
        fact('Site', String(letter.site ?? '—')),
        fact('Key', String(letter.key ?? '')),
        fact('Consumed from', `${letter.topic} partition ${letter.partition} offset ${letter.offset}`),
        fact('First seen', formatTime(letter.firstSeen)),
        fact('Sent to Kafka', formatTime(letter.kafkaTimestamp)),
        fact('Times replayed', formatNumber(letter.timesReplayed)),
        lastReplay ? fact('Last replay', `${formatTime(lastReplay.at)} by ${lastReplay.by}, partition ${lastReplay.partition} offset ${lastReplay.offset}`) : null,
        discardInfo ? fact('Discarded', `${formatTime(discardInfo.at)} by ${discardInfo.by}${discardInfo.note ? `: ${discardInfo.note}` : ''}`) : null,
        letter.replayOf ? fact('Replay of', `#${letter.replayOf}`) : null),
      h('h4', {}, 'Reason'),
      h('pre', { class: 'error-text dl-reason' }, String(letter.reason ?? '')),
      h('h4', {}, `Envelope (${formatNumber(letter.envelopeBytes)} bytes${letter.envelopeUtf8 === false ? ', not valid UTF-8: shown with replacement characters' : ''})`),
      h('pre', { class: 'sql-view dl-envelope', id: 'dl-envelope' }, String(letter.envelope ?? '')),
      discarded ? notice('Discarded letters are kept for audit only and cannot be replayed.', 'info') : h('div', {},
        h('h4', {}, 'Replay after a fix'),
        h('p', { class: 'muted' }, 'Publishes the record again to its dataset\'s topic with the original site and receive time. Leave the payload as it is to replay the original (e.g. after a descriptor fix), or correct it: it is validated first, and a still-invalid payload is refused with the errors.'),
        editor,
        h('div', { class: 'inline-form' }, replay, note, discard)),
      out));
    detail.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  };

  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    page = 0;
    load();
  });
  replace(section, h('h2', {}, 'Dead letters'),
    h('p', { class: 'muted' }, 'Records ingest could not stage, newest first. Pending ones never expire; replay them after a fix or discard them (discarded ones are kept for audit, hidden by default).'),
    filters, list, detail);
  load();

  return {
    element: section,
    setDatasets: (names: string[]) => {
      if (names.join() === known.join()) return;
      known = names;
      const selected = dataset.value;
      replace(dataset, option('', 'all datasets'), names.map((n) => option(n, n, n === selected)));
    },
  };
}

function fact(label: string, value: string): HTMLElement[] {
  return [h('dt', {}, label), h('dd', {}, value)];
}

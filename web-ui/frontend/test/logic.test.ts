// Pure logic of the front end, run with node's test runner after a Vite SSR bundle (npm test).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildExploreSql, identifier, stringLiteral, type ExploreSpec } from '../src/sqlgen';
import { toRows } from '../src/components/table';
import { placeholdersIn } from '../src/savedQueries';
import { pivot } from '../src/components/chart';
import { ApiError, asList, totalOf } from '../src/api';
import { deadLetterQuery, fieldErrors, payloadText, replayPlan } from '../src/components/deadLetters';
import { api } from '../src/api';
import { signInFailure } from '../src/signIn';
import { isFreeRef, PAGE_SIZE, refQuery } from '../src/components/refPicker';
import { countdown, formatWait, parseRetryAfter, signInWaitMessage } from '../src/wait';

const columns = [
  { name: 'site', type: 'varchar' },
  { name: 'requestedcpus', type: 'integer' },
  { name: 'cpuefficiency', type: 'double' },
  { name: 'finaltimestamp', type: 'timestamp(3) with time zone' },
  { name: 'order', type: 'varchar' },
];
const base: ExploreSpec = { schema: 'lakehouse', table: 'trace', columns, filters: [], groupBy: '', metric: { fn: 'count' }, limit: 100 };

test('explore without grouping counts rows', () => {
  assert.equal(buildExploreSql(base), 'SELECT count(*) AS row_count\nFROM lakehouse.trace\nLIMIT 100');
});

test('explore quotes values by column type and escapes quotes', () => {
  const sql = buildExploreSql({
    ...base,
    filters: [
      { column: 'site', op: '=', value: "O'Brien" },
      { column: 'requestedcpus', op: 'in', value: '1, 8, x' },
      { column: 'finaltimestamp', op: '>=', value: '2026-01-01' },
      { column: 'site', op: 'contains', value: 'CE' },
      { column: 'site', op: '=', value: '   ' },
    ],
  });
  assert.match(sql, /WHERE site = 'O''Brien'\n {2}AND requestedcpus IN \(1, 8, 'x'\)\n {2}AND finaltimestamp >= TIMESTAMP '2026-01-01 00:00:00 UTC'\n {2}AND site LIKE '%CE%'\nLIMIT/);
});

test('explore groups by time buckets in time order and by categories by size', () => {
  assert.equal(buildExploreSql({ ...base, groupBy: 'month:finaltimestamp', metric: { fn: 'max', column: 'cpuefficiency' }, limit: 0 }),
    "SELECT date_trunc('month', finaltimestamp) AS month, max(cpuefficiency) AS max_cpuefficiency\nFROM lakehouse.trace\n"
    + "GROUP BY date_trunc('month', finaltimestamp)\nORDER BY month\nLIMIT 100");
  assert.equal(buildExploreSql({ ...base, groupBy: 'order', metric: { fn: 'count_distinct', column: 'site' }, limit: 99999 }),
    'SELECT "order", count(DISTINCT site) AS distinct_site\nFROM lakehouse.trace\nGROUP BY "order"\nORDER BY distinct_site DESC\nLIMIT 10000');
});

test('identifiers and literals are quoted only when needed', () => {
  assert.equal(identifier('site'), 'site');
  assert.equal(identifier('Site'), '"Site"');
  assert.equal(identifier('select'), '"select"');
  assert.equal(identifier('a"b'), '"a""b"');
  assert.equal(stringLiteral("it's"), "'it''s'");
});

test('stats of any nesting become rows', () => {
  assert.deepEqual(toRows({ since: 'x', totals: { accepted: 3 }, sites: [{ site: 'CERN', dataset: 'trace', accepted: 3 }] }),
    [{ site: 'CERN', dataset: 'trace', accepted: 3 }]);
  assert.deepEqual(toRows({ CERN: { trace: { accepted: 1 }, jdl: { accepted: 2 } } }, ['site', 'dataset']),
    [{ site: 'CERN', dataset: 'trace', accepted: 1 }, { site: 'CERN', dataset: 'jdl', accepted: 2 }]);
  assert.deepEqual(toRows([{ a: { b: 1 } }]), [{ 'a.b': 1 }]);
  assert.deepEqual(toRows(null), []);
});

test('saved query placeholders are found as the gateway finds them: outside literals, comments and :: casts', () => {
  assert.deepEqual(placeholdersIn("SELECT x::varchar, ':no' FROM t WHERE a = :site AND b > {{ since }} AND c = :site"),
    ['site', 'since']);
  assert.deepEqual(placeholdersIn('SELECT "a:b", \'it\'\':s :no\' -- :no\n/* {{no}} */ FROM t WHERE x = :_x1 AND y = {{y}}'),
    ['_x1', 'y']);
  assert.deepEqual(placeholdersIn('SELECT ${notOne} FROM t'), []);
});

test('result rows pivot into chart series', () => {
  const data = pivot(['site', 'dataset', 'n'], [['CERN', 'trace', 3], ['FZK', 'trace', '4'], ['CERN', 'jdl', null]], 'site', 'n', 'dataset', 'bar');
  assert.deepEqual(data.labels, ['CERN', 'FZK']);
  assert.deepEqual(data.datasets, [{ label: 'trace', data: [3, 4] }, { label: 'jdl', data: [null, null] }]);
});

test('pages are read from arrays or wrappers', () => {
  assert.deepEqual(asList([1, 2]), [1, 2]);
  assert.deepEqual(asList({ page: 0, total: 5, runs: [{ id: 1 }] }, 'runs'), [{ id: 1 }]);
  assert.deepEqual(asList({ items: [3] }), [3]);
  assert.deepEqual(asList('x'), []);
  assert.equal(totalOf({ total: 5 }, 0), 5);
  assert.equal(totalOf({}, 7), 7);
});

test('dead-letter filters become query parameters without blank criteria', () => {
  assert.deepEqual(deadLetterQuery({ dataset: '', site: ' ', reason: '', status: '' }, 0),
    { dataset: undefined, site: undefined, reason: undefined, status: undefined, page: 0, size: 25 });
  assert.deepEqual(deadLetterQuery({ dataset: 'trace', site: ' CERN ', reason: 'walltime', status: 'DISCARDED' }, 2, 10),
    { dataset: 'trace', site: 'CERN', reason: 'walltime', status: 'DISCARDED', page: 2, size: 10 });
});

test('the payload of a dead letter is shown for editing only when the envelope holds one', () => {
  assert.equal(payloadText('{"dataset":"trace","site":"GSI","payload":{"job_id":1,"walltime":"forever"}}'),
    '{\n  "job_id": 1,\n  "walltime": "forever"\n}');
  assert.equal(payloadText('<trace job=1/>'), '');
  assert.equal(payloadText('{"payload":[1]}'), '');
  assert.equal(payloadText('[]'), '');
  assert.equal(payloadText(null), '');
});

test('a replay sends the corrected payload only when it differs from the original', () => {
  const original = '{\n  "job_id": 1,\n  "walltime": "forever"\n}';
  assert.deepEqual(replayPlan(original, original), { body: undefined, corrected: false });
  assert.deepEqual(replayPlan('{"job_id":1,"walltime":"forever"}', original), { body: undefined, corrected: false }, 'same JSON, other layout');
  assert.deepEqual(replayPlan('  ', original), { body: undefined, corrected: false });
  assert.deepEqual(replayPlan('{"job_id":1,"walltime":4200}', original), { body: { payload: { job_id: 1, walltime: 4200 } }, corrected: true });
  assert.deepEqual(replayPlan('{"job_id":1}', ''), { body: { payload: { job_id: 1 } }, corrected: true });
  assert.match((replayPlan('{"job_id":', original) as { error: string }).error, /not valid JSON/);
  assert.match((replayPlan('[1, 2]', original) as { error: string }).error, /must be a JSON object/);
  assert.match((replayPlan('null', original) as { error: string }).error, /must be a JSON object/);
});

test('per-field errors of a refused replay are listed', () => {
  const refused = new ApiError(400, 'Replay refused', 'still invalid', { errors: [{ field: 'walltime', message: 'expected an integer' }, { field: null, message: 'a record must be a JSON object' }] });
  assert.deepEqual(fieldErrors(refused), ['walltime: expected an integer', 'a record must be a JSON object']);
  assert.deepEqual(fieldErrors(new ApiError(409, 'Conflict', 'discarded', { detail: 'discarded' })), []);
  assert.deepEqual(fieldErrors(new Error('x')), []);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(parseRetryAfter('150'), 150);
  assert.equal(parseRetryAfter(' 30 '), 30);
  const now = Date.parse('2026-03-01T12:00:00Z');
  assert.equal(parseRetryAfter('Sun, 01 Mar 2026 12:02:30 GMT', now), 150);
  assert.equal(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now), 0, 'a date in the past: no wait');
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(''), undefined);
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter('-5'), undefined);
});

test('waits read as minutes and seconds', () => {
  assert.equal(formatWait(150), '2 min 30 s');
  assert.equal(formatWait(120), '2 min');
  assert.equal(formatWait(45), '45 s');
  assert.equal(formatWait(29.2), '30 s', 'never promises less than the wait');
  assert.equal(formatWait(0), '0 s');
  assert.equal(formatWait(-3), '0 s');
  assert.equal(formatWait(900), '15 min');
  assert.equal(formatWait(3600), '1 h');
  assert.equal(formatWait(3905), '1 h 5 min');
  assert.equal(signInWaitMessage(150), 'Too many failed sign-ins - try again in 2 min 30 s.');
  assert.equal(signInWaitMessage(0), 'You can sign in again now.');
});

test('the countdown ticks every second down to zero and then stops', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let clock = 1_000_000;
  const seen: number[] = [];
  countdown(3, (left) => seen.push(left), () => clock);
  for (let i = 0; i < 5; i++) {
    clock += 1000;
    t.mock.timers.tick(1000);
  }
  assert.deepEqual(seen, [3, 2, 1, 0]);

  const late: number[] = [];
  const stop = countdown(100, (left) => late.push(left), () => clock);
  clock += 61_000; // the tab slept for a minute
  t.mock.timers.tick(1000);
  stop();
  clock += 1000;
  t.mock.timers.tick(1000);
  assert.deepEqual(late, [100, 39], 'catches up with the clock; nothing after stop');
});

async function withFetch<T>(answer: () => Response, call: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch;
  globalThis.fetch = async () => answer();
  try {
    return await call();
  } finally {
    globalThis.fetch = original;
  }
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to fail');
}

test('a throttled sign-in (429 + Retry-After) says how long to wait instead of a generic error', async () => {
  const throttled = () => new Response(JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429,
    detail: 'Too many failed logins for this user or from this address: try again in 150 s.', retryAfterSeconds: 150 }),
  { status: 429, headers: { 'Retry-After': '150', 'Content-Type': 'application/problem+json' } });
  const error = await withFetch(throttled, () => failureOf(api('/api/me', { signingIn: 'Basic dmljOnZpYy1wdw==' })));
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 429);
  assert.equal(error.retryAfterSeconds, 150);
  assert.deepEqual(signInFailure(error), { message: 'Too many failed sign-ins - try again in 2 min 30 s.', waitSeconds: 150 });

  // the header wins; the body's figure when a proxy dropped the header
  const bodyOnly = () => new Response('{"status":429,"retryAfterSeconds":90}', { status: 429 });
  const fromBody = await withFetch(bodyOnly, () => failureOf(api('/api/me', { signingIn: 'Basic eDp5' })));
  assert.equal((fromBody as ApiError).retryAfterSeconds, 90);
  assert.equal(signInFailure(fromBody).message, 'Too many failed sign-ins - try again in 1 min 30 s.');

  const wrong = () => new Response('', { status: 401 });
  const denied = await withFetch(wrong, () => failureOf(api('/api/me', { signingIn: 'Basic eDp5' })));
  assert.deepEqual(signInFailure(denied), { message: 'Wrong user name or password.' });
});

test('another call refused with 429 keeps the service\'s detail, or says how long to wait', async () => {
  const bare = () => new Response('', { status: 429, headers: { 'Retry-After': '150' } });
  const error = await withFetch(bare, () => failureOf(api('/api/v1/stats', { signingIn: 'Basic eDp5' })));
  assert.equal((error as ApiError).detail, 'Too many requests: try again in 2 min 30 s.');
  const busy = () => new Response('{"title":"Too Many Requests","detail":"too many requests in flight (64); retry later"}',
    { status: 429, headers: { 'Retry-After': '5' } });
  const inflight = await withFetch(busy, () => failureOf(api('/api/v1/stats', { signingIn: 'Basic eDp5' })));
  assert.equal((inflight as ApiError).detail, 'too many requests in flight (64); retry later');
  assert.equal((inflight as ApiError).retryAfterSeconds, 5);
});

test('the ref picker filters by typed text and "mine" on the server, one page at a time', () => {
  assert.deepEqual(refQuery('  lat1 ', false, 'rita'), { q: 'lat1', owner: undefined, kind: undefined, offset: undefined, limit: PAGE_SIZE });
  assert.deepEqual(refQuery('', true, 'rita', 50, 'branch'), { q: undefined, owner: 'rita', kind: 'branch', offset: 50, limit: PAGE_SIZE });
});

test('commit ids, v: and ts: refs can be typed without being listed', () => {
  for (const ref of ['v:12', 'ts:2026-01-01T00:00:00Z', 'cafe01', '0123456789abcdef'.repeat(4)]) assert.equal(isFreeRef(ref), true, ref);
  for (const ref of ['lat1', 'v:', 'main', 'caf', 'exp 1']) assert.equal(isFreeRef(ref), false, ref);
});

// Pure logic of the front end, run with node's test runner after a Vite SSR bundle (npm test).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildExploreSql, identifier, stringLiteral, type ExploreSpec } from '../src/sqlgen';
import { toRows } from '../src/components/table';
import { parametersOf } from '../src/pages/saved';
import { pivot } from '../src/components/chart';
import { ApiError, asList, totalOf } from '../src/api';
import { deadLetterQuery, fieldErrors, payloadText, replayPlan } from '../src/components/deadLetters';

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

test('saved query parameters come from their definitions, else from placeholders outside literals', () => {
  assert.deepEqual(parametersOf({ id: 1, sql: 'x', parameters: [{ name: 'site', type: 'STRING', defaultValue: 'CERN' }] }),
    [{ name: 'site', type: 'STRING', defaultValue: 'CERN', description: undefined }]);
  assert.deepEqual(parametersOf({ id: 1, sql: "SELECT x::varchar, ':no' FROM t WHERE a = :site AND b > {{ since }} AND c = :site" }).map((p) => p.name),
    ['site', 'since']);
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

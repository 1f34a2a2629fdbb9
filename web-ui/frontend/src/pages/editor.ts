import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type Completion } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { sql, StandardSQL, type SQLNamespace } from '@codemirror/lang-sql';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { api } from '../api';
import { can } from '../auth';
import { loadCatalog, type Catalog } from '../catalog';
import { h, option, replace } from '../dom';
import { EDITOR_REF_KEY, EDITOR_SQL_KEY } from '../navigation';
import { PARAMETER_TYPES, placeholdersIn, type ParameterType, type SavedQueryInput } from '../savedQueries';
import { refPicker } from '../components/refPicker';
import { resultView, type ResultView } from '../components/resultView';
import { describeError, notice } from '../components/states';
import { submitQuery } from '../queries';


/** Tables and columns for lang-sql's completion, from the live catalog or the dataset descriptors. */
export function sqlNamespace(catalog: Catalog): SQLNamespace {
  const namespace: Record<string, Record<string, Completion[]>> = {};
  for (const schema of catalog.schemas) {
    namespace[schema.name] = {};
    for (const table of schema.tables) {
      namespace[schema.name][table.name] = table.columns.map((c) => ({
        label: c.name, type: 'property', detail: c.type, info: c.description || undefined,
      }));
    }
  }
  return namespace;
}

export function render(root: HTMLElement): () => void {
  const sqlLanguage = new Compartment();
  const picker = refPicker({ initial: sessionStorage.getItem(EDITOR_REF_KEY) ?? undefined });
  const maxRows = h('input', { type: 'number', min: 1, max: 1000000, value: 10000, class: 'max-rows', 'aria-label': 'Row limit' });
  const runButton = h('button', { class: 'btn btn-primary', type: 'button', id: 'run-query', title: 'Ctrl+Enter' }, 'Run');
  const saveButton = can('RESEARCHER') ? h('button', { class: 'btn', type: 'button', id: 'save-query' }, 'Save as…') : null;
  const schemaNote = h('span', { class: 'muted schema-note' });
  const saveArea = h('div', { class: 'save-area' });
  const results = h('div', { class: 'results-area' });
  let current: ResultView | null = null;

  const run = async () => {
    const text = view.state.doc.toString().trim();
    if (!text) {
      replace(results, notice('Write a query first, e.g. SELECT site, count(*) FROM trace GROUP BY site', 'info'));
      return;
    }
    sessionStorage.setItem(EDITOR_REF_KEY, picker.value());
    runButton.setAttribute('disabled', '');
    current?.dispose();
    current = null;
    try {
      const state = await submitQuery(text, picker.value(), Number(maxRows.value) || undefined);
      current = resultView(state);
      replace(results, current.element);
    } catch (e) {
      replace(results, notice(describeError(e), 'error'));
    } finally {
      runButton.removeAttribute('disabled');
    }
  };

  const view = new EditorView({
    parent: h('div'),
    state: EditorState.create({
      doc: sessionStorage.getItem(EDITOR_SQL_KEY) ?? 'SELECT site, count(*) AS jobs, avg(cpuefficiency) AS avg_cpu_efficiency\nFROM lakehouse.trace\nGROUP BY site\nORDER BY jobs DESC\nLIMIT 20',
      extensions: [
        lineNumbers(),
        highlightActiveLine(),
        history(),
        bracketMatching(),
        closeBrackets(),
        autocompletion({ activateOnTyping: true }),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        placeholder('SELECT … FROM lakehouse.trace'),
        keymap.of([
          { key: 'Mod-Enter', run: () => { run(); return true; } },
          ...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab,
        ]),
        sqlLanguage.of(sql({ dialect: StandardSQL, upperCaseKeywords: true })),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) sessionStorage.setItem(EDITOR_SQL_KEY, u.state.doc.toString());
        }),
        EditorView.lineWrapping,
        EditorView.theme({
          '&': { minHeight: '200px', maxHeight: '45vh' },
          '.cm-scroller': { overflow: 'auto' },
          '.cm-content, .cm-gutter': { minHeight: '200px' },
        }),
      ],
    }),
  });
  view.dom.classList.add('sql-editor');

  // autocomplete offers the tables of the chosen version (a branch's tables only at that branch)
  const loadNamespace = () => loadCatalog(false, picker.value()).then((catalog) => {
    view.dispatch({
      effects: sqlLanguage.reconfigure(sql({
        dialect: StandardSQL, upperCaseKeywords: true, schema: sqlNamespace(catalog), defaultSchema: catalog.schemas[0]?.name,
      })),
    });
    schemaNote.textContent = catalog.source === 'gateway'
      ? 'autocomplete: live catalog'
      : 'autocomplete: dataset definitions (query-gateway catalog unavailable)';
    schemaNote.setAttribute('data-source', catalog.source);
    schemaNote.setAttribute('data-ref', catalog.ref ?? '');
    schemaNote.setAttribute('data-tables', catalog.schemas.flatMap((s) => s.tables.map((t) => `${s.name}.${t.name}`)).join(' '));
  }).catch((e) => (schemaNote.textContent = `no autocomplete: ${describeError(e)}`));
  loadNamespace();
  picker.onChange(() => {
    sessionStorage.setItem(EDITOR_REF_KEY, picker.value());
    loadNamespace();
  });

  runButton.addEventListener('click', run);
  saveButton?.addEventListener('click', () => showSaveForm(saveArea, () => view.state.doc.toString()));

  root.append(
    h('div', { class: 'toolbar' }, runButton, picker.element, h('label', { class: 'inline' }, 'Row limit ', maxRows), saveButton, schemaNote),
    saveArea,
    h('div', { class: 'editor-box' }, view.dom),
    results,
  );
  replace(results, h('div', { class: 'state state-empty' }, h('strong', {}, 'No results yet'), h('p', {}, 'Run a query with the Run button or Ctrl+Enter. Type a table name and a dot to see its columns.')));
  view.focus();
  return () => {
    current?.dispose();
    view.destroy();
  };
}

function showSaveForm(area: HTMLElement, sqlText: () => string): void {
  const name = h('input', { name: 'name', required: true, placeholder: 'CPU efficiency per site' });
  const description = h('input', { name: 'description', placeholder: 'what it answers (optional)' });
  const placeholders = placeholdersIn(sqlText());
  const parameterRows = placeholders.map((param) => ({
    name: param,
    type: h('select', { 'data-param-type': param }, PARAMETER_TYPES.map((t) => option(t))),
    defaultValue: h('input', { 'data-param-default': param, placeholder: 'default (empty: required)' }),
  }));
  const message = h('div');
  const form = h('form', { class: 'inline-form', id: 'save-form' },
    h('label', {}, 'Name ', name), h('label', {}, 'Description ', description),
    h('button', { class: 'btn btn-primary btn-small', type: 'submit' }, 'Save'),
    h('button', { class: 'btn btn-small btn-ghost', type: 'button', onclick: () => replace(area) }, 'Close'),
    parameterRows.length
      ? h('div', { class: 'param-defs' }, h('strong', {}, 'Parameters'), parameterRows.map((r) => h('label', {}, h('code', {}, `:${r.name}`), r.type, r.defaultValue)))
      : h('span', { class: 'muted' }, 'Tip: use :name placeholders for parameters, e.g. WHERE site = :site'),
    message);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const parameters = parameterRows.map((r) => ({ name: r.name, type: r.type.value as ParameterType, defaultValue: r.defaultValue.value.trim() || null, description: null }));
      const body: SavedQueryInput = { name: name.value.trim(), description: description.value.trim(), sql: sqlText(), parameters };
      await api('/api/v1/saved-queries', { method: 'POST', body });
      replace(message, notice(`Saved "${name.value.trim()}".`, 'ok'));
    } catch (e) {
      replace(message, notice(describeError(e), 'error'));
    }
  });
  replace(area, form);
  name.focus();
}

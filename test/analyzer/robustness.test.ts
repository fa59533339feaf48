import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, RULE_IDS, type AnalysisResult, type AnalyzeOptions } from '../../src/analyzer/index.js';

/**
 * analyze() promises never to throw and to come back quickly whatever it is given, because the
 * review bot runs it on every pull request's files. These properties hold it to that promise on
 * noise, on generated C API code and on mutated real-looking extension code, and check that every
 * line it reports points into the file.
 */

/** Wall-clock allowance for one call on a small input; far above what a healthy analysis needs. */
const SMALL_INPUT_MS = 2_000;

function rowCount(source: string): number {
  return source.split('\n').length;
}

function timedAnalyze(source: string, options: AnalyzeOptions): { result: AnalysisResult; ms: number } {
  const start = performance.now();
  const result = analyze(source, options);
  return { result, ms: performance.now() - start };
}

/** Everything that must hold of any result, for any input. */
function expectWellFormed(source: string, options: AnalyzeOptions, result: AnalysisResult): void {
  const rows = rowCount(source);
  const inFile = (line: number) => Number.isInteger(line) && line >= 1 && line <= rows;

  for (const fn of result.functions) {
    expect(inFile(fn.startLine) && inFile(fn.endLine) && fn.startLine <= fn.endLine, `function ${fn.name} at ${fn.startLine}-${fn.endLine} of ${rows}`).toBe(true);
    if (fn.status.kind === 'skipped') expect(fn.status.reason.trim()).not.toBe('');
    if (options.touchedLines === undefined) expect(fn.status.kind).not.toBe('not-touched');
  }

  // A function skipped past its path budget keeps the findings of the paths it did walk.
  const walked = result.functions.filter((fn) => fn.status.kind !== 'not-touched');
  for (const finding of result.findings) {
    expect(RULE_IDS).toContain(finding.rule);
    expect(finding.file).toBe(options.path);
    expect(finding.message.trim()).not.toBe('');
    expect(finding.fingerprint).not.toBe('');
    expect(inFile(finding.line) && inFile(finding.endLine) && finding.line <= finding.endLine, `finding at ${finding.line}-${finding.endLine} of ${rows}`).toBe(true);
    expect(
      walked.some((fn) => fn.startLine <= finding.line && finding.line <= fn.endLine),
      `finding at ${finding.line} lies in a function that was walked`,
    ).toBe(true);
    for (const step of finding.trace) expect(inFile(step.line), `trace step at ${step.line} of ${rows}`).toBe(true);
    for (const edit of finding.fix?.edits ?? []) {
      expect(inFile(edit.startLine) && inFile(edit.endLine) && edit.startLine <= edit.endLine, `edit ${edit.startLine}-${edit.endLine} of ${rows}`).toBe(true);
    }
  }

  // analyze() turns its own exceptions into this diagnostic so the bot survives them; inputs must never reach it.
  expect(result.diagnostics.filter((d) => d.message.startsWith('internal error'))).toEqual([]);
  for (const diagnostic of result.diagnostics) {
    if (diagnostic.line !== undefined) expect(inFile(diagnostic.line), `diagnostic at ${diagnostic.line} of ${rows}`).toBe(true);
  }
}

interface Expectations {
  /** Wall-clock allowance for the call. */
  readonly ms?: number;
  /** Analyse a second time and require the same result; off where inputs are costly and many. */
  readonly twice?: boolean;
}

/** Never throws, comes back within its time, is well formed, and (when asked) gives the same answer twice. */
function expectRobust(source: string, options: AnalyzeOptions, { ms = SMALL_INPUT_MS, twice = true }: Expectations = {}): AnalysisResult {
  const first = timedAnalyze(source, options);
  expect(first.ms, `analyze took ${Math.round(first.ms)} ms`).toBeLessThan(ms);
  expectWellFormed(source, options, first.result);
  if (twice) expect(analyze(source, options)).toEqual(first.result);
  return first.result;
}

/** The engine reports every function it sees; before it lands analyze() reports none, and the checks that need reports wait. */
const engineReports = analyze('int f(void)\n{\n    return 0;\n}\n', { path: 'probe.c' }).functions.length > 0;

// ---------------------------------------------------------------------------------------------
// Generated C: statements of C API code in the shapes extension modules use.

const VARIABLES = ['a', 'b', 'item', 'result'] as const;
const variable = fc.constantFrom(...VARIABLES);

const simpleStatement: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(variable, fc.constantFrom('PyList_New(0)', 'PyLong_FromLong(n)', 'PyUnicode_FromString("x")', 'PyObject_GetAttrString(self, "attr")', 'PyObject_CallObject(func, NULL)', 'Py_BuildValue("(NO)", a, b)')).map(([v, call]) => `${v} = ${call};`),
  fc.tuple(variable, fc.constantFrom('PyList_GetItem(list, i)', 'PyTuple_GetItem(args, 0)', 'PyDict_GetItemString(dict, "k")', 'PyList_GET_ITEM(list, 0)')).map(([v, call]) => `${v} = ${call};`),
  fc.tuple(fc.constantFrom('Py_DECREF', 'Py_XDECREF', 'Py_INCREF', 'Py_XINCREF', 'Py_CLEAR'), variable).map(([macro, v]) => `${macro}(${v});`),
  fc.tuple(variable, variable).map(([x, y]) => `Py_SETREF(${x}, ${y});`),
  fc.tuple(variable, variable).map(([x, y]) => `if (PyList_SetItem(${x}, 0, ${y}) < 0) goto error;`),
  fc.tuple(variable, variable).map(([x, y]) => `PyTuple_SET_ITEM(${x}, 0, ${y});`),
  fc.tuple(variable, variable).map(([x, y]) => `if (PyModule_AddObject(${x}, "name", ${y}) < 0) goto error;`),
  variable.map((v) => `if (${v} == NULL) goto error;`),
  variable.map((v) => `if (!${v}) return NULL;`),
  variable.map((v) => `self->field = ${v};`),
  variable.map((v) => `Py_DECREF(self->field);`.replace('field', `${v}_field`)),
  variable.map((v) => `return ${v};`),
  fc.constantFrom('Py_RETURN_NONE;', 'break;', 'continue;', 'goto error;', 'goto done;', 'n++;', ';', 'return NULL;'),
  variable.map((v) => `if (!PyArg_ParseTuple(args, "O", &${v})) return NULL;`),
);

const statement: fc.Arbitrary<string> = fc.letrec<{ statement: string; block: string }>((tie) => ({
  block: fc.array(tie('statement'), { maxLength: 4 }).map((body) => `{\n${body.join('\n')}\n}`),
  statement: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    simpleStatement,
    fc.tuple(variable, tie('block')).map(([v, body]) => `if (${v} == NULL) ${body}`),
    fc.tuple(variable, tie('block'), tie('block')).map(([v, then, otherwise]) => `if (${v} != NULL) ${then} else ${otherwise}`),
    tie('block').map((body) => `while (n < 10) ${body}`),
    tie('block').map((body) => `for (i = 0; i < n; i++) ${body}`),
    tie('block').map((body) => `do ${body} while (PyErr_Occurred() == NULL);`),
    fc.tuple(tie('block'), tie('block')).map(([one, other]) => `switch (n) {\ncase 0: ${one}\ncase 1: ${other} break;\ndefault: break;\n}`),
    fc.tuple(fc.constantFrom('retry', 'again'), tie('statement')).map(([label, body]) => `${label}:\n${body}`),
    tie('block'),
  ),
})).statement;

const generatedFunction: fc.Arbitrary<string> = fc.array(statement, { minLength: 1, maxLength: 6 }).map(
  (body) =>
    [
      'static PyObject *',
      'generated(PyObject *self, PyObject *args)',
      '{',
      `    PyObject ${VARIABLES.map((v) => `*${v} = NULL`).join(', ')};`,
      '    PyObject *list = NULL, *dict = NULL, *func = NULL;',
      '    Py_ssize_t i, n = 0;',
      ...body,
      'done:',
      '    return result;',
      'error:',
      ...VARIABLES.map((v) => `    Py_XDECREF(${v});`),
      '    return NULL;',
      '}',
      '',
    ].join('\n'),
);

// ---------------------------------------------------------------------------------------------
// Seeds for mutation: real-looking extension code, each with its own ownership idioms.

const SEEDS: readonly { readonly path: string; readonly source: string }[] = [
  {
    path: 'seed_module.c',
    source: `#include <Python.h>

static PyObject *
pairs_from_mapping(PyObject *module, PyObject *mapping)
{
    PyObject *items = NULL, *result = NULL, *pair;
    Py_ssize_t i, n;

    items = PyMapping_Items(mapping);
    if (items == NULL)
        goto error;
    n = PyList_GET_SIZE(items);
    result = PyList_New(n);
    if (result == NULL)
        goto error;
    for (i = 0; i < n; i++) {
        pair = PyList_GET_ITEM(items, i);
        Py_INCREF(pair);
        PyList_SET_ITEM(result, i, pair);
    }
    Py_DECREF(items);
    return result;

error:
    Py_XDECREF(items);
    Py_XDECREF(result);
    return NULL;
}
`,
  },
  {
    path: 'seed_type.c',
    source: `typedef struct {
    PyObject_HEAD
    PyObject *callback;
    PyObject *cache;
} Watcher;

static void
Watcher_dealloc(Watcher *self)
{
    PyObject_GC_UnTrack(self);
    Py_CLEAR(self->callback);
    Py_XDECREF(self->cache);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int
Watcher_init(Watcher *self, PyObject *args, PyObject *kwds)
{
    PyObject *callback;
    if (!PyArg_ParseTuple(args, "O:Watcher", &callback))
        return -1;
    if (!PyCallable_Check(callback)) {
        PyErr_SetString(PyExc_TypeError, "callback must be callable");
        return -1;
    }
    Py_INCREF(callback);
    Py_XSETREF(self->callback, callback);
    return 0;
}
`,
  },
  {
    path: 'seed_switch.c',
    source: `static PyObject *
describe(PyObject *self, PyObject *args)
{
    int kind;
    PyObject *name, *value;

    if (!PyArg_ParseTuple(args, "i", &kind))
        return NULL;
    switch (kind) {
    case 0:
        name = PyUnicode_FromString("zero");
        break;
    case 1:
        name = PyUnicode_FromString("one");
        break;
    default:
        Py_RETURN_NONE;
    }
    if (name == NULL)
        return NULL;
    value = Py_BuildValue("(Ni)", name, kind);
    return value;
}
`,
  },
  {
    path: 'seed_binding.cpp',
    source: `#include <Python.h>
#include <string>

namespace apt {

PyObject *Cache::lookup(PyObject *key)
{
    PyObject *found = PyDict_GetItem(entries, key);
    if (found != nullptr) {
        Py_INCREF(found);
        return found;
    }
    try {
        std::string name = describe(key);
        PyObject *text = PyUnicode_FromStringAndSize(name.data(), name.size());
        if (text == nullptr)
            return nullptr;
        if (PyDict_SetItem(entries, key, text) < 0) {
            Py_DECREF(text);
            return nullptr;
        }
        return text;
    } catch (const std::exception &error) {
        PyErr_SetString(PyExc_RuntimeError, error.what());
        return nullptr;
    }
}

auto make_handler = [](PyObject *arg) -> PyObject * {
    PyObject *list = PyList_New(1);
    if (!list) return nullptr;
    Py_INCREF(arg);
    PyList_SET_ITEM(list, 0, arg);
    return list;
};

}
`,
  },
];

const TOKEN = /[A-Za-z_]\w*|\d+|"(?:\\.|[^"\\\n])*"|\S/g;

type Mutation =
  | { readonly kind: 'delete-line' | 'duplicate-line' | 'delete-token' | 'duplicate-token'; readonly at: number }
  | { readonly kind: 'swap-lines' | 'swap-tokens'; readonly at: number; readonly with: number };

function applyMutation(source: string, mutation: Mutation): string {
  if (mutation.kind.endsWith('line') || mutation.kind === 'swap-lines') {
    const lines = source.split('\n');
    const i = mutation.at % lines.length;
    if (mutation.kind === 'delete-line') lines.splice(i, 1);
    else if (mutation.kind === 'duplicate-line') lines.splice(i, 0, lines[i] ?? '');
    else if (mutation.kind === 'swap-lines') {
      const j = (mutation as { with: number }).with % lines.length;
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
    }
    return lines.join('\n');
  }
  const tokens = [...source.matchAll(TOKEN)];
  if (tokens.length === 0) return source;
  const token = tokens[mutation.at % tokens.length] as RegExpExecArray;
  const start = token.index;
  const end = start + token[0].length;
  if (mutation.kind === 'delete-token') return source.slice(0, start) + source.slice(end);
  if (mutation.kind === 'duplicate-token') return `${source.slice(0, end)} ${token[0]}${source.slice(end)}`;
  const other = tokens[(mutation as { with: number }).with % tokens.length] as RegExpExecArray;
  if (other.index === start) return source;
  const [first, second] = other.index < start ? [other, token] : [token, other];
  return (
    source.slice(0, first.index) +
    second[0] +
    source.slice(first.index + first[0].length, second.index) +
    first[0] +
    source.slice(second.index + second[0].length)
  );
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete-line', 'duplicate-line', 'delete-token', 'duplicate-token') as fc.Arbitrary<'delete-line'>, at: fc.nat() }),
  fc.record({ kind: fc.constantFrom('swap-lines', 'swap-tokens') as fc.Arbitrary<'swap-lines'>, at: fc.nat(), with: fc.nat() }),
);

// ---------------------------------------------------------------------------------------------
// Noise.

const C_TOKENS = ['{', '}', '(', ')', ';', ',', '*', '&', '->', '=', '==', '!', '\n', ' ', 'if', 'else', 'goto', 'error:', 'return', 'switch', 'case 1:', 'while', 'for', 'do', '#define X', '#if 0', '#endif', '/*', '*/', '//', '"', "'", '\\', 'PyObject', 'Py_DECREF', 'Py_XDECREF', 'Py_INCREF', 'PyList_New', 'NULL', 'x', 'self->f', '[]', 'try', 'catch', 'class', 'template<', '>', '::', 'auto', '[&]'];

const noise: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...C_TOKENS), maxLength: 200 }),
);

// ---------------------------------------------------------------------------------------------

describe('analyze() on arbitrary input', () => {
  it('never throws and stays well formed on random strings', () => {
    fc.assert(
      fc.property(noise, fc.constantFrom('noise.c', 'noise.cpp', 'noise.h'), (source, path) => {
        expectRobust(source, { path });
      }),
      { numRuns: 150 },
    );
  });

  it('never throws and stays well formed on generated C API code, under any path budget', () => {
    fc.assert(
      fc.property(generatedFunction, fc.option(fc.constantFrom(1, 10, 100), { nil: undefined }), fc.boolean(), (source, budget, summaries) => {
        expectRobust(source, { path: 'generated.c', budget, summaries }, { twice: false });
      }),
      { numRuns: 50 },
    );
  });

  it('gives the same result twice for the same generated code', () => {
    fc.assert(
      fc.property(generatedFunction, (source) => {
        expectRobust(source, { path: 'generated.c' });
      }),
      { numRuns: 15 },
    );
  });

  it('analyses only functions that contain a touched line, and reports nothing outside them', () => {
    fc.assert(
      fc.property(generatedFunction, generatedFunction, fc.array(fc.nat({ max: 120 }), { maxLength: 6 }), (one, other, picked) => {
        const source = `${one}\n${other}`;
        const touchedLines = new Set(picked.map((line) => 1 + (line % rowCount(source))));
        const result = expectRobust(source, { path: 'generated.c', touchedLines }, { twice: false });
        for (const fn of result.functions) {
          const touched = [...touchedLines].some((line) => fn.startLine <= line && line <= fn.endLine);
          if (!touched) expect(fn.status.kind, `${fn.name} ${fn.startLine}-${fn.endLine} untouched`).toBe('not-touched');
          else expect(fn.status.kind).not.toBe('not-touched');
        }
      }),
      { numRuns: 15 },
    );
  });

  it('reports no finding when the diff touches no line', () => {
    fc.assert(
      fc.property(generatedFunction, (source) => {
        const result = expectRobust(source, { path: 'generated.c', touchedLines: new Set() }, { twice: false });
        expect(result.findings).toEqual([]);
        expect(result.functions.filter((fn) => fn.status.kind === 'analysed')).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });

  it('never throws and stays well formed on mutated extension code', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
        const source = mutations.reduce(applyMutation, seed.source);
        expectRobust(source, { path: seed.path });
      }),
      { numRuns: 120 },
    );
  });

  it('mutations change the seed they are given, so the property above explores more than the seeds', () => {
    const seed = SEEDS[0]?.source ?? '';
    expect(applyMutation(seed, { kind: 'delete-line', at: 8 })).not.toBe(seed);
    expect(applyMutation(seed, { kind: 'swap-tokens', at: 3, with: 40 })).not.toBe(seed);
    expect(applyMutation('a b c', { kind: 'swap-tokens', at: 0, with: 2 })).toBe('c b a');
    expect(applyMutation('x;\ny;', { kind: 'duplicate-line', at: 1 })).toBe('x;\ny;\ny;');
  });
});

describe('analyze() on hostile fixed inputs', () => {
  const smallFunction = (name: string) =>
    `static PyObject *\n${name}(PyObject *self, PyObject *arg)\n{\n    PyObject *list = PyList_New(0);\n    if (list == NULL)\n        return NULL;\n    if (PyList_Append(list, arg) < 0) {\n        Py_DECREF(list);\n        return NULL;\n    }\n    return list;\n}\n`;

  it('handles a 3 MB file: a generated data table with functions around it', () => {
    const row = '    {0x0041, 0x0061, 0x0000, 0x0001, "LATIN CAPITAL LETTER A"},\n';
    const table = `static const struct entry table[] = {\n${row.repeat(Math.ceil((3 * 1024 * 1024) / row.length))}};\n`;
    const source = `${smallFunction('before')}\n${table}\n${smallFunction('after')}`;
    expect(source.length).toBeGreaterThan(3 * 1024 * 1024);
    // One call only: today this takes several times the 1.5 s a plain parse of it takes.
    expectRobust(source, { path: 'unicodedata_db.c' }, { ms: 15_000, twice: false });
  });

  it('handles 3000 nested blocks and 3000 nested if statements', () => {
    const depth = 3000;
    const blocks = `void deep(PyObject *x)\n{\n${'{\n'.repeat(depth)}Py_DECREF(x);\n${'}\n'.repeat(depth)}}\n`;
    const ifs = `PyObject *deep_if(PyObject *x)\n{\n${'if (x) {\n'.repeat(depth)}Py_INCREF(x);\nreturn x;\n${'}\n'.repeat(depth)}return NULL;\n}\n`;
    expectRobust(blocks, { path: 'deep.c' }, { ms: 5_000 });
    expectRobust(ifs, { path: 'deep_if.c' }, { ms: 5_000 });
  });

  const manyIfs = (count: number) => {
    const body = Array.from(
      { length: count },
      (_, i) => `    if (flags & ${1 << i % 30}) {\n        item = PyLong_FromLong(${i});\n        if (item == NULL) goto error;\n        Py_DECREF(item);\n    }`,
    );
    return `static PyObject *\nexploding(PyObject *self, PyObject *args)\n{\n    PyObject *item;\n    long flags = PyLong_AsLong(args);\n${body.join('\n')}\n    Py_RETURN_NONE;\nerror:\n    return NULL;\n}\n`;
  };

  it('comes back quickly from a function with 200 sequential if statements', () => {
    expectRobust(manyIfs(200), { path: 'explode.c' }, { ms: 5_000, twice: false });
  });

  it.runIf(engineReports)('reports the 200-if function as analysed, or as skipped with a reason', () => {
    const source = manyIfs(200);
    const result = analyze(source, { path: 'explode.c' });
    const fn = result.functions.find((report) => report.name === 'exploding');
    expect(fn).toBeDefined();
    expect(['analysed', 'skipped']).toContain(fn?.status.kind);
  });

  it.runIf(engineReports)('reports a function as skipped, with a reason, once the budget is spent', () => {
    const result = analyze(manyIfs(40), { path: 'explode.c', budget: 10 });
    const fn = result.functions.find((report) => report.name === 'exploding');
    expect(fn?.status.kind).toBe('skipped');
    if (fn?.status.kind === 'skipped') expect(fn.status.reason.trim()).not.toBe('');
  });

  it('handles replacement characters from non-UTF-8 bytes and lone surrogates', () => {
    const latin1 = Buffer.from('/* auteur: Fran\xe7ois */\nstatic PyObject *s = "caf\xe9";\n', 'latin1');
    const decoded = latin1.toString('utf8');
    expect(decoded).toContain('\uFFFD');
    const source = `${decoded}${smallFunction('na\uFFFDme')}${smallFunction('ok').replace('list = ', 'list = /* \uD800 */ ')}`;
    expectRobust(source, { path: 'latin1.c' });
    expectRobust(`\uDC00${'x'.repeat(8191)}\uD83D\uDE00${smallFunction('after_pair')}`, { path: 'surrogates.c' });
  });

  it('handles NUL bytes at the start, inside a function and inside a string', () => {
    const fn = smallFunction('with_nul');
    expectRobust(`\0${fn}`, { path: 'nul.c' });
    expectRobust(fn.replace('if (list == NULL)', 'if (list == \0NULL)'), { path: 'nul.c' });
    expectRobust(fn.replace('return list;', 'return list; /* "\0" */'), { path: 'nul.cpp' });
    expectRobust('\0'.repeat(10_000), { path: 'zeros.h' });
  });

  it('handles CRLF line endings and a file without a final newline', () => {
    const fn = smallFunction('crlf').replace(/\n/g, '\r\n');
    expectRobust(fn, { path: 'crlf.c' });
    expectRobust(smallFunction('no_newline').trimEnd(), { path: 'no_newline.c' });
  });

  it('handles the empty file and whitespace only', () => {
    expect(analyze('', { path: 'empty.c' })).toEqual(expect.objectContaining({ findings: [] }));
    expectRobust('   \n\t\n', { path: 'blank.h' });
  });
});

import { describe, expect, it } from 'vitest';
import { findFunctions } from '../../../src/analyzer/parse/functions.js';
import type { ParsedFunction, SyntaxNode } from '../../../src/analyzer/parse/types.js';

function byName(functions: readonly ParsedFunction[], name: string): ParsedFunction {
  const found = functions.find((fn) => fn.name === name);
  if (!found) throw new Error(`no function ${name} among ${functions.map((fn) => fn.name).join(', ')}`);
  return found;
}

function summary(fn: ParsedFunction): Record<string, unknown> {
  return { name: fn.name, kind: fn.kind, className: 'className' in fn ? fn.className : undefined };
}

function hasDescendant(node: SyntaxNode, type: string): boolean {
  return node.descendantsOfType(type).length > 0;
}

describe('findFunctions on C', () => {
  const source = [
    '#include "clinic/module.c.h"', // 1
    '', // 2
    'static PyObject *', // 3
    'module_exec(PyObject *Py_UNUSED(module), PyObject *args)', // 4
    '{', // 5
    '    return NULL;', // 6
    '}', // 7
    '', // 8
    'int', // 9
    'count(const char *const *argv, int (*cb)(int), ...)', // 10
    '{', // 11
    '    return 0;', // 12
    '}', // 13
    '', // 14
    'PyMODINIT_FUNC', // 15
    'PyInit_module(void)', // 16
    '{', // 17
    '    return PyModuleDef_Init(&module_def);', // 18
    '}', // 19
    'Py_LOCAL_INLINE(int) fast(int x) { return x; }', // 20
  ].join('\n');
  const parsed = findFunctions(source, 'c');

  it('finds every definition with its name, lines, return type and linkage', () => {
    expect(parsed.functions.map((fn) => [fn.name, fn.startLine, fn.endLine])).toEqual([
      ['module_exec', 3, 7],
      ['count', 9, 13],
      ['PyInit_module', 15, 19],
      ['fast', 20, 20],
    ]);
    const exec = byName(parsed.functions, 'module_exec');
    expect(exec).toMatchObject({ kind: 'function', returnType: 'PyObject *', isStatic: true, hasErrors: false });
    expect(byName(parsed.functions, 'count')).toMatchObject({ returnType: 'int', isStatic: false });
    expect(byName(parsed.functions, 'PyInit_module')).toMatchObject({ returnType: 'PyObject *', parameters: [] });
    expect(byName(parsed.functions, 'fast')).toMatchObject({ returnType: 'int', isStatic: true });
  });

  it('gives parameter names with their types, Py_UNUSED names included', () => {
    expect(byName(parsed.functions, 'module_exec').parameters).toEqual([
      { name: 'module', type: 'PyObject *' },
      { name: 'args', type: 'PyObject *' },
    ]);
    expect(byName(parsed.functions, 'count').parameters).toEqual([
      { name: 'argv', type: 'const char *const *' },
      { name: 'cb', type: 'int (*)(int)' },
      { type: '...' },
    ]);
  });

  it('hands over the definition and body nodes, the tree and a clean error list', () => {
    const exec = byName(parsed.functions, 'module_exec');
    expect(exec.node.type).toBe('function_definition');
    expect(exec.body.type).toBe('compound_statement');
    expect(exec.body.startPosition.row).toBe(4);
    expect(parsed.tree.rootNode.type).toBe('translation_unit');
    expect(parsed.errors).toEqual([]);
    expect(parsed.language).toBe('c');
  });

  it('keeps offsets of the original text after non-ASCII characters', () => {
    const text = '/* é 😀 */\nint f(void) { return 1; }\n';
    const fn = byName(findFunctions(text, 'c').functions, 'f');
    expect(fn.node.startIndex).toBe(text.indexOf('int f'));
    expect(text.slice(fn.body.startIndex, fn.body.endIndex)).toBe('{ return 1; }');
  });
});

describe('findFunctions on C++', () => {
  const source = [
    'namespace ns {', // 1
    'int f(int a) {', // 2
    '  auto l = [&](int x) -> int { return x; };', // 3
    '  return l(a);', // 4
    '}', // 5
    '}', // 6
    'extern "C" { static int g(void) { return 0; } }', // 7
    'class Graph {', // 8
    ' public:', // 9
    '  Graph() : x(0) {}', // 10
    '  ~Graph() {}', // 11
    '  int m(int y) const { return y; }', // 12
    '  bool operator==(const Graph &) const { return true; }', // 13
    '  Graph(const Graph &) = default;', // 14
    '  struct Inner { void run() {} };', // 15
    '  int x;', // 16
    '};', // 17
    'Graph::Graph(int z) : x(z) {}', // 18
    'Graph::~Graph() {}', // 19
    'template <typename T> T tmax(T a, T b) { return a > b ? a : b; }', // 20
    'bool Graph::operator<(const Graph &o) const { return x < o.x; }', // 21
    'int Foo::bar(int q = 3) { return q; }', // 22
    'int ns::helper() { return 1; }', // 23
    'void h() try { } catch (...) { }', // 24
  ].join('\n');
  const parsed = findFunctions(source, 'cpp');

  it('names and classifies every kind of definition', () => {
    expect(parsed.functions.map(summary)).toEqual([
      { name: 'f', kind: 'function', className: undefined },
      { name: '<lambda at 3>', kind: 'lambda', className: undefined },
      { name: 'g', kind: 'function', className: undefined },
      { name: 'Graph::Graph', kind: 'constructor', className: 'Graph' },
      { name: 'Graph::~Graph', kind: 'destructor', className: 'Graph' },
      { name: 'Graph::m', kind: 'method', className: 'Graph' },
      { name: 'Graph::operator==', kind: 'method', className: 'Graph' },
      { name: 'Graph::Inner::run', kind: 'method', className: 'Graph::Inner' },
      { name: 'Graph::Graph', kind: 'constructor', className: 'Graph' },
      { name: 'Graph::~Graph', kind: 'destructor', className: 'Graph' },
      { name: 'tmax', kind: 'function', className: undefined },
      { name: 'Graph::operator<', kind: 'method', className: 'Graph' },
      { name: 'Foo::bar', kind: 'method', className: 'Foo' },
      { name: 'ns::helper', kind: 'function', className: undefined },
      { name: 'h', kind: 'function', className: undefined },
    ]);
    expect(parsed.functions.every((fn) => !fn.hasErrors)).toBe(true);
  });

  it('gives lambdas their own entry, body and trailing return type', () => {
    const lambda = byName(parsed.functions, '<lambda at 3>');
    expect(lambda).toMatchObject({ startLine: 3, endLine: 3, returnType: 'int', parameters: [{ name: 'x', type: 'int' }] });
    expect(lambda.node.type).toBe('lambda_expression');
    expect(lambda.body.text).toBe('{ return x; }');
  });

  it('finds lambdas nested in lambdas', () => {
    const nested = findFunctions('void f() {\n auto a = [] {\n  auto b = [](int y) { return y; };\n };\n}', 'cpp');
    expect(nested.functions.map((fn) => fn.name)).toEqual(['f', '<lambda at 2>', '<lambda at 3>']);
  });

  it('gives constructor and destructor lines, parameters and no return type', () => {
    const outOfClass = parsed.functions.filter((fn) => fn.name === 'Graph::Graph')[1];
    expect(outOfClass).toMatchObject({ startLine: 18, endLine: 18, returnType: '', parameters: [{ name: 'z', type: 'int' }] });
  });

  it('drops a default argument from the parameter type', () => {
    expect(byName(parsed.functions, 'Foo::bar').parameters).toEqual([{ name: 'q', type: 'int' }]);
  });

  it('takes the try statement as the body of a function-try-block', () => {
    expect(byName(parsed.functions, 'h').body.type).toBe('try_statement');
  });
});

describe('findFunctions on macro-heavy CPython code', () => {
  it('keeps the statements after Py_BEGIN_ALLOW_THREADS, return included', () => {
    const source = [
      'static PyObject *',
      'os_close_impl(PyObject *module, int fd)',
      '{',
      '    int res;',
      '    Py_BEGIN_ALLOW_THREADS',
      '    res = close(fd);',
      '    Py_END_ALLOW_THREADS',
      '    if (res < 0)',
      '        return posix_error();',
      '    Py_RETURN_NONE;',
      '}',
    ].join('\n');
    const fn = byName(findFunctions(source, 'c').functions, 'os_close_impl');
    expect(fn.hasErrors).toBe(false);
    const returns = fn.body.descendantsOfType('return_statement');
    expect(returns.map((node) => node.startPosition.row + 1)).toEqual([9]);
    expect(fn.body.namedChildren.map((node) => node.type)).toEqual([
      'declaration',
      'compound_statement',
      'if_statement',
      'expression_statement',
    ]);
  });

  it('still finds, clean, the functions around a statement macro without a semicolon', () => {
    const source = [
      'static PyObject *',
      'buffered_simple_flush(buffered *self, PyObject *args)',
      '{',
      '    CHECK_INITIALIZED(self)',
      '    return PyObject_CallMethodNoArgs(self->raw, &_Py_ID(flush));',
      '}',
      '',
      'static int',
      'buffered_closed(buffered *self)',
      '{',
      '    Py_VISIT(self->raw)',
      '    return 0;',
      '}',
    ].join('\n');
    const parsed = findFunctions(source, 'c');
    expect(parsed.functions.map((fn) => [fn.name, fn.hasErrors])).toEqual([
      ['buffered_simple_flush', false],
      ['buffered_closed', false],
    ]);
    expect(hasDescendant(byName(parsed.functions, 'buffered_simple_flush').body, 'return_statement')).toBe(true);
  });

  it('reads an if/else split by #ifdef one branch at a time', () => {
    const source = [
      'static void',
      'setup(int *pa, int *args, void *pIunk)',
      '{',
      '#ifdef MS_WIN32',
      '    if (pIunk) {',
      '        pa = &args[1];',
      '    } else',
      '#endif',
      '        pa = &args[0];',
      '    use(pa);',
      '}',
    ].join('\n');
    const parsed = findFunctions(source, 'c');
    expect(byName(parsed.functions, 'setup').hasErrors).toBe(false);
    expect(parsed.errors).toEqual([]);
    expect(parsed.parsedText.length).toBe(source.length);
  });

  it.each(['c', 'cpp'] as const)('reads a #define in a body, comment over continued lines and all, as one statement (%s)', (language) => {
    const source = [
      'static int',
      'to_decimal(PyObject **out)',
      '{',
      '    PyObject *str = PyUnicode_New(1, 127);',
      '#define WRITE_DIGITS(p) \\',
      '    do { \\',
      '        /* one digit, \\',
      '           then the sign */ \\',
      "        *--p = '0'; \\",
      '    } while (0)',
      '    WRITE_DIGITS(p);',
      '#undef WRITE_DIGITS',
      '    *out = str;',
      '    return 0;',
      '}',
    ].join('\n');
    const fn = byName(findFunctions(source, language).functions, 'to_decimal');
    expect(fn).toMatchObject({ hasErrors: false, startLine: 1, endLine: 15 });
    expect(fn.body.namedChildren.map((node) => [node.type, node.startPosition.row + 1])).toEqual([
      ['declaration', 4],
      ['preproc_function_def', 5],
      ['expression_statement', 11],
      ['preproc_call', 12],
      ['expression_statement', 13],
      ['return_statement', 14],
    ]);
  });

  it('reports a broken body and its error line, and keeps the next function clean', () => {
    const source = ['int broken(void)', '{', '    x = (1 + ;', '    return 0;', '}', 'int fine(void) { return 1; }'].join('\n');
    const parsed = findFunctions(source, 'c');
    expect(parsed.functions.map((fn) => [fn.name, fn.hasErrors])).toEqual([
      ['broken', true],
      ['fine', false],
    ]);
    expect(parsed.errors.length).toBeGreaterThan(0);
    expect(parsed.errors.every((error) => error.line === 3)).toBe(true);
  });

  it('never takes an `else if` cut off by an #if for a function named `if`', () => {
    const source = [
      'static int',
      'as_int(PyObject *o)',
      '{',
      '    PyObject *obj;',
      '    if (Py_TYPE(o)->tp_as_number != NULL) {',
      '        obj = Py_TYPE(o)->tp_as_number->nb_int(o);',
      '        Py_DECREF(obj);',
      '    }',
      '#if !defined(NPY_PY3K)',
      '    else if (Py_TYPE(o)->tp_as_number != NULL &&',
      '             Py_TYPE(o)->tp_as_number->nb_long != NULL) {',
      '        obj = Py_TYPE(o)->tp_as_number->nb_long(o);',
      '        Py_DECREF(obj);',
      '    }',
      '#endif',
      '    return 0;',
      '}',
    ].join('\n');
    const names = findFunctions(source, 'c').functions.map((fn) => fn.name);
    expect(names).toContain('as_int');
    expect(names).not.toContain('if');
  });
});

describe('findFunctions on large and deep input', () => {
  it('walks 5000 nested blocks without overflowing the stack', () => {
    const depth = 5000;
    const source = `int deep(void) {\n${'{'.repeat(depth)}\nx = 1;\n${'}'.repeat(depth)}\nreturn 0;\n}\nint after(void) { return 1; }\n`;
    const parsed = findFunctions(source, 'c');
    expect(parsed.functions.map((fn) => fn.name)).toEqual(['deep', 'after']);
    expect(byName(parsed.functions, 'after').startLine).toBe(7);
  });

  it('finds every function of a 3 MB file', { timeout: 120_000 }, () => {
    const unit = 'static PyObject *\nf_NAME(PyObject *self, PyObject *args)\n{\n    Py_BEGIN_ALLOW_THREADS\n    x = 1;\n    Py_END_ALLOW_THREADS\n    return NULL;\n}\n';
    const count = Math.ceil((3 * 1024 * 1024) / unit.length);
    const source = Array.from({ length: count }, (_, i) => unit.replace('NAME', String(i))).join('');
    const parsed = findFunctions(source, 'c');
    expect(source.length).toBeGreaterThan(3 * 1024 * 1024);
    expect(parsed.functions).toHaveLength(count);
    expect(parsed.functions.every((fn) => !fn.hasErrors)).toBe(true);
    const last = parsed.functions[count - 1];
    expect(last?.name).toBe(`f_${count - 1}`);
    expect(last?.endLine).toBe(count * 8);
  });
});

describe('findFunctions on headers', () => {
  it('falls back to C for a header that C++ cannot read, when asked to', () => {
    const source = 'static inline int twice(int new) { return new + new; }\n';
    expect(findFunctions(source, 'cpp').language).toBe('cpp');
    const retried = findFunctions(source, 'cpp', { retryWithC: true });
    expect(retried.language).toBe('c');
    expect(retried.functions.map((fn) => [fn.name, fn.hasErrors])).toEqual([['twice', false]]);
  });

  it('keeps the C++ tree of a header that C++ reads', () => {
    const source = 'class A { int m() { return 1; } };\n';
    const parsed = findFunctions(source, 'cpp', { retryWithC: true });
    expect(parsed.language).toBe('cpp');
    expect(parsed.functions.map((fn) => fn.name)).toEqual(['A::m']);
  });
});

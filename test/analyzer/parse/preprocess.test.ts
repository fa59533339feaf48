import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MACRO_RULES, preprocess } from '../../../src/analyzer/parse/preprocess.js';

const TOKENS = [
  'Py_BEGIN_ALLOW_THREADS', 'Py_END_ALLOW_THREADS', 'Py_UNUSED(x)', 'Py_LOCAL_INLINE(int)', 'PyMODINIT_FUNC',
  'PyObject_HEAD', 'PyVarObject_HEAD_INIT(NULL, 0)', 'Py_TRASHCAN_BEGIN(op, f)', 'CHECK(self)', 'FOO_BAR',
  'PyMODINIT_FUNC(', 'Py_UNUSED(', '(', ')', '{', '}', ';', ':', ',', '"', "'", '\\', '/*', '*/', '//', '#', '#if 0',
  '#else', '#endif', '\n', '\r\n', ' ', '\t', 'x', 'return y;', 'é', '😀',
];

const cLike = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((parts) => parts.join(''));

function newlinePositions(text: string): number[] {
  return [...text.matchAll(/\n/g)].map((match) => match.index);
}

describe('preprocess', () => {
  it('keeps the length and every line break of any input', () => {
    fc.assert(
      fc.property(fc.oneof(cLike, fc.string()), (source) => {
        const out = preprocess(source);
        expect(out.length).toBe(source.length);
        expect(newlinePositions(out)).toEqual(newlinePositions(source));
      }),
      { numRuns: 500 },
    );
  });

  it('turns the allow-threads pair into a block at the macros own columns', () => {
    const source = '    Py_BEGIN_ALLOW_THREADS\n    n = read(fd);\n    Py_END_ALLOW_THREADS\n';
    expect(preprocess(source)).toBe(
      '    {                     \n    n = read(fd);\n    }                   \n',
    );
  });

  it('keeps the parameter name of Py_UNUSED where it was written', () => {
    const source = 'f(PyObject *Py_UNUSED(ignored))';
    const out = preprocess(source);
    expect(out.indexOf('ignored')).toBe(source.indexOf('ignored'));
    expect(out).not.toContain('Py_UNUSED');
  });

  it('keeps the return type and the linkage of Py_LOCAL_INLINE', () => {
    expect(preprocess('Py_LOCAL_INLINE(int) f(void)')).toBe('static inline   int  f(void)');
  });

  it('spells PyMODINIT_FUNC as the PyObject pointer it returns', () => {
    expect(preprocess('PyMODINIT_FUNC\nPyInit_x(void)')).toBe('PyObject *    \nPyInit_x(void)');
  });

  it('blanks PyObject_HEAD together with a semicolon written after it', () => {
    const blanked = ' '.repeat('PyObject_HEAD;'.length);
    expect(preprocess('struct s { PyObject_HEAD; int x; };')).toBe(`struct s { ${blanked} int x; };`);
  });

  it('leaves macros in comments, strings and preprocessor directives alone', () => {
    const source = [
      '/* Py_BEGIN_ALLOW_THREADS */',
      'const char *s = "Py_END_ALLOW_THREADS";',
      '#define Py_BEGIN_ALLOW_THREADS { \\',
      '    Py_UNBLOCK_THREADS',
      '// PyObject_HEAD',
    ].join('\n');
    expect(preprocess(source)).toBe(source);
  });

  it('ends a statement macro written without a semicolon, keeping its name', () => {
    const source = '{\n    CHECK_INITIALIZED(self)\n    return x;\n}';
    expect(preprocess(source)).toBe('{\n    CHECK_INITIALIZED;     \n    return x;\n}');
  });

  it('blanks a bare statement macro between statements', () => {
    const source = '{\n   x = 1;\n   PyCbObj_END_ALLOW_THREADS\n   return x;\n}';
    expect(preprocess(source)).toBe('{\n   x = 1;\n                            \n   return x;\n}');
  });

  it('leaves a macro that continues an expression or ends an initializer', () => {
    const continued = '{\n    x = f(a,\n          MACRO(b)\n          );\n}';
    const lastEnumerator = 'enum {\n    FIRST_ONE,\n    LAST_ONE\n};';
    expect(preprocess(continued)).toBe(continued);
    expect(preprocess(lastEnumerator)).toBe(lastEnumerator);
  });

  it('ends each of several statement macros in a row', () => {
    const source = '{\n    CHECK_INITIALIZED(self)\n    ENSURE_Context(ctx, NULL)\n    return x;\n}';
    const first = 'CHECK_INITIALIZED;'.padEnd('CHECK_INITIALIZED(self)'.length);
    const second = 'ENSURE_Context;'.padEnd('ENSURE_Context(ctx, NULL)'.length);
    expect(preprocess(source)).toBe(`{\n    ${first}\n    ${second}\n    return x;\n}`);
  });

  it('turns a macro heading a block into a loop or a condition over its arguments', () => {
    const loop = '{\n    _odict_FOREACH(od, node) {\n        use(node);\n    }\n}';
    expect(preprocess(loop)).toBe('{\n    while         (od, node) {\n        use(node);\n    }\n}');
    const condition = '{\n    ofs = 1;\n    IFLT(*a, key)\n    {\n        x = 1;\n    }\n}';
    expect(preprocess(condition)).toBe('{\n    ofs = 1;\n    if  (*a, key)\n    {\n        x = 1;\n    }\n}');
  });

  it('leaves a lower-case call alone even without a semicolon', () => {
    const source = '{\n    x = 1;\n    do_something(x)\n    return x;\n}';
    expect(preprocess(source)).toBe(source);
  });

  it('writes 0 over a type passed to a macro, keeping the other arguments in place', () => {
    const source = '    PYLONG_FROM_UINT(unsigned long, ival);\n    p = PyMem_New(struct iovec, cnt);';
    const out = preprocess(source);
    expect(out).toBe(`    PYLONG_FROM_UINT(0${' '.repeat(12)}, ival);\n    p = PyMem_New(0${' '.repeat(11)}, cnt);`);
  });

  it('leaves offsetof, whose type the C grammar reads', () => {
    const source = '    n = offsetof(struct sockaddr_un, sun_path);';
    expect(preprocess(source)).toBe(source);
  });

  it('ends a macro that is the body of an if on the same line, or follows a statement', () => {
    const source = '{\n  r = PyList_New(0); if (!r) __PYX_ERR(0, 269, L1)\n  f(x); __PYX_ERR(0, 1, L2)\n  return r;\n}';
    const first = '__PYX_ERR;'.padEnd('__PYX_ERR(0, 269, L1)'.length);
    const second = '__PYX_ERR;'.padEnd('__PYX_ERR(0, 1, L2)'.length);
    expect(preprocess(source)).toBe(`{\n  r = PyList_New(0); if (!r) ${first}\n  f(x); ${second}\n  return r;\n}`);
  });

  it('leaves a call that ends a line inside an unfinished expression', () => {
    const source = '{\n  x = a +\n      FOO(b)\n      + c;\n}';
    expect(preprocess(source)).toBe(source);
  });

  it('leaves a type macro that spells a return type at column 0', () => {
    const source = 'int x;\nLOCAL(PyObject*)\nlist_join(PyObject* list)\n{\n}';
    expect(preprocess(source)).toBe(source);
  });

  it('leaves a lone name, which may be a variable, as a macro argument', () => {
    const source = '    x = MAX(a, b);';
    expect(preprocess(source)).toBe(source);
  });

  it('blanks a definition-generating macro at column 0 so the next function is kept', () => {
    const source = 'int x;\nDec_CONTEXT_GET_SSIZE(clamp)\n\nstatic PyObject *\nf(void)\n{\n}';
    expect(preprocess(source)).toBe(`int x;\n${' '.repeat(28)}\n\nstatic PyObject *\nf(void)\n{\n}`);
  });

  it('reads a body-generating macro after a function header as an empty body', () => {
    const source = 'static PyObject *\n_curses_beep_impl(PyObject *module)\nNoArgNoReturnFunctionBody(beep)\n';
    expect(preprocess(source)).toBe(`static PyObject *\n_curses_beep_impl(PyObject *module)\n{}${' '.repeat(29)}\n`);
  });

  it('blanks block comments inside a #define, keeping its line continuations', () => {
    const source = '#define F(x) \\\n    /* count */ \\\n    g(x)\nint y;';
    expect(preprocess(source)).toBe(`#define F(x) \\\n    ${' '.repeat(11)} \\\n    g(x)\nint y;`);
  });

  it('keeps the continuations of a block comment running over lines of a #define', () => {
    const source = '#define F(x) \\\n    /* first \\\n       second */ \\\n    g(x)\nint y;';
    expect(preprocess(source)).toBe(`#define F(x) \\\n    ${' '.repeat(9)}\\\n${' '.repeat(16)} \\\n    g(x)\nint y;`);
    const crlf = source.replace(/\n/g, '\r\n');
    expect(preprocess(crlf)).toBe(`#define F(x) \\\r\n    ${' '.repeat(9)}\\\r\n${' '.repeat(16)} \\\r\n    g(x)\r\nint y;`);
  });

  it('blanks UNUSED after a parameter name', () => {
    expect(preprocess('f(PyObject *self, void *closure UNUSED)')).toBe('f(PyObject *self, void *closure       )');
  });

  it('says why for every rule, and unwraps only macros with arguments', () => {
    for (const rule of MACRO_RULES) {
      expect(rule.why.length, rule.name).toBeGreaterThan(10);
      if (rule.action.kind === 'unwrap') expect(rule.args, rule.name).toBe(true);
    }
  });
});

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
    const loopHeader = '{\n    FOR_EACH(item)\n    {\n        use(item);\n    }\n}';
    expect(preprocess(continued)).toBe(continued);
    expect(preprocess(lastEnumerator)).toBe(lastEnumerator);
    expect(preprocess(loopHeader)).toBe(loopHeader);
  });

  it('leaves a lower-case call alone even without a semicolon', () => {
    const source = '{\n    x = 1;\n    do_something(x)\n    return x;\n}';
    expect(preprocess(source)).toBe(source);
  });

  it('says why for every rule', () => {
    for (const rule of MACRO_RULES) expect(rule.why.length, rule.name).toBeGreaterThan(10);
  });
});

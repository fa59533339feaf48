import { describe, expect, it } from 'vitest';
import { countFunctions, parsePlain } from '../../../bench/parse.js';

describe('parsePlain', () => {
  it('parses text longer than the 32 KB a single string may have', () => {
    const fn = 'static int f(void)\n{\n    return 0;\n}\n';
    const source = fn.repeat(Math.ceil(100_000 / fn.length));
    const tree = parsePlain(source, 'c');
    expect(tree.rootNode.hasError).toBe(false);
    expect(tree.rootNode.endIndex).toBe(source.length);
  });
});

describe('countFunctions', () => {
  it('counts C functions', () => {
    expect(countFunctions(parsePlain('int a(void) { return 1; }\nstatic void b(int x) { }\nint c(void);\n', 'c'))).toBe(2);
  });

  it('counts C++ methods in and out of class, and lambdas', () => {
    const source = 'struct S { int m() { return 1; } };\nint S2::n() { auto l = [](int x) { return x; }; return l(1); }\n';
    expect(countFunctions(parsePlain(source, 'cpp'))).toBe(3);
  });

  it('walks 3000 nested blocks without exhausting the stack', () => {
    const source = `void f(void) {${'{'.repeat(3000)}${'}'.repeat(3000)}}`;
    expect(countFunctions(parsePlain(source, 'c'))).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { collectParseErrors } from '../../../src/analyzer/parse/errors.js';
import { parseText } from '../../../src/analyzer/parse/parser.js';

describe('collectParseErrors', () => {
  it('finds nothing in a clean tree', () => {
    const source = 'int f(void) { return 0; }';
    expect(collectParseErrors(parseText(source, 'c').rootNode, source)).toEqual([]);
  });

  it('gives each error site its line, column, kind and the source text there', () => {
    const broken = 'int f(void)\n{\n    x = (1 + ;\n    return 0\n}\n';
    expect(collectParseErrors(parseText(broken, 'c').rootNode, broken)).toEqual([
      { line: 3, column: 4, kind: 'error', text: 'x = (1 + ;' },
    ]);
    const unterminated = 'int f(void)\n{\n    return 0\n}\n';
    expect(collectParseErrors(parseText(unterminated, 'c').rootNode, unterminated)).toEqual([
      { line: 3, column: 12, kind: 'missing', text: ';' },
    ]);
  });

  it('reads the text from the given source, not from the parsed text', () => {
    const original = 'int f(void) { x = (1 + ; }';
    const parsed = original.replace('x', 'y');
    const errors = collectParseErrors(parseText(parsed, 'c').rootNode, original);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((error) => !error.text.includes('y'))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { blankOut, maskNonCode } from '../../../src/analyzer/parse/mask.js';

describe('maskNonCode', () => {
  it('blanks comments, strings and characters but keeps code and line breaks', () => {
    const parts = ['a = ', '"x;y"', '; ', '/* {\n} */', ' b = ', "'}'", '; ', '// c(', '\nd;'];
    const masked = parts.map((part, i) => ([1, 3, 5, 7].includes(i) ? blankOut(part) : part)).join('');
    expect(maskNonCode(parts.join(''))).toBe(masked);
  });

  it('blanks a directive with its continued lines and a comment running past its end', () => {
    const source = '#define F(x) \\\n  g(x)\nh();\n  # if X /* a\n b */\nk();';
    expect(maskNonCode(source)).toBe(`${blankOut('#define F(x) \\\n  g(x)')}\nh();\n${blankOut('  # if X /* a\n b */')}\nk();`);
  });

  it('reads a # inside a line as code, not as a directive', () => {
    expect(maskNonCode('x = a # b;')).toBe('x = a # b;');
  });

  it('stops an unterminated string at the end of its line', () => {
    expect(maskNonCode('s = "abc\nf();')).toBe('s =     \nf();');
  });

  it('skips escaped quotes inside strings', () => {
    expect(maskNonCode('s = "a\\"b"; t;')).toBe('s =       ; t;');
  });
});

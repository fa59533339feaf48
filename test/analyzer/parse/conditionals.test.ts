import { describe, expect, it } from 'vitest';
import { keepOneBranch } from '../../../src/analyzer/parse/conditionals.js';
import { blankOut } from '../../../src/analyzer/parse/mask.js';

const WHOLE = [{ startLine: 1, endLine: 1000 }];

describe('keepOneBranch', () => {
  it('keeps the first branch and blanks the rest and every directive of the group', () => {
    const source = ['#ifdef MS_WIN32', '    } else', '#else', '    }', '#endif', '    x = 1;'].join('\n');
    const out = keepOneBranch(source, WHOLE);
    expect(out.split('\n')).toEqual([blankOut('#ifdef MS_WIN32'), '    } else', blankOut('#else'), blankOut('    }'), blankOut('#endif'), '    x = 1;']);
  });

  it('keeps the second branch after #if 0', () => {
    const source = ['#if 0', 'old();', '#else', 'new();', '#endif'].join('\n');
    expect(keepOneBranch(source, WHOLE).split('\n')).toEqual(['     ', '      ', '     ', 'new();', '      ']);
  });

  it('blanks groups nested in a dropped branch whole', () => {
    const source = ['#if A', 'a();', '#else', '#if B', 'b();', '#else', 'c();', '#endif', '#endif', 'd();'].join('\n');
    const lines = keepOneBranch(source, WHOLE).split('\n');
    expect(lines.map((line) => line.trim())).toEqual(['', 'a();', '', '', '', '', '', '', '', 'd();']);
  });

  it('touches only groups that start inside the ranges', () => {
    const source = ['#if A', 'a();', '#else', 'b();', '#endif', '#if C', 'c();', '#else', 'e();', '#endif'].join('\n');
    const lines = keepOneBranch(source, [{ startLine: 6, endLine: 10 }]).split('\n');
    expect(lines.slice(0, 5)).toEqual(['#if A', 'a();', '#else', 'b();', '#endif']);
    expect(lines.slice(5).map((line) => line.trim())).toEqual(['', 'c();', '', '', '']);
  });

  it('returns the text unchanged without ranges', () => {
    const source = '#if A\na();\n#else\nb();\n#endif';
    expect(keepOneBranch(source, [])).toBe(source);
  });
});

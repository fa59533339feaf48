import { describe, expect, it } from 'vitest';
import { findingsOf, sourceLines } from '../../src/output/report.js';
import { fakeFinding, resultWith } from './fake-findings.js';

describe('sourceLines', () => {
  it('splits on LF and CRLF and ignores the final newline', () => {
    expect(sourceLines('a\r\nb\nc\n')).toEqual(['a', 'b', 'c']);
    expect(sourceLines('a\nb')).toEqual(['a', 'b']);
    expect(sourceLines('')).toEqual([]);
    expect(sourceLines('\n')).toEqual(['']);
  });
});

describe('findingsOf', () => {
  it('collects the findings of analysed files in order', () => {
    const first = fakeFinding({ file: 'a.c' });
    const second = fakeFinding({ file: 'b.c' });
    expect(
      findingsOf({
        toolVersion: '0',
        files: [
          { kind: 'analysed', path: 'a.c', source: '', result: resultWith([first]) },
          { kind: 'skipped', path: 'x.c', reason: 'binary' },
          { kind: 'analysed', path: 'b.c', source: '', result: resultWith([second]) },
        ],
      }),
    ).toEqual([first, second]);
  });
});

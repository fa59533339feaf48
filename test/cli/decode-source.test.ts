import { describe, expect, it } from 'vitest';
import { decodeSource } from '../../src/cli/decode-source.js';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

describe('decodeSource', () => {
  it('decodes UTF-8, including multi-byte characters', () => {
    expect(decodeSource(new TextEncoder().encode('/* café */\n'))).toEqual({ ok: true, text: '/* café */\n' });
  });

  it('refuses a file with a NUL byte as binary', () => {
    expect(decodeSource(bytes(0x61, 0x00, 0x62))).toEqual({ ok: false, reason: 'binary file (contains a NUL byte)' });
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(decodeSource(bytes(0x63, 0x61, 0x66, 0xe9))).toEqual({ ok: false, reason: 'not valid UTF-8' });
  });
});

import { describe, expect, it } from 'vitest';
import { parseBest, parseText } from '../../../src/analyzer/parse/parser.js';

describe('parseText', () => {
  it('reads .c text with the C grammar and C++ text with the C++ grammar', () => {
    expect(parseText('int f(void) { return 0; }', 'c').rootNode.hasError).toBe(false);
    expect(parseText('int f(int new) { return new; }', 'c').rootNode.hasError).toBe(false);
    expect(parseText('int f(int new) { return new; }', 'cpp').rootNode.hasError).toBe(true);
    expect(parseText('class A { public: A() {} };', 'cpp').rootNode.hasError).toBe(false);
  });

  it('parses a 3 MB text, which tree-sitter 0.21 rejects when given as one string', { timeout: 120_000 }, () => {
    const line = 'static int counter_NNNNNN = 0; /* é */\n';
    const count = Math.ceil((3 * 1024 * 1024) / line.length);
    const text = Array.from({ length: count }, (_, i) => line.replace('NNNNNN', String(i).padStart(6, '0'))).join('');
    const root = parseText(text, 'c').rootNode;
    expect(root.hasError).toBe(false);
    expect(root.endIndex).toBe(text.length);
    expect(root.namedChildCount).toBe(count * 2);
    const last = root.lastNamedChild;
    expect(last?.type).toBe('comment');
    expect(last?.startIndex).toBe(text.lastIndexOf('/*'));
  });

  it('keeps a surrogate pair whole across the chunks it is fed in', () => {
    const padding = 'x'.repeat(16 * 1024 - 1);
    const text = `/* ${padding}😀 */\nint f(void) { return 0; }\n`;
    const root = parseText(text, 'c').rootNode;
    expect(root.hasError).toBe(false);
    expect(root.lastNamedChild?.startIndex).toBe(text.indexOf('int f'));
  });
});

describe('parseBest', () => {
  it('keeps the C tree of C code with C++ keywords when asked to retry', () => {
    const chosen = parseBest('int f(int new) { return new; }', 'cpp', true);
    expect(chosen.language).toBe('c');
    expect(chosen.tree.rootNode.hasError).toBe(false);
  });

  it('keeps the C++ tree when not asked to retry, or when C reads no better', () => {
    expect(parseBest('int f(int new) { return new; }', 'cpp', false).language).toBe('cpp');
    expect(parseBest('int f(int x) { return x +; }', 'cpp', true).language).toBe('cpp');
  });
});

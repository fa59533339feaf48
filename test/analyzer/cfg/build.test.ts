import { describe, expect, it } from 'vitest';
import { buildFlowGraph } from '../../../src/analyzer/cfg/build.js';
import type { FlowGraph, FlowNode, NodeId } from '../../../src/analyzer/cfg/types.js';
import type { Language } from '../../../src/analyzer/parse/language.js';
import { findFunctions } from '../../../src/analyzer/parse/functions.js';

function graphOf(source: string, language: Language): FlowGraph {
  const fn = findFunctions(source, language).functions[0];
  if (!fn) throw new Error('no function in source');
  return buildFlowGraph(fn.body);
}

function successors(node: FlowNode): NodeId[] {
  switch (node.kind) {
    case 'entry':
    case 'effect':
    case 'jump':
      return [node.next];
    case 'branch':
      return [node.whenTrue, node.whenFalse];
    case 'choice':
      return node.targets;
    default:
      return [];
  }
}

/** Nodes reachable from the entry, in visiting order. */
function reachable(graph: FlowGraph): FlowNode[] {
  const seen = new Set<NodeId>();
  const order: FlowNode[] = [];
  const stack = [graph.entry];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = graph.nodes[id]!;
    order.push(node);
    stack.push(...successors(node).reverse());
  }
  return order;
}

/** "kind@line" of every reachable node that has a syntax node: what the walk will visit. */
function visited(graph: FlowGraph): string[] {
  return reachable(graph).flatMap((node) => ('ast' in node ? [`${node.kind}@${node.ast.startPosition.row + 1}`] : []));
}

describe('buildFlowGraph on preprocessor directives in a body', () => {
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
    '#define BASE 10',
    '    WRITE_DIGITS(p);',
    '#undef WRITE_DIGITS',
    '    *out = str;',
    '    return 0;',
    '}',
  ].join('\n');

  it.each(['c', 'cpp'] as const)('adds no node and no exit for #define and #undef (%s)', (language) => {
    expect(visited(graphOf(source, language))).toEqual(['effect@4', 'effect@12', 'effect@14', 'return@15']);
  });
});

describe('buildFlowGraph: #if arms', () => {
  const source = [
    'int f(PyObject *o)',
    '{',
    '#ifdef USE_CACHE',
    '    a();',
    '#endif',
    '#if SIZEOF_LONG == 8',
    '    b();',
    '#endif',
    '#ifndef USE_CACHE',
    '    c();',
    '#endif',
    '#if SIZEOF_LONG==8',
    '    d();',
    '#endif',
    '#ifdef ONCE',
    '    e();',
    '#endif',
    '    return 0;',
    '}',
  ].join('\n');

  it('ties together the arms of conditions the function tests more than once, and only those', () => {
    const choices = graphOf(source, 'c').nodes.filter((n): n is Extract<FlowNode, { kind: 'choice' }> => n.kind === 'choice');
    expect(choices.map((c) => c.build ?? null)).toEqual(
      expect.arrayContaining([
        { key: '#if defined(USE_CACHE)', negated: false },
        { key: '#if defined(USE_CACHE)', negated: true },
        { key: '#if SIZEOF_LONG==8', negated: false },
        null,
      ]),
    );
    expect(choices.filter((c) => c.build?.key === '#if SIZEOF_LONG==8')).toHaveLength(2);
    expect(choices.filter((c) => c.build === undefined)).toHaveLength(1);
  });
});

describe('buildFlowGraph: branches the author marks as never taken', () => {
  it.each([
    ["default: /* can't happen */", "    default:   /* can't happen */", '        return NULL;'],
    ['a block opening with "should not happen"', '    default: {', '        /* should not happen */ return NULL; }'],
    ['a block opening with "not reached"', '    default: {', '        // NOTREACHED\n        return NULL; }'],
  ])('ends the path at %s', (_, label, body) => {
    const source = ['PyObject *f(int kind)', '{', '    switch (kind) {', '    case 1:', '        return g();', label, body, '    }', '    return NULL;', '}'].join('\n');
    const kinds = visited(graphOf(source, 'c'));
    expect(kinds).toContainEqual(expect.stringMatching(/^noreturn@[67]$/));
    expect(kinds.filter((k) => k.startsWith('return@'))).toEqual(['return@5']);
  });

  it('walks a block whose comment makes it unreachable only under a condition', () => {
    const source = ['int f(PyObject *fields, int n)', '{', '    for (int i = 0; i < n; i++) {', '        /* cannot be reached when fields is NULL */', '        g(fields, i);', '    }', '    return 0;', '}'].join('\n');
    const kinds = visited(graphOf(source, 'c'));
    expect(kinds).not.toContainEqual(expect.stringMatching(/^noreturn/));
    expect(kinds).toContain('effect@5');
  });

  it('walks a block whose comment only mentions the word', () => {
    const source = ['PyObject *f(int kind)', '{', '    if (kind) {', '        /* the unreachable set is empty */', '        return NULL;', '    }', '    return g();', '}'].join('\n');
    const kinds = visited(graphOf(source, 'c'));
    expect(kinds).not.toContainEqual(expect.stringMatching(/^noreturn/));
    expect(kinds).toContain('return@5');
  });
});

describe('buildFlowGraph: a switch nested in a case of a switch on the same value', () => {
  const source = (inner: string, between = '') =>
    [
      'PyObject *f(int t)',
      '{',
      '    PyObject *v = NULL;',
      '    switch (t) {',
      '    case 1:',
      '    case 2:',
      between,
      '        switch (t) {',
      '        case 1: v = a(); break;',
      inner,
      '        }',
      '        return v;',
      '    default:',
      '        return NULL;',
      '    }',
      '}',
    ].join('\n');

  it('has no way past the inner switch when it lists every value the outer case admits', () => {
    const graph = graphOf(source('        case 2: v = b(); break;'), 'c');
    const inner = graph.nodes.find((n): n is Extract<FlowNode, { kind: 'choice' }> => n.kind === 'choice' && n.ast.startPosition.row === 7);
    expect(inner?.targets).toHaveLength(2);
  });

  it('keeps the way past it when a value is missing, or the value changed in between', () => {
    for (const graph of [graphOf(source('        case 3: v = b(); break;'), 'c'), graphOf(source('        case 2: v = b(); break;', '        t = g();'), 'c')]) {
      const inner = graph.nodes.find((n): n is Extract<FlowNode, { kind: 'choice' }> => n.kind === 'choice' && n.ast.startPosition.row === 7);
      expect(inner?.targets).toHaveLength(3);
    }
  });
});

describe('buildFlowGraph: the first test of a loop counting from 0', () => {
  const firstTests = (source: string) =>
    graphOf(source, 'c').nodes.flatMap((n) => (n.kind === 'branch' && n.firstTest ? [n.firstTest.counter] : []));

  it('is a node of its own for `for (i = 0; i < bound; ...)`, with a name or a number as the bound', () => {
    expect(firstTests('void f(int n) { for (int i = 0; i < n; i++) g(i); for (j = 0; j <= 63; j++) g(j); }').sort()).toEqual(['i', 'j']);
  });

  it('is not split off for other starts, tests or bounds', () => {
    expect(firstTests('void f(int n) { for (int i = 1; i < n; i++) g(i); for (i = 0; i > n; i++) g(i); for (i = 0; i < len(n); i++) g(i); }')).toEqual([]);
  });
});

import type { LineEdit } from '../findings.js';
import { deleteLine, indentOf, isLoneCall } from '../fix/edits.js';
import type { EventOf } from '../ownership/events.js';
import { traceOf } from './trace.js';
import { createRule } from './types.js';

const NAME_FROM_LITERAL = /^\s*(?:PyObject\s*\*\s*)?(\w+)\s*=\s*(?:PyUnicode_FromString|PyUnicode_DecodeFSDefault|PyUnicode_InternFromString)\s*\(\s*("(?:[^"\\]|\\.)*")\s*\)\s*;\s*$/;
const INLINE = /PyImport_Import\s*\(\s*(?:PyUnicode_FromString|PyUnicode_DecodeFSDefault|PyUnicode_InternFromString)\s*\(\s*("(?:[^"\\]|\\.)*")\s*\)\s*\)/;

export default createRule({
  meta: {
    id: 'prefer-import-module',
    title: 'Use PyImport_ImportModule',
    name: 'PreferImportModule',
    defaultSeverity: 'note',
    description: 'PyUnicode_FromString followed by PyImport_Import says in two calls, one of which can leak, what PyImport_ImportModule says in one.',
    messages: {
      preferImportModule: '`PyImport_ImportModule({{module}})` imports the module in one call, with no name object to release',
    },
    fixable: true,
  },
  create(context) {
    const { lines, fn } = context;
    return {
      call(e: EventOf<'call'>) {
        if (e.callee !== 'PyImport_Import') return;
        const lineText = lines[e.line - 1] ?? '';
        const inline = INLINE.exec(lineText);
        if (inline) {
          const text = lineText.replace(INLINE, `PyImport_ImportModule(${inline[1]})`);
          context.report({
            messageId: 'preferImportModule',
            data: { module: inline[1]! },
            line: e.line,
            trace: traceOf(e.trace, []),
            fix: { description: 'Import with PyImport_ImportModule', edits: [{ startLine: e.line, endLine: e.line, lines: [text] }] },
            key: `${e.line}`,
          });
          return;
        }
        const name = e.argTexts[0]?.trim();
        if (!name || !/^\w+$/.test(name)) return;
        const creation = findCreation(lines, fn.parsed.startLine, e.line, name);
        // A global name object is a cache kept across calls, not the throwaway this rule is about.
        if (!creation || !declaredLocally(lines, fn.parsed.startLine, e.line, name)) return;
        const uses = usesOf(lines, fn.parsed.startLine, fn.parsed.endLine, name).filter((l) => l !== creation.line && l !== e.line);
        const releases = uses.filter((l) => isLoneCall(lines[l - 1], ['Py_DECREF', 'Py_XDECREF', 'Py_CLEAR']) && new RegExp(`\\(\\s*${name}\\s*\\)`).test(lines[l - 1]!));
        const checks = uses.filter((l) => isNullCheckOrDeclaration(lines[l - 1]!, name));
        // A name object used for more than its import is not the pair this rule is about.
        if (uses.length !== releases.length + checks.length) return;
        const edits: LineEdit[] = [];
        if (checks.every((l) => isDeclaration(lines[l - 1]!)) && creation.line === e.line - 1) {
          const replaced = lineText.replace(new RegExp(`PyImport_Import\\s*\\(\\s*${name}\\s*\\)`), `PyImport_ImportModule(${creation.literal})`);
          edits.push({ startLine: creation.line, endLine: e.line, lines: [indentOf(lines[creation.line - 1]!) + replaced.trimStart()] });
          for (const l of releases) edits.push(deleteLine(l));
        }
        context.report({
          messageId: 'preferImportModule',
          data: { module: creation.literal },
          line: e.line,
          trace: [{ line: creation.line, note: `${name} created from ${creation.literal}` }, { line: e.line, note: `imported through ${name}` }],
          ...(edits.length > 0 ? { fix: { description: 'Import with PyImport_ImportModule', edits } } : {}),
          key: `${e.line}`,
        });
      },
    };
  },
});

function findCreation(lines: readonly string[], from: number, before: number, name: string): { line: number; literal: string } | undefined {
  for (let l = before - 1; l >= from; l--) {
    const m = NAME_FROM_LITERAL.exec(lines[l - 1] ?? '');
    if (m && m[1] === name) return { line: l, literal: m[2]! };
    if (new RegExp(`\\b${name}\\s*=[^=]`).test(lines[l - 1] ?? '')) return undefined;
  }
  return undefined;
}

function declaredLocally(lines: readonly string[], from: number, to: number, name: string): boolean {
  const pattern = new RegExp(`\\bPyObject\\s*\\*[^;()]*\\b${name}\\b`);
  for (let l = from; l <= to; l++) if (pattern.test(lines[l - 1] ?? '')) return true;
  return false;
}

function isDeclaration(text: string): boolean {
  return /^\s*PyObject\s*\*[^=()]*;/.test(text);
}

function isNullCheckOrDeclaration(text: string, name: string): boolean {
  return isDeclaration(text) || new RegExp(`^\\s*(\\}\\s*else\\s+)?if\\s*\\(\\s*(!\\s*${name}|${name}\\s*==\\s*NULL|NULL\\s*==\\s*${name})\\s*\\)`).test(text);
}

function usesOf(lines: readonly string[], from: number, to: number, name: string): number[] {
  const pattern = new RegExp(`\\b${name}\\b`);
  const found: number[] = [];
  for (let l = from; l <= to; l++) if (pattern.test(withoutComments(lines[l - 1] ?? ''))) found.push(l);
  return found;
}

/** A comment that mentions the name is not a use of it. */
function withoutComments(line: string): string {
  return line.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '');
}

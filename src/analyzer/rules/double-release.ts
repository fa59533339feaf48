import type { Fix } from '../findings.js';
import { RELEASE_CALLS, deleteLine, indentOf, isLoneCall, replaceLine } from '../fix/edits.js';
import type { EventOf } from '../ownership/events.js';
import { UNTRACKED_RELEASE } from '../ownership/state.js';
import { traceOf } from './trace.js';
import { createRule } from './types.js';

interface Double {
  readonly expr: string;
  readonly line: number;
  readonly first: number;
  readonly trace: EventOf<'release'>['trace'];
  readonly inBlock: boolean;
  readonly macro: string;
  readonly ref?: string;
}

export default createRule({
  meta: {
    id: 'double-release',
    title: 'Reference released twice',
    name: 'ReferenceReleasedTwice',
    defaultSeverity: 'error',
    description: 'The same reference is released twice on one path.',
    messages: {
      twice: '`{{expr}}` is released here, but it was already released at line {{first}} on this path',
      copyableOwner:
        '`{{name}}` releases `{{members}}` in its destructor but can be copied: each copy releases the same reference again. Delete or define the copy constructor and copy assignment',
    },
    fixable: true,
  },
  create(context) {
    const doubles: Double[] = [];
    /** Per line, whether every path through that release had already released it. */
    const alwaysDouble = new Map<number, boolean>();
    const note = (line: number, isDouble: boolean): void => {
      alwaysDouble.set(line, (alwaysDouble.get(line) ?? true) && isDouble);
    };
    return {
      release(e: EventOf<'release'>) {
        const ended = e.before.ended;
        const isDouble = ended?.how === 'released' && !e.before.uncertain;
        note(e.line, isDouble);
        if (isDouble) doubles.push({ expr: e.expr, line: e.line, first: ended.line, trace: e.trace, inBlock: e.inBlock, macro: e.macro, ref: e.before.id });
      },
      'field-double-release'(e: EventOf<'field-double-release'>) {
        note(e.line, true);
        doubles.push({ expr: e.expr, line: e.line, first: e.firstLine, trace: e.trace, inBlock: true, macro: e.macro });
      },
      done() {
        for (const d of doubles) {
          // Paths where an untracked value was never released leave no trace here, so "every path" cannot be told.
          const everyPath = alwaysDouble.get(d.line) === true && !d.ref?.startsWith(UNTRACKED_RELEASE);
          const fix = fixFor(d, everyPath, context.lines);
          context.report({
            messageId: 'twice',
            data: { expr: d.expr, first: d.first },
            line: d.line,
            trace: traceOf(d.trace, [d.ref], { line: d.line, note: `released again: ${d.expr}` }),
            ...(fix ? { fix } : {}),
            key: `${d.expr}@${d.line}`,
          });
        }
      },
    };
  },
});

/**
 * Deleting the second release is right only when every path through it released before; otherwise
 * clearing at the first release makes a NULL-tolerant second release harmless on this path and unchanged on the others.
 */
function fixFor(d: Double, everyPathDouble: boolean, lines: readonly string[]): Fix | undefined {
  if (everyPathDouble && d.inBlock && isLoneCall(lines[d.line - 1], RELEASE_CALLS)) {
    return { description: 'Delete the second release', edits: [deleteLine(d.line)] };
  }
  const firstText = lines[d.first - 1];
  const tolerant = d.macro === 'Py_XDECREF' || d.macro === 'Py_CLEAR';
  if (tolerant && isLoneCall(firstText, ['Py_DECREF', 'Py_XDECREF']) && firstText!.includes(`(${d.expr})`)) {
    const edit = replaceLine(lines, d.first, `${indentOf(firstText!)}Py_CLEAR(${d.expr});`);
    if (edit) return { description: `Clear \`${d.expr}\` when it is first released`, edits: [edit] };
  }
  return undefined;
}

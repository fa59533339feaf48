import { insertBefore, isLoneExit, replaceLine, indentOf } from '../fix/edits.js';
import type { EventOf } from '../ownership/events.js';
import { refOf } from '../ownership/state.js';
import { traceOf } from './trace.js';
import { createRule } from './types.js';

export default createRule({
  meta: {
    id: 'return-borrowed',
    title: 'Borrowed reference returned as a new one',
    name: 'BorrowedReferenceReturned',
    defaultSeverity: 'error',
    description: 'A function whose callers receive a new reference returns a borrowed one.',
    messages: {
      borrowed: '`{{expr}}` is a borrowed reference ({{source}}), but callers of `{{name}}` receive a new reference and will release it',
    },
    fixable: true,
  },
  create(context) {
    const { fn } = context;
    const borrowedReturns: Array<{ e: EventOf<'exit'>; expr: string; source: string; ref: string }> = [];
    let returnsNew = false;
    return {
      exit(e: EventOf<'exit'>) {
        if (e.how !== 'return' || !fn.returnsObject || fn.declaredBorrowed || e.opaque) return;
        if (e.macro) {
          returnsNew = true;
          return;
        }
        const ref = e.returned ? refOf(e.state, e.returned) : undefined;
        if (!ref || ref.uncertain || ref.escaped) return;
        if (ref.owned > 0) {
          returnsNew = true;
          return;
        }
        if ((ref.origin !== 'borrowed' && ref.origin !== 'field') || ref.ended || ref.nullness === 'null') return;
        const match = /^\s*return\s+(.+?)\s*;/.exec(context.lines[e.line - 1] ?? '');
        borrowedReturns.push({ e, expr: match?.[1] ?? ref.source, source: ref.id.startsWith('param:') || ref.origin === 'field' ? ref.source : `from ${ref.source}`, ref: ref.id });
      },
      done() {
        // A slot's caller is CPython, which always expects a new reference; a helper shows it by its other paths.
        if (fn.role !== 'slot' && !returnsNew) return;
        for (const { e, expr, source, ref } of borrowedReturns) {
          // A helper's contract is its own: a bare `Py_None` is often a marker its callers test for before releasing.
          if (fn.role !== 'slot' && ref.startsWith('global:')) continue;
          const lineText = context.lines[e.line - 1];
          const lone = e.inBlock && isLoneExit(lineText) && /^\s*return\s/.test(lineText ?? '');
          const newRef = context.python[0] > 3 || (context.python[0] === 3 && context.python[1] >= 10);
          const edit = !lone
            ? undefined
            : newRef
              ? replaceLine(context.lines, e.line, `${indentOf(lineText!)}return Py_NewRef(${expr});`)
              : insertBefore(context.lines, e.line, `Py_INCREF(${expr});`);
          context.report({
            messageId: 'borrowed',
            data: { expr, source, name: fn.parsed.name },
            line: e.line,
            trace: traceOf(e.trace, [ref], { line: e.line, note: 'returned without Py_INCREF' }),
            ...(edit ? { fix: { description: newRef ? 'Return a new reference with Py_NewRef' : 'Add Py_INCREF before returning', edits: [edit] } } : {}),
            key: `${expr}@${e.line}`,
          });
        }
      },
    };
  },
});

import { insertBefore, isLoneExit, replaceLine, indentOf } from '../fix/edits.js';
import type { EventOf } from '../ownership/events.js';
import { refOf } from '../ownership/state.js';
import { traceOf } from './trace.js';
import { createRule } from './types.js';

const RETURN_MACRO_SINGLETONS: Readonly<Record<string, string>> = {
  Py_RETURN_NONE: 'Py_None',
  Py_RETURN_TRUE: 'Py_True',
  Py_RETURN_FALSE: 'Py_False',
  Py_RETURN_NOTIMPLEMENTED: 'Py_NotImplemented',
};

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
    // Singletons the function also returns with a reference of their own (`Py_RETURN_NONE` on another path).
    const singletonsReturnedNew = new Set<string>();
    return {
      exit(e: EventOf<'exit'>) {
        if (e.how !== 'return' || !fn.returnsObject || fn.declaredBorrowed || e.opaque) return;
        if (e.macro) {
          returnsNew = true;
          const singleton = RETURN_MACRO_SINGLETONS[e.macro];
          if (singleton) singletonsReturnedNew.add(`global:${singleton}`);
          return;
        }
        const ref = e.returned ? refOf(e.state, e.returned) : undefined;
        if (!ref || ref.uncertain || ref.escaped) return;
        if (ref.owned > 0) {
          returnsNew = true;
          if (ref.id.startsWith('global:')) singletonsReturnedNew.add(ref.id);
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
          // `return Py_None;` beside `Py_RETURN_NONE;`: the function tells the two apart on purpose, a marker for callers
          // that only test it (`_PyIOBase_check_closed(self, Py_True)`).
          if (singletonsReturnedNew.has(ref)) continue;
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

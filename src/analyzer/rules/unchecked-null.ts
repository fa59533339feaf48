import type { EventOf } from '../ownership/events.js';
import { traceOf } from './trace.js';
import { createRule } from './types.js';

/** Getters that fail only on an index out of range, which loops bounded by the size never pass. */
const INDEX_GETTERS = new Set(['PyList_GetItem', 'PyTuple_GetItem', 'PySequence_Fast_GET_ITEM']);

/** `PyObject_GetAttrString(o, "x")` where the function asked `PyObject_HasAttrString(o, "x")` first: only memory can fail it. */
function checkedByHasAttr(call: string | undefined, foldedBody: string): boolean {
  const m = call ? /^PyObject_GetAttr(String)?\((.*)\)$/.exec(call) : null;
  return m !== null && foldedBody.includes(`PyObject_HasAttr${m[1] ?? ''}(${m[2]})`);
}

export default createRule({
  meta: {
    id: 'unchecked-null',
    title: 'Possible NULL not checked',
    name: 'UncheckedNullResult',
    defaultSeverity: 'warning',
    description: 'The result of a call that can fail is dereferenced or passed where NULL is not allowed, with no NULL check.',
    messages: {
      maybeNull: '`{{expr}}` may be NULL here: `{{source}}` (line {{from}}) returns NULL on failure, and this path does not check it',
      isNull: '`{{expr}}` is NULL on this path (checked at an earlier branch), and {{where}} does not accept NULL',
    },
    fixable: false,
  },
  create(context) {
    let foldedBody: string | undefined;
    return {
      'null-use'(e: EventOf<'null-use'>) {
        const ref = e.ref;
        if (ref.uncertain || ref.escaped || !ref.id.startsWith('call@')) return;
        if (ref.nullness === 'maybe' && (ref.nullIsAnswer || INDEX_GETTERS.has(ref.source))) return;
        foldedBody ??= context.fn.parsed.body.text.replace(/\s+/g, '');
        if (ref.nullness === 'maybe' && checkedByHasAttr(ref.call, foldedBody)) return;
        context.report({
          messageId: ref.nullness === 'null' ? 'isNull' : 'maybeNull',
          data: { expr: e.expr, source: ref.source, from: ref.line, where: e.callee ? `\`${e.callee}\`` : 'a dereference' },
          line: e.line,
          trace: traceOf(e.trace, [ref.id], { line: e.line, note: e.how === 'argument' ? `passed to ${e.callee ?? 'a call'}` : 'dereferenced' }),
          key: `${ref.id}@${e.line}`,
        });
      },
    };
  },
});

import { isLoneCall, replaceLine, indentOf } from '../fix/edits.js';
import type { EventOf } from '../ownership/events.js';
import { fieldName } from '../ownership/syntax.js';
import { createRule } from './types.js';

/** Helpers named as the end of their struct's life: whatever they leave behind is not used again. */
const TEARDOWN = /(^|_|[a-z])(free|Free|clear|Clear|dealloc|Dealloc|fini|Fini|finalize|Finalize|destroy|Destroy|cleanup|Cleanup)$|(^|_)(destroy|dealloc|x?decref)_/i;

/** `str1 = str2 = NULL;` before any other mention of the static `str2` in the body. */
function resetOnEntry(body: string, expr: string): boolean {
  if (!/^[A-Za-z_]\w*$/.test(expr)) return false;
  const first = new RegExp(`\\b${expr}\\b(\\s*=(?!=))?`).exec(body);
  return first?.[1] !== undefined;
}

export default createRule({
  meta: {
    id: 'dangling-field',
    title: 'Field left pointing at a released object',
    name: 'FieldLeftDangling',
    defaultSeverity: 'warning',
    description: 'A field or global is released and left pointing at the released object.',
    messages: {
      dangling: '`{{expr}}` is released here and still points at the released object when the function returns, so its next release ({{other}}) releases it twice',
      danglingClear: '`{{expr}}` is released here but not cleared: tp_clear may run again, and tp_dealloc releases it too',
      pairedDestructor: '`{{expr}}` is released here, and it is also released without being cleared {{other}}: one object, two releases',
    },
    fixable: true,
  },
  create(context) {
    const { fn } = context;
    const reported = new Set<string>();
    return {
      exit(e: EventOf<'exit'>) {
        for (const [key, field] of e.state.dangling) {
          if (reported.has(`${key}@${field.line}`) || field.expr.includes('[')) continue;
          const others = (context.file.fieldReleases.get(fieldName(field.expr)) ?? []).filter(
            (o) => o.function !== fn.parsed.name && (o.owner === field.owner || o.owner === '?' || field.owner === '?'),
          );
          let messageId: 'dangling' | 'danglingClear' | 'pairedDestructor';
          if (fn.role === 'clear') messageId = 'danglingClear';
          else if (fn.role === 'dealloc' || fn.role === 'destructor' || fn.freesItsObject) {
            // The object dies here: the pointer left behind matters only when another function released it too.
            if (others.length === 0) continue;
            messageId = 'pairedDestructor';
          } else if (TEARDOWN.test(fn.parsed.name)) {
            // `assemble_free`, `_PyFrame_Clear`: the last word on the struct; a pairing, if any, is reported where the fix is.
            continue;
          } else {
            // A reference this function put in the field and released: nothing says another release follows.
            if (others.length === 0 && field.storedHere) continue;
            // A static that only this function releases, and that it sets before reading: the next release sees the new value.
            if (others.length === 0 && resetOnEntry(fn.parsed.body.text, field.expr)) continue;
            messageId = 'dangling';
          }
          reported.add(`${key}@${field.line}`);
          const lineText = context.lines[field.line - 1];
          const fixable = isLoneCall(lineText, ['Py_DECREF', 'Py_XDECREF']);
          const edit = fixable ? replaceLine(context.lines, field.line, `${indentOf(lineText!)}Py_CLEAR(${field.expr});`) : undefined;
          const otherNote = others.map((o) => `${o.function} (line ${o.line})`).join(', ');
          context.report({
            messageId,
            data: { expr: field.expr, other: otherNote ? `in ${otherNote}` : 'by a later call or the destructor' },
            line: field.line,
            trace: [
              { line: field.line, note: `${field.macro}(${field.expr}) leaves it pointing at the released object` },
              { line: e.line, note: 'not reassigned or cleared before leaving' },
              ...others.map((o) => ({ line: o.line, note: `${o.function} releases it too` })),
            ],
            ...(edit ? { fix: { description: `Release and clear it with Py_CLEAR(${field.expr})`, edits: [edit] } } : {}),
            key: `${key}@${field.line}`,
          });
        }
      },
    };
  },
});

import { indentOf } from '../fix/edits.js';
import type { EventOf } from '../ownership/events.js';
import { traceOf } from './trace.js';
import { createRule } from './types.js';

/** Lines that may stand between taking a reference and releasing it on receipt: its NULL check and the way out. */
const CHECK_LINE = /^\s*(\{|\}|if\s*\(\s*!?\s*\w+\s*(==\s*NULL\s*)?\)\s*\{?|(return|goto)\b[^;]*;|\/\/.*|\/\*.*\*\/)?\s*$/;

/**
 * Calls that fetch an object something else stores (`PyException_GetContext`, `PyImport_GetModule`), not make one.
 * Attribute lookups are left out: they often make a fresh object (a bound method, a property's value).
 */
const GETTER = /Get(?!Attr)/;

/**
 * `slow_o = PyException_GetContext(slow_o); Py_DECREF(slow_o);`: a fetched reference released as soon as it arrives,
 * with nothing but its NULL check between, is the C API's idiom for borrowing what another owner keeps alive
 * (a context chain, sys.modules, a module's dict). A fresh object released that way, or a release made later, is
 * judged as usual.
 */
function releasedOnReceipt(lines: readonly string[], acquired: number, released: number): boolean {
  if (released <= acquired) return false;
  const depth = indentOf(lines[acquired - 1] ?? '').length;
  // Deeper lines are the NULL check's own body (setting the error before leaving).
  return lines.slice(acquired, released - 1).every((text) => CHECK_LINE.test(text) || indentOf(text).length > depth);
}

export default createRule({
  meta: {
    id: 'use-after-release',
    title: 'Reference used after its release',
    name: 'ReferenceUsedAfterRelease',
    defaultSeverity: 'error',
    description: 'A reference is read, passed or dereferenced after its release.',
    messages: {
      released: '`{{expr}}` is used here after it was released at line {{at}}',
      container: '`{{expr}}` was borrowed from `{{container}}`, which was released at line {{at}}: the item may already be freed',
    },
    fixable: false,
  },
  create(context) {
    return {
      use(e: EventOf<'use'>) {
        if (e.ref.uncertain) return;
        const at = e.container?.ended?.line ?? e.ref.ended?.line;
        if (at === undefined) return;
        // Returned right after such a release: the helper hands out a borrowed reference on purpose.
        if (!e.container && (GETTER.test(e.ref.source) || e.how === 'return') && releasedOnReceipt(context.lines, e.ref.line, at)) return;
        context.report({
          messageId: e.container ? 'container' : 'released',
          data: { expr: e.expr, at, container: e.container?.source ?? '' },
          line: e.line,
          trace: traceOf(e.trace, [e.ref.id, e.container?.id], { line: e.line, note: `used ${e.how === 'return' ? 'as the return value' : e.how === 'argument' ? `as an argument${e.callee ? ` of ${e.callee}` : ''}` : 'through a dereference'}` }),
          // The first use on a path shows the bug; the uses after it follow from it.
          key: e.ref.id,
        });
      },
    };
  },
});

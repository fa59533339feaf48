import type { EventOf } from '../ownership/events.js';
import { traceOf } from './trace.js';
import { createRule } from './types.js';

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

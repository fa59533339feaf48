import { deleteLine, isLoneCall } from '../fix/edits.js';
import type { EventOf } from '../ownership/events.js';
import { createRule } from './types.js';

const RELEASES = ['Py_DECREF', 'Py_XDECREF', 'Py_CLEAR', 'Py_DecRef'];

export default createRule({
  meta: {
    id: 'double-release',
    defaultSeverity: 'error',
    description: 'The same reference is released twice on one path.',
    messages: {
      twice: '`{{expr}}` is released here, but it was already released at line {{first}} on this path',
    },
    fixable: true,
  },
  create(context) {
    const report = (expr: string, line: number, first: number, trace: EventOf<'release'>['trace'], inBlock: boolean): void => {
      const lone = inBlock && isLoneCall(context.lines[line - 1], RELEASES);
      context.report({
        messageId: 'twice',
        data: { expr, first },
        line,
        trace: [...trace, { line, note: `released again by ${expr}` }],
        ...(lone ? { fix: { description: 'Delete the second release', edits: [deleteLine(line)] } } : {}),
        key: `${expr}@${line}`,
      });
    };
    return {
      release(e: EventOf<'release'>) {
        const ended = e.before.ended;
        if (ended?.how !== 'released' || e.before.uncertain) return;
        report(e.expr, e.line, ended.line, e.trace, e.inBlock);
      },
      'field-double-release'(e: EventOf<'field-double-release'>) {
        report(e.expr, e.line, e.firstLine, e.trace, true);
      },
    };
  },
});

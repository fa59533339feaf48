import type { EventOf } from '../ownership/events.js';
import { traceOf } from './trace.js';
import { createRule } from './types.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `PyTuple_SET_ITEM(t, 3, Py_None); PyTuple_SET_ITEM(t, 4, Py_None); Py_INCREF(Py_None); Py_INCREF(Py_None);`: the
 * steals are paid for right after instead of before. Counted over the run of lines that mention it from the steal on,
 * so an increment that pays for a later steal in the run does not also pay for this one.
 */
function paidRightAfter(lines: readonly string[], line: number, expr: string): boolean {
  const increment = new RegExp(`^\\s*Py_X?INCREF\\(\\s*${escapeRegExp(expr)}\\s*\\);`);
  let owed = 1;
  for (const text of lines.slice(line, line + 10)) {
    if (text.trim() === '') continue;
    if (increment.test(text)) owed--;
    else if (text.includes(expr)) owed++;
    else break;
  }
  return owed <= 0;
}

/**
 * `PyTuple_SET_ITEM(t, 0, num); ... Py_DECREF(num); ... PyTuple_SET_ITEM(t, 0, other);`: the slot is written again
 * without releasing what it held, so the release between gave up the slot's reference, the only one it ever had.
 */
function slotRefilled(lines: readonly string[], stolenAt: number, releasedAt: number, lastLine: number, expr: string): boolean {
  const steal = new RegExp(`\\b(Py(?:Tuple|List|StructSequence)_SET_ITEM)\\s*\\(\\s*(.+?)\\s*,\\s*(.+?)\\s*,\\s*${escapeRegExp(expr)}\\s*\\)`).exec(lines[stolenAt - 1] ?? '');
  if (!steal) return false;
  const [, macro, container, index] = steal;
  const again = new RegExp(`\\b${macro}\\s*\\(\\s*${escapeRegExp(container!)}\\s*,\\s*${escapeRegExp(index!)}\\s*,`);
  return lines.slice(releasedAt, lastLine).some((text) => again.test(text));
}

export default createRule({
  meta: {
    id: 'steal-misuse',
    title: 'Stolen reference misused',
    name: 'StolenReferenceMisused',
    defaultSeverity: 'error',
    description: 'A reference is released after a call stole it, handed to a stealing call while borrowed, or leaked when a call that steals only on success failed.',
    messages: {
      releasedAfterSteal: '`{{expr}}` was stolen by `{{by}}` at line {{at}} (it steals even when it fails): releasing it here releases it twice',
      borrowedStolen: '`{{expr}}` is a borrowed reference ({{source}}), but `{{callee}}` steals it: add Py_INCREF({{expr}}) before the call',
      stolenTwice: '`{{expr}}` was already stolen by `{{by}}` at line {{at}}; `{{callee}}` steals it again',
      failedSteal: '`{{callee}}` (line {{at}}) steals only on success; on this failure path `{{source}}`\'s reference is still owned and is not released',
    },
    fixable: false,
  },
  create(context) {
    return {
      release(e: EventOf<'release'>) {
        const ended = e.before.ended;
        if (ended?.how !== 'stolen' || e.before.uncertain) return;
        if (slotRefilled(context.lines, ended.line, e.line, context.fn.parsed.endLine, e.expr)) return;
        context.report({
          messageId: 'releasedAfterSteal',
          data: { expr: e.expr, by: ended.by, at: ended.line },
          line: e.line,
          trace: traceOf(e.trace, [e.before.id], { line: e.line, note: `released by ${e.callee} after the steal` }),
          key: `${e.expr}@${e.line}`,
        });
      },
      steal(e: EventOf<'steal'>) {
        const ref = e.before;
        if (ref.uncertain || ref.escaped) return;
        if (ref.ended?.how === 'stolen') {
          context.report({
            messageId: 'stolenTwice',
            data: { expr: e.expr, by: ref.ended.by, at: ref.ended.line, callee: e.callee },
            line: e.line,
            trace: traceOf(e.trace, [ref.id]),
            key: `${e.expr}@${e.line}`,
          });
        } else if (ref.origin === 'borrowed' && ref.owned <= 0 && !ref.ended && !paidRightAfter(context.lines, e.line, e.expr)) {
          context.report({
            messageId: 'borrowedStolen',
            data: { expr: e.expr, source: ref.id.startsWith('param:') ? ref.source : `borrowed from ${ref.source}`, callee: e.callee },
            line: e.line,
            trace: traceOf(e.trace, [ref.id], { line: e.line, note: `${e.callee} steals it` }),
            key: `${e.expr}@${e.line}`,
          });
        }
      },
      exit(e: EventOf<'exit'>) {
        if (e.opaque) return;
        for (const ref of e.state.refs.values()) {
          const failed = ref.keptByFailedSteal;
          if (!failed || ref.owned <= 0 || ref.escaped || ref.uncertain) continue;
          context.report({
            messageId: 'failedSteal',
            data: { callee: failed.callee, at: failed.line, source: ref.source },
            line: e.line,
            trace: traceOf(e.trace, [ref.id], { line: e.line, note: 'leaves without releasing it' }),
            key: `${ref.id}@${e.line}`,
          });
        }
      },
    };
  },
});

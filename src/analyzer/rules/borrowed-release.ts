import { RELEASE_CALLS, deleteLine, isLoneCall } from '../fix/edits.js';
import type { EventOf } from '../ownership/events.js';
import { traceOf } from './trace.js';
import { createRule } from './types.js';

function consumed(how: string | undefined): boolean {
  return how === 'released' || how === 'stolen';
}

const SLOT_MACROS = new Set(['PyTuple_GET_ITEM', 'PyList_GET_ITEM']);

/**
 * `v->func = NULL; Py_DECREF(func); Py_DECREF(v);`: a parameter released in the block that just cleared one of its own
 * fields gives up the reference the object held on itself while that field was set (a pending timer or callback).
 */
function releasesSelfHold(lines: readonly string[], line: number, expr: string): boolean {
  if (!/^\w+$/.test(expr)) return false;
  const indent = (text: string | undefined): number => /^\s*/.exec(text ?? '')![0].length;
  const depth = indent(lines[line - 1]);
  const cleared = new RegExp(`\\b${expr}\\s*->\\s*\\w+\\s*=\\s*NULL\\s*;`);
  for (let k = line - 1; k >= 1 && k >= line - 8; k--) {
    const text = lines[k - 1] ?? '';
    if (text.trim() !== '' && indent(text) < depth) return false;
    if (cleared.test(text)) return true;
  }
  return false;
}

export default createRule({
  meta: {
    id: 'borrowed-release',
    title: 'Release of a borrowed reference',
    name: 'BorrowedReferenceReleased',
    defaultSeverity: 'error',
    description: 'A borrowed reference is released: the function does not own it.',
    messages: {
      borrowed: '`{{expr}}` is a borrowed reference ({{source}}, line {{from}}): releasing it frees an object this function does not own',
    },
    fixable: true,
  },
  create(context) {
    const releases: Array<EventOf<'release'>> = [];
    const exits: Array<EventOf<'exit'>> = [];
    return {
      release(e: EventOf<'release'>) {
        const ref = e.before;
        if (ref.origin !== 'borrowed' || ref.owned > 0 || ref.ended || ref.uncertain) return;
        // `Py_DECREF(PyTuple_GET_ITEM(t, i))` is how code that refills a tuple it owns clears a slot.
        if (SLOT_MACROS.has(ref.source) && e.expr.startsWith(ref.source)) return;
        releases.push(e);
      },
      exit(e: EventOf<'exit'>) {
        exits.push(e);
      },
      done() {
        for (const e of releases) {
          // A parameter released on every path is one the function takes by contract (it steals it), not a slip.
          if (e.before.id.startsWith('param:') && exits.every((x) => consumed(x.state.refs.get(e.before.id)?.ended?.how))) continue;
          if (e.before.id.startsWith('param:') && releasesSelfHold(context.lines, e.line, e.expr)) continue;
          report(e);
        }
      },
    };

    function report(e: EventOf<'release'>): void {
      const ref = e.before;
      const lone = e.inBlock && isLoneCall(context.lines[e.line - 1], RELEASE_CALLS);
      context.report({
        messageId: 'borrowed',
        data: { expr: e.expr, source: ref.id.startsWith('param:') ? ref.source : `borrowed from ${ref.source}`, from: ref.line },
        line: e.line,
        trace: traceOf(e.trace, [ref.id], { line: e.line, note: `released by ${e.callee}` }),
        ...(lone ? { fix: { description: 'Delete the release', edits: [deleteLine(e.line)] } } : {}),
        key: `${ref.id}@${e.line}`,
      });
    }
  },
});

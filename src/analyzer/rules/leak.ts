import { insertBefore, isLoneExit } from '../fix/edits.js';
import type { EventOf } from '../ownership/events.js';
import { CALLER_MISUSE, type RefFacts, holders, pendingOn } from '../ownership/state.js';
import { traceOf } from './trace.js';
import { createRule } from './types.js';

/** An owned reference the caller will not get and nobody else holds. */
function isLeaked(ref: RefFacts): boolean {
  // A field or global that was given one more reference keeps it: that is how objects take ownership.
  return ref.owned > 0 && ref.origin !== 'field' && !ref.escaped && !ref.uncertain && ref.nullness !== 'null' && !ref.id.startsWith('global:') && !ref.keptByFailedSteal;
}

/** What a reference made one's own by Py_INCREF was before: `parameter op`, `self->x`, the borrowed result of a call. */
function describeBorrowed(ref: RefFacts): string {
  return ref.id.startsWith('param:') || ref.origin === 'field' ? `\`${ref.source}\`` : `the borrowed result of \`${ref.source}\``;
}

/** `/* Py_DECREF(result); - We're about to exec so why bother? *\/`: names whose release the author wrote and then commented out. */
function releasedInComments(body: string): ReadonlySet<string> {
  const names = new Set<string>();
  for (const comment of body.match(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g) ?? []) {
    for (const m of comment.matchAll(/\bPy_X?DECREF\s*\(\s*(\w+)\s*\)/g)) names.add(m[1]!);
  }
  return names;
}

export default createRule({
  meta: {
    id: 'leak',
    title: 'New reference not released',
    name: 'NewReferenceLeaked',
    defaultSeverity: 'error',
    description: 'A new reference reaches the end of a path without being released or handed off.',
    messages: {
      notReleased: '`{{name}}` holds a new reference from `{{source}}` (line {{from}}) that is not released on this path',
      increfNotReleased: '`{{name}}` holds a reference of its own, added by Py_INCREF to {{source}} (line {{from}}), that is not released on this path',
      notReleasedUnnamed: 'the new reference from `{{source}}` (line {{from}}) is not released on this path',
      temporary: 'new reference from `{{source}}` is never released: it is dropped here, and `{{source}}`\'s result is not stolen by anything',
      overwritten: 'new reference from `{{source}}` (line {{from}}) is lost here: nothing points at it any more, so it can no longer be released',
    },
    fixable: true,
  },
  create(context) {
    const exitsByLine = new Map<number, Array<EventOf<'exit'>>>();
    const leaks: Array<{ e: EventOf<'exit'>; ref: RefFacts; name: string | undefined }> = [];
    // The author chose to keep these references: the release is there, commented out.
    const keptOnPurpose = releasedInComments(context.fn.parsed.body.text);
    return {
      exit(e: EventOf<'exit'>) {
        // A leak while reporting that the caller broke the contract is not the defect to fix there.
        if (e.opaque || e.state.vars.has(CALLER_MISUSE)) return;
        const atLine = exitsByLine.get(e.line) ?? [];
        atLine.push(e);
        exitsByLine.set(e.line, atLine);
        const returned = e.returned?.kind === 'ref' ? e.returned.ref : undefined;
        for (const ref of e.state.refs.values()) {
          // Returning an object while keeping one more reference to it is a deliberate extra reference.
          // A status nobody tested: the call that steals on success is taken to have succeeded.
          if (ref.id === returned || pendingOn(e.state, ref.id)) continue;
          // A parameter given one more reference is the helper's purpose (Py_IncRef) or a keep-alive, not a leak to flag.
          if (ref.id.startsWith('param:')) continue;
          const names = holders(e.state, ref.id);
          if (isLeaked(ref) && !names.some((n) => keptOnPurpose.has(n))) leaks.push({ e, ref, name: names[0] });
        }
      },
      unreachable(e: EventOf<'unreachable'>) {
        context.report({
          messageId: e.cause,
          data: { source: e.ref.source, from: e.ref.line },
          line: e.line,
          trace: traceOf(e.trace, [e.ref.id], { line: e.line, note: 'the last pointer to it is gone here' }),
          key: `${e.ref.id}@${e.line}`,
        });
      },
      done() {
        for (const { e, ref, name } of leaks) {
          // One inserted Py_DECREF serves every path through this exit, so it must be right on all of them.
          const safe = name !== undefined && (exitsByLine.get(e.line) ?? []).every((other) => holdsExactlyOne(other, ref.id, name));
          const edit = safe && e.inBlock && isLoneExit(context.lines[e.line - 1]) ? insertBefore(context.lines, e.line, `Py_DECREF(${name});`) : undefined;
          context.report({
            messageId: !name ? 'notReleasedUnnamed' : ref.origin === 'new' ? 'notReleased' : 'increfNotReleased',
            data: { source: ref.origin === 'new' ? ref.source : describeBorrowed(ref), from: ref.line, name: name ?? '' },
            line: e.line,
            trace: traceOf(e.trace, [ref.id], { line: e.line, note: `${name ? `\`${name}\`` : 'the reference'} is not released before ${e.how === 'end' ? 'the function ends' : e.how === 'throw' ? 'the throw' : 'this return'}` }),
            ...(edit ? { fix: { description: `Release \`${name}\` before leaving`, edits: [edit] } } : {}),
            key: `${ref.id}@${e.line}`,
            subject: `${context.lines[ref.line - 1] ?? ''} ${name ?? ''}`,
          });
        }
      },
    };
  },
});

/** On this path the variable holds the reference, owned once, certainly not NULL, and not returned. */
function holdsExactlyOne(e: EventOf<'exit'>, id: string, name: string): boolean {
  const ref = e.state.refs.get(id);
  const value = e.state.vars.get(name);
  const returned = e.returned?.kind === 'ref' && e.returned.ref === id;
  return !!ref && !returned && value?.kind === 'ref' && value.ref === id && ref.owned === 1 && ref.nullness === 'nonnull' && !ref.escaped && !ref.uncertain;
}

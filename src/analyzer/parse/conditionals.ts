import { blankOut } from './mask.js';

/** 1-based, inclusive. */
export interface LineRange {
  readonly startLine: number;
  readonly endLine: number;
}

const DIRECTIVE = /^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/;

interface Group {
  /** Lines of this group are rewritten: its `#if` stands inside one of the ranges. */
  readonly selected: boolean;
  /** Index of the branch read: the first, or the second after `#if 0`. */
  readonly kept: number;
  branch: number;
}

/**
 * Keep one branch of each `#if` group that starts inside `ranges`; blank the other branches and all
 * of the group's directives, same length and line breaks. Branches that each hold half of an `if`/`else`
 * (`} else\n#endif`) cannot be parsed together, but each one alone is plain C. The branch kept is
 * the first, or the second after `#if 0`, so code that is never compiled is never the one read.
 */
export function keepOneBranch(text: string, ranges: readonly LineRange[]): string {
  if (ranges.length === 0) return text;
  const inRange = (line: number): boolean => ranges.some((r) => line >= r.startLine && line <= r.endLine);
  const lines = text.split('\n');
  const groups: Group[] = [];
  const dropped = (): boolean => groups.some((group) => group.selected && group.branch !== group.kept);
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const directive = DIRECTIVE.exec(line);
    const keyword = directive?.[1];
    if (keyword === 'if' || keyword === 'ifdef' || keyword === 'ifndef') {
      const isZero = keyword === 'if' && /^\s*0\s*(\/[/*].*)?$/.test(directive?.[2] ?? '');
      const group: Group = { selected: inRange(index + 1), kept: isZero ? 1 : 0, branch: 0 };
      if (group.selected || dropped()) lines[index] = blankOut(line);
      groups.push(group);
    } else if ((keyword === 'elif' || keyword === 'else') && groups.length > 0) {
      const group = groups[groups.length - 1];
      if (group) group.branch += 1;
      if (group?.selected || dropped()) lines[index] = blankOut(line);
    } else if (keyword === 'endif' && groups.length > 0) {
      const group = groups.pop();
      if (group?.selected || dropped()) lines[index] = blankOut(line);
    } else if (dropped()) {
      lines[index] = blankOut(line);
    }
  }
  return lines.join('\n');
}

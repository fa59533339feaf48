import type { Config } from '../config/schema.js';

export type Command = { readonly kind: 'review'; readonly mode: 'diff' | 'full' } | { readonly kind: 'help' };

/** The command in a comment whose first line starts with `/refcheck`; undefined for any other comment. */
export function parseCommand(body: string): Command | undefined {
  const [name, ...args] = (body.trimStart().split(/\r?\n/, 1)[0] ?? '').trim().split(/\s+/);
  if (name !== '/refcheck') return undefined;
  if (args.length === 0) return { kind: 'review', mode: 'diff' };
  if (args.length === 1 && args[0]?.toLowerCase() === 'full') return { kind: 'review', mode: 'full' };
  return { kind: 'help' };
}

export const HELP_TEXT = [
  'refcheck checks reference counting in Python C API code. Commands:',
  '',
  '- `/refcheck`: review the functions this pull request touches, at its current head',
  '- `/refcheck full`: analyse every function of the changed C/C++ files and report in the check run',
  '- `/refcheck help`: show this message',
  '',
  'Settings live in `.github/refcheck.yml`; `commands.allowed` says who may run commands.',
].join('\n');

export interface Commenter {
  readonly login: string;
  /** GitHub's `author_association`: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE... */
  readonly association: string;
}

/** A person may run commands when `commands.allowed` lists their role, or AUTHOR and they opened the pull request. */
export function mayRunCommands(commenter: Commenter, pullAuthor: string, allowed: Config['commands']['allowed']): boolean {
  if (allowed.includes('EVERYONE')) return true;
  if (allowed.includes('AUTHOR') && commenter.login === pullAuthor) return true;
  return (allowed as readonly string[]).includes(commenter.association);
}

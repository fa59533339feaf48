import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { mayRunCommands, parseCommand } from '../../src/review/commands.js';

describe('parseCommand', () => {
  it.each([
    ['/refcheck', { kind: 'review', mode: 'diff' }],
    ['  /refcheck  \nthanks!', { kind: 'review', mode: 'diff' }],
    ['/refcheck full', { kind: 'review', mode: 'full' }],
    ['/refcheck FULL', { kind: 'review', mode: 'full' }],
    ['/refcheck help', { kind: 'help' }],
    ['/refcheck frobnicate', { kind: 'help' }],
    ['/refcheck full please', { kind: 'help' }],
  ])('reads %j', (body, command) => {
    expect(parseCommand(body)).toEqual(command);
  });

  it.each(['please /refcheck', '/refchecks', 'LGTM', '', '> /refcheck'])('ignores %j', (body) => {
    expect(parseCommand(body)).toBeUndefined();
  });
});

describe('mayRunCommands', () => {
  const allowed = DEFAULT_CONFIG.commands.allowed;

  it('admits owners, members and collaborators by default', () => {
    for (const association of ['OWNER', 'MEMBER', 'COLLABORATOR']) expect(mayRunCommands({ login: 'x', association }, 'alice', allowed)).toBe(true);
  });

  it("admits the pull request's author, but not other outsiders", () => {
    expect(mayRunCommands({ login: 'alice', association: 'NONE' }, 'alice', allowed)).toBe(true);
    expect(mayRunCommands({ login: 'eve', association: 'CONTRIBUTOR' }, 'alice', allowed)).toBe(false);
    expect(mayRunCommands({ login: 'eve', association: 'NONE' }, 'alice', allowed)).toBe(false);
  });

  it('follows commands.allowed', () => {
    expect(mayRunCommands({ login: 'alice', association: 'NONE' }, 'alice', ['OWNER'])).toBe(false);
    expect(mayRunCommands({ login: 'eve', association: 'NONE' }, 'alice', ['EVERYONE'])).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/cli/config-file.js';

describe('loadConfigText', () => {
  it('validates YAML against the config schema and fills in defaults', () => {
    const loaded = loadConfigText('python: "3.10"\nrules:\n  leak: warning\n');
    expect(loaded.ok && loaded.config).toMatchObject({ python: '3.10', rules: { leak: 'warning' }, fail_on: 'never' });
    expect(loaded.ok && loaded.setsFailOn).toBe(false);
  });

  it('tells whether the file sets fail_on itself', () => {
    const loaded = loadConfigText('fail_on: never\n');
    expect(loaded.ok && loaded.setsFailOn).toBe(true);
  });

  it('accepts an empty file', () => {
    expect(loadConfigText('').ok).toBe(true);
  });

  it('gives one line per schema problem', () => {
    expect(loadConfigText('python: 3.8\nunknown: 1\n')).toEqual({
      ok: false,
      errors: ['python: Invalid input: expected string, received number', '(top level): Unrecognized key: "unknown"'],
    });
  });

  it('gives the line of a YAML syntax error', () => {
    const loaded = loadConfigText('rules:\n  leak: [warning\n');
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.errors[0]).toMatch(/line \d+, column \d+$/);
  });
});

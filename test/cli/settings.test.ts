import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { resolveSettings } from '../../src/cli/settings.js';

const config = configSchema.parse({ python: '3.9', fail_on: 'note', paths: { exclude: ['vendor/**'] } });

describe('resolveSettings', () => {
  it('uses the defaults without a config file, with fail-on error', () => {
    expect(resolveSettings({ paths: [], format: 'text' }, undefined)).toMatchObject({
      python: '3.8',
      failOn: 'error',
      include: ['**/*'],
      exclude: [],
    });
  });

  it('takes the config file over the defaults', () => {
    expect(resolveSettings({ paths: [], format: 'text' }, { config, setsFailOn: true })).toMatchObject({
      python: '3.9',
      failOn: 'note',
      exclude: ['vendor/**'],
    });
  });

  it('ignores the schema default for fail_on when the file does not set it', () => {
    const unset = configSchema.parse({});
    expect(resolveSettings({ paths: [], format: 'text' }, { config: unset, setsFailOn: false }).failOn).toBe('error');
  });

  it('takes flags over the config file', () => {
    const settings = resolveSettings({ paths: [], format: 'text', python: '3.12', failOn: 'never' }, { config, setsFailOn: true });
    expect(settings).toMatchObject({ python: '3.12', failOn: 'never' });
  });
});

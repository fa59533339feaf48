import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { loadConfig } from '../../src/review/config.js';

describe('loadConfig', () => {
  it('uses the defaults when there is no config file', async () => {
    expect(await loadConfig(async () => null)).toEqual({ ok: true, config: DEFAULT_CONFIG });
  });

  it('validates what it reads', async () => {
    const result = await loadConfig(async () => ({ max_comments: 5, python: '3.10' }));
    expect(result.ok).toBe(true);
    expect(result.config).toMatchObject({ max_comments: 5, python: '3.10' });
  });

  it('falls back to the defaults, with the reasons, when the config is invalid', async () => {
    const result = await loadConfig(async () => ({ max_comments: 'lots' }));
    expect(result.ok).toBe(false);
    expect(result.config).toEqual(DEFAULT_CONFIG);
    expect(!result.ok && result.errors[0]).toMatch(/^max_comments: /);
  });

  it('falls back to the defaults when the file cannot be read at all', async () => {
    const result = await loadConfig(async () => {
      throw new Error('invalid YAML');
    });
    expect(result).toEqual({ ok: false, config: DEFAULT_CONFIG, errors: ['could not be read: invalid YAML'] });
  });
});

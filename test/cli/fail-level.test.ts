import { describe, expect, it } from 'vitest';
import { exitCodeFor, failsAt } from '../../src/cli/fail-level.js';
import { fakeFinding } from '../output/fake-findings.js';

describe('failsAt', () => {
  it('fails on the level and above, and never on never', () => {
    expect(failsAt('error', 'warning')).toBe(true);
    expect(failsAt('warning', 'warning')).toBe(true);
    expect(failsAt('note', 'warning')).toBe(false);
    expect(failsAt('error', 'never')).toBe(false);
  });
});

describe('exitCodeFor', () => {
  it('is 1 when any finding reaches the level, else 0', () => {
    const findings = [fakeFinding({ severity: 'note' }), fakeFinding({ severity: 'warning' })];
    expect(exitCodeFor(findings, 'warning')).toBe(1);
    expect(exitCodeFor(findings, 'error')).toBe(0);
    expect(exitCodeFor([], 'note')).toBe(0);
  });
});

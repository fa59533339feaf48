import { describe, expect, it } from 'vitest';
import { keyedQueue } from '../../src/review/queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('keyedQueue', () => {
  it('runs tasks of one key one after another, and tasks of other keys alongside', async () => {
    const enqueue = keyedQueue();
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name} start`);
      await tick();
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([enqueue('pr1', task('a')), enqueue('pr1', task('b')), enqueue('pr2', task('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events.indexOf('a end')).toBeLessThan(events.indexOf('b start'));
    expect(events.indexOf('c start')).toBeLessThan(events.indexOf('a end'));
  });

  it('keeps going after a task fails, and reports the failure to its caller', async () => {
    const enqueue = keyedQueue();
    const failed = enqueue('pr', () => Promise.reject(new Error('boom')));
    const next = enqueue('pr', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});

import { describe, expect, it } from 'vitest';
import { NotModifiedBatch } from '../../src/app/not-modified-batch.js';
import type { NotModifiedPoll } from '../../src/app/ports.js';

const poll = (feedId: number): NotModifiedPoll => ({
  feedId,
  at: new Date(0),
  nextPollAt: new Date(60_000),
});

describe('NotModifiedBatch', () => {
  it('writes a full batch in one call, and the rest when flushed', () => {
    const writes: number[][] = [];
    const batch = new NotModifiedBatch(
      { recordNotModified: (ps) => void writes.push(ps.map((p) => p.feedId)) },
      3,
    );
    for (const id of [1, 2, 3, 4]) batch.add(poll(id));
    expect(writes).toEqual([[1, 2, 3]]);
    batch.flush();
    batch.flush();
    expect(writes).toEqual([[1, 2, 3], [4]]);
  });

  it('starts a new batch even when writing one failed (those feeds are only polled again early)', () => {
    const writes: number[][] = [];
    let fail = true;
    const batch = new NotModifiedBatch(
      {
        recordNotModified: (ps) => {
          if (fail) throw new Error('disk I/O error');
          writes.push(ps.map((p) => p.feedId));
        },
      },
      2,
    );
    batch.add(poll(1));
    expect(() => batch.add(poll(2))).toThrow('disk I/O error');
    fail = false;
    batch.add(poll(3));
    batch.flush();
    expect(writes).toEqual([[3]]);
  });
});

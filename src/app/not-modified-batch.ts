import type { NotModifiedPoll, Store } from './ports.js';

/** 304s written per transaction: most of a tick's polls are 304s, and each commit costs more than its update. */
const BATCH_SIZE = 64;

/**
 * The 304 polls of a tick, recorded a batch at a time instead of one commit each. What a 304 records is only when
 * to poll next: if the process dies before a batch is written, those feeds are polled again early, and answer 304
 * again. A 304 that clears failures is not batched (see poll-feed.ts), so a recovery notice is never sent twice.
 */
export class NotModifiedBatch {
  private polls: NotModifiedPoll[] = [];

  constructor(
    private readonly store: Pick<Store, 'recordNotModified'>,
    private readonly size = BATCH_SIZE,
  ) {}

  add(poll: NotModifiedPoll): void {
    this.polls.push(poll);
    if (this.polls.length >= this.size) this.flush();
  }

  flush(): void {
    if (this.polls.length === 0) return;
    const polls = this.polls;
    this.polls = [];
    this.store.recordNotModified(polls);
  }
}

import { nextPollAfterFailure } from '../core/poll-schedule.js';
import { forEachLimited } from './concurrency.js';
import { NotModifiedBatch } from './not-modified-batch.js';
import { pollFeed, type PollFeedDeps, type PollReport } from './poll-feed.js';

export interface TickSummary {
  feeds: number;
  ok: number;
  notModified: number;
  errors: number;
  newItems: number;
  alerts: number;
  durationMs: number;
}

/** Polls every feed that is due, with bounded concurrency. One feed's failure never stops the others. */
export async function pollDueFeeds(
  deps: PollFeedDeps,
  options: { concurrency: number; maxFeeds?: number },
): Promise<TickSummary> {
  const started = Date.now();
  const due = deps.store.listDueFeeds(deps.clock.now(), options.maxFeeds ?? 10_000);
  const reports: PollReport[] = [];
  const notModified = new NotModifiedBatch(deps.store);
  const tickDeps: PollFeedDeps = { ...deps, notModified };
  await forEachLimited(deps.pollOrder?.order(due) ?? due, options.concurrency, async (feed) => {
    const startedAt = Date.now();
    try {
      reports.push(await pollFeed(tickDeps, feed));
      deps.pollOrder?.record(feed.id, Date.now() - startedAt);
    } catch (err) {
      // A bug, not a feed problem: log it with its stack, and push the feed back so it is not retried in a hot loop.
      deps.log.error({ err, feedId: feed.id, url: feed.url }, 'internal error while polling feed');
      const now = deps.clock.now();
      const failures = feed.consecutiveFailures + 1;
      deps.store.recordFailure(feed.id, {
        at: now,
        code: 'internal',
        message: `internal error: ${err instanceof Error ? err.message : String(err)}`,
        nextPollAt: nextPollAfterFailure(now, feed.intervalSec, failures, deps.timing, deps.random),
      });
      reports.push({ feedId: feed.id, status: 'error', problem: { code: 'internal', message: String(err) } });
    }
  });
  notModified.flush();
  const summary: TickSummary = {
    feeds: due.length,
    ok: 0,
    notModified: 0,
    errors: 0,
    newItems: 0,
    alerts: 0,
    durationMs: Date.now() - started,
  };
  for (const r of reports) {
    if (r.status === 'ok') {
      summary.ok++;
      summary.newItems += r.newItems;
      summary.alerts += r.alerts;
    } else if (r.status === 'not-modified') summary.notModified++;
    else summary.errors++;
  }
  return summary;
}

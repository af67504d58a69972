import { forEachLimited } from './concurrency.js';
import type { AlertSender, Clock, DestinationKind, Log, OutboxRow, PipelineEvents, Store } from './ports.js';

export interface DeliveryDeps {
  store: Store;
  senders: ReadonlyMap<DestinationKind, AlertSender>;
  clock: Clock;
  log: Log;
  /** Attempts before an alert is given up (and logged as failed). */
  maxAttempts?: number;
  batchSize?: number;
  events?: PipelineEvents;
}

export interface DeliverySummary {
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * Sends due alerts from the outbox. Each destination gets its alerts in order, one at a time; destinations run side by
 * side, so one slow or broken destination never holds up the others. An alert is marked delivered only after the
 * destination accepted it, so a crash at any point leaves it pending and it is sent after restart.
 */
export async function deliverAlerts(deps: DeliveryDeps): Promise<DeliverySummary> {
  const summary: DeliverySummary = { delivered: 0, retrying: 0, failed: 0 };
  const pending = deps.store.listPendingAlerts(deps.clock.now(), deps.batchSize ?? 500);
  const byDestination = new Map<number, OutboxRow[]>();
  for (const row of pending) {
    const list = byDestination.get(row.destinationId) ?? [];
    list.push(row);
    byDestination.set(row.destinationId, list);
  }
  await forEachLimited([...byDestination.entries()], 8, async ([destinationId, rows]) => {
    for (const row of rows) {
      const outcome = await deliverOne(deps, destinationId, row);
      summary[outcome]++;
      const destination = deps.store.getDestination(destinationId);
      if (destination) {
        const published = row.alert.published ? new Date(row.alert.published) : null;
        deps.events?.alertAttempted?.({ destination, outcome, publishedAt: published, at: deps.clock.now() });
      }
      // Later alerts wait behind one that must be retried: a channel sees alerts in the order they were found.
      if (outcome === 'retrying') break;
    }
  });
  return summary;
}

async function deliverOne(
  deps: DeliveryDeps,
  destinationId: number,
  row: OutboxRow,
): Promise<keyof DeliverySummary> {
  const { store, log } = deps;
  const destination = store.getDestination(destinationId);
  if (!destination || !destination.enabled) {
    const reason = destination?.disabledReason ?? 'destination removed';
    store.markFailed(row.id, `destination disabled: ${reason}`);
    log.warn({ alertId: row.id, destinationId, reason }, 'alert not delivered: its destination is disabled');
    return 'failed';
  }
  const sender = deps.senders.get(destination.kind);
  if (!sender) {
    // E.g. a discord-channel destination while the bot runs without a token: keep it for when the bot is back.
    store.markRetry(row.id, {
      error: `no sender for ${destination.kind}`,
      nextAttemptAt: later(deps, row, 3600_000),
    });
    return 'retrying';
  }
  let result;
  try {
    result = await sender.send(destination, row);
  } catch (err) {
    log.error({ err, alertId: row.id, destinationId }, 'internal error while delivering alert');
    result = { ok: false as const, retry: true as const, error: `internal error: ${String(err)}` };
  }
  const now = deps.clock.now();
  if (result.ok) {
    store.markDelivered(row.id, now, result.remoteId);
    return 'delivered';
  }
  const ctx = {
    alertId: row.id,
    destination: destination.name,
    kind: destination.kind,
    attempts: row.attempts + 1,
  };
  if (result.retry && row.attempts + 1 < (deps.maxAttempts ?? 10)) {
    store.markRetry(row.id, { error: result.error, nextAttemptAt: later(deps, row, result.retryAfterMs) });
    log.warn(ctx, `alert delivery will be retried: ${result.error}`);
    return 'retrying';
  }
  store.markFailed(row.id, result.error);
  log.error(ctx, `alert delivery failed for good: ${result.error}`);
  if (!result.retry && result.disableDestination) {
    store.disableDestination(destination.id, result.error);
    log.error(
      { destination: destination.name, kind: destination.kind },
      `destination disabled: ${result.error}`,
    );
  }
  return 'failed';
}

/** Exponential backoff from 5 s to 1 h, or what the destination asked for. */
function later(deps: DeliveryDeps, row: OutboxRow, retryAfterMs?: number): Date {
  const backoff = Math.min(5_000 * 2 ** row.attempts, 3600_000);
  return new Date(deps.clock.now().getTime() + Math.max(backoff, retryAfterMs ?? 0));
}

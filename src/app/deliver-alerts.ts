import { forEachLimited } from './concurrency.js';
import { deliverUpdates } from './deliver-updates.js';
import { applyDeliveryPolicy } from './delivery-policy.js';
import type {
  AlertSender,
  Clock,
  DestinationKind,
  DestinationRow,
  Log,
  OutboxRow,
  PipelineEvents,
  SendResult,
  Store,
} from './ports.js';
import type { DestinationPolicy } from './story-ports.js';

export interface DeliveryDeps {
  store: Store;
  senders: ReadonlyMap<DestinationKind, AlertSender>;
  clock: Clock;
  log: Log;
  /** Attempts before an alert is given up (and logged as failed). */
  maxAttempts?: number;
  batchSize?: number;
  events?: PipelineEvents;
  /** Checked before each send: on shutdown the alert being sent finishes and the rest stay in the outbox. */
  shouldStop?: () => boolean;
  /**
   * When one poll of one feed gives a destination more than this many alerts, they go as one digest (senders with
   * `sendDigest` only); null or absent: never.
   */
  digestThreshold?: (destination: DestinationRow) => number | null;
  /** A destination's quiet hours (held, then one digest) and rate cap (surplus as one digest); absent: none. */
  policy?: (destination: DestinationRow) => DestinationPolicy;
}

export interface DeliverySummary {
  delivered: number;
  retrying: number;
  failed: number;
}

/** The alerts' summary, plus the updates of delivered alerts (story grouping) when any were due. */
export interface DeliveryOutcome extends DeliverySummary {
  updates?: DeliverySummary;
}

/**
 * Sends due alerts from the outbox. Each destination gets its alerts in order, one at a time; destinations run side by
 * side, so one slow or broken destination never holds up the others. An alert is marked delivered only after the
 * destination accepted it, so a crash at any point leaves it pending and it is sent after restart.
 */
export async function deliverAlerts(deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const summary: DeliveryOutcome = { delivered: 0, retrying: 0, failed: 0 };
  const pending = deps.store.listPendingAlerts(deps.clock.now(), deps.batchSize ?? 500);
  const byDestination = new Map<number, OutboxRow[]>();
  for (const row of pending) {
    const list = byDestination.get(row.destinationId) ?? [];
    list.push(row);
    byDestination.set(row.destinationId, list);
  }
  await forEachLimited([...byDestination.entries()], 8, async ([destinationId, rows]) => {
    for (const group of policyGroups(deps, destinationId, digestGroups(deps, destinationId, rows))) {
      if (deps.shouldStop?.()) break;
      const outcome =
        group.length === 1
          ? await deliverOne(deps, destinationId, group[0] as OutboxRow)
          : await deliverDigest(deps, destinationId, group);
      summary[outcome] += group.length;
      const destination = deps.store.getDestination(destinationId);
      if (destination) {
        for (const row of group) {
          const published = row.alert.published ? new Date(row.alert.published) : null;
          deps.events?.alertAttempted?.({
            destination,
            outcome,
            publishedAt: published,
            at: deps.clock.now(),
          });
        }
      }
      // Later alerts wait behind one that must be retried: a channel sees alerts in the order they were found.
      if (outcome === 'retrying') break;
    }
  });
  if (!deps.shouldStop?.()) {
    const updates = await deliverUpdates(deps);
    if (updates.delivered + updates.retrying + updates.failed > 0) summary.updates = updates;
  }
  return summary;
}

/** Applies the destination's quiet hours and rate cap to its groups (see delivery-policy.ts). */
function policyGroups(deps: DeliveryDeps, destinationId: number, groups: OutboxRow[][]): OutboxRow[][] {
  const destination = deps.store.getDestination(destinationId);
  const policy = destination ? deps.policy?.(destination) : undefined;
  if (!destination || !policy || (!policy.quietHours && !policy.rateCap)) return groups;
  const now = deps.clock.now();
  return applyDeliveryPolicy(groups, policy, {
    now,
    canDigest: Boolean(deps.senders.get(destination.kind)?.sendDigest),
    deliveredInWindow: () =>
      policy.rateCap
        ? deps.store.messagesDeliveredSince(
            destinationId,
            new Date(now.getTime() - policy.rateCap.windowSec * 1000),
          )
        : 0,
  });
}

/**
 * Splits a destination's alerts into what is sent as one message: a run of alerts from one poll of one feed longer
 * than the threshold becomes one digest; everything else goes alone. Grouping only depends on the stored rows, so
 * after a crash the same digest (with the same nonce, its first alert's) is rebuilt and cannot post twice.
 */
function digestGroups(deps: DeliveryDeps, destinationId: number, rows: OutboxRow[]): OutboxRow[][] {
  const destination = deps.store.getDestination(destinationId);
  const threshold = destination ? deps.digestThreshold?.(destination) : null;
  const canDigest = destination && deps.senders.get(destination.kind)?.sendDigest;
  if (!canDigest || threshold === null || threshold === undefined) return rows.map((r) => [r]);
  const runs: OutboxRow[][] = [];
  for (const row of rows) {
    const run = runs[runs.length - 1];
    const first = run?.[0];
    if (
      run &&
      first &&
      first.feedId === row.feedId &&
      first.createdAt.getTime() === row.createdAt.getTime()
    ) {
      run.push(row);
    } else {
      runs.push([row]);
    }
  }
  return runs.flatMap((run) => (run.length > threshold ? [run] : run.map((r) => [r])));
}

async function deliverDigest(
  deps: DeliveryDeps,
  destinationId: number,
  rows: OutboxRow[],
): Promise<keyof DeliverySummary> {
  const destination = deps.store.getDestination(destinationId);
  const sender = destination ? deps.senders.get(destination.kind) : undefined;
  if (!destination || !destination.enabled || !sender?.sendDigest) {
    let last: keyof DeliverySummary = 'failed';
    for (const row of rows) last = await deliverOne(deps, destinationId, row);
    return last;
  }
  let result: SendResult;
  try {
    result = await sender.sendDigest(destination, rows);
  } catch (err) {
    deps.log.error({ err, destinationId }, 'internal error while delivering a digest');
    result = { ok: false, retry: true, error: `internal error: ${String(err)}` };
  }
  return settle(deps, destination, rows, result);
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
  return settle(deps, destination, [row], result);
}

/** Records how the destination answered for these rows (one alert, or every alert of a digest). */
function settle(
  deps: DeliveryDeps,
  destination: DestinationRow,
  rows: OutboxRow[],
  result: SendResult,
): keyof DeliverySummary {
  const { store, log } = deps;
  const row = rows[0] as OutboxRow;
  const now = deps.clock.now();
  if (result.ok) {
    for (const r of rows) store.markDelivered(r.id, now, result.remoteId);
    return 'delivered';
  }
  const ctx = {
    alertId: row.id,
    ...(rows.length > 1 ? { digestOf: rows.length } : {}),
    destination: destination.name,
    kind: destination.kind,
    attempts: row.attempts + 1,
  };
  if (result.retry && row.attempts + 1 < (deps.maxAttempts ?? 10)) {
    const nextAttemptAt = later(deps, row, result.retryAfterMs);
    for (const r of rows) store.markRetry(r.id, { error: result.error, nextAttemptAt });
    log.warn(ctx, `alert delivery will be retried: ${result.error}`);
    return 'retrying';
  }
  for (const r of rows) store.markFailed(r.id, result.error);
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

import type { DeliveryDeps, DeliverySummary } from './deliver-alerts.js';
import type { AlertUpdateRow, UpdatedAlert, UpdateResult } from './story-ports.js';

/**
 * Applies queued updates to delivered alerts: later outlets carrying an alerted story (the message is edited to list
 * them all) and follow-ups. Per destination in order, after the alert itself was delivered. Several "also
 * reported" updates of one alert in one pass make a single edit, since each edit lists every outlet so far.
 */
export async function deliverUpdates(deps: DeliveryDeps): Promise<DeliverySummary> {
  const summary: DeliverySummary = { delivered: 0, retrying: 0, failed: 0 };
  const pending = deps.store.listPendingUpdates(deps.clock.now(), deps.batchSize ?? 500);
  const byDestination = new Map<number, AlertUpdateRow[]>();
  for (const u of pending)
    byDestination.set(u.destinationId, [...(byDestination.get(u.destinationId) ?? []), u]);
  for (const [destinationId, updates] of byDestination) {
    const handled = new Set<number>();
    for (const update of updates) {
      if (handled.has(update.id)) continue;
      if (deps.shouldStop?.()) return summary;
      const batch =
        update.kind === 'also-reported'
          ? updates.filter((u) => u.outboxId === update.outboxId && u.kind === 'also-reported')
          : [update];
      for (const u of batch) handled.add(u.id);
      const outcome = await deliverBatch(deps, destinationId, batch);
      summary[outcome] += batch.length;
      if (outcome === 'retrying') break;
    }
  }
  return summary;
}

async function deliverBatch(
  deps: DeliveryDeps,
  destinationId: number,
  batch: AlertUpdateRow[],
): Promise<keyof DeliverySummary> {
  const { store } = deps;
  const last = batch[batch.length - 1] as AlertUpdateRow;
  const fail = (error: string): keyof DeliverySummary => {
    for (const u of batch) store.markUpdateFailed(u.id, error);
    return 'failed';
  };
  const original = store.outboxRow(last.outboxId);
  if (!original || original.status !== 'delivered') return fail('its alert was not delivered');
  const destination = store.getDestination(destinationId);
  if (!destination?.enabled) return fail('destination disabled');
  const sender = deps.senders.get(destination.kind);
  if (!sender) {
    const nextAttemptAt = new Date(deps.clock.now().getTime() + 3600_000);
    for (const u of batch)
      store.markUpdateRetry(u.id, { error: `no sender for ${destination.kind}`, nextAttemptAt });
    return 'retrying';
  }
  if (!sender.sendUpdate) return fail(`${destination.kind} destinations do not show updates`);
  // An alert delivered inside a digest shares the digest's message: editing it would replace the whole digest,
  // so its update is posted as a follow-up instead.
  const sharesMessage = store.sharesMessage(original.id);
  const update: AlertUpdateRow = sharesMessage ? { ...last, kind: 'follow-up' } : last;
  const alert: UpdatedAlert = {
    ...original,
    threadId: store.alertThread(original.id) ?? null,
    sharesMessage,
  };
  let result: UpdateResult;
  try {
    result = await sender.sendUpdate(destination, alert, update, store.updatesOf(original.id));
  } catch (err) {
    deps.log.error(
      { err, destinationId, updateId: last.id },
      'internal error while delivering an alert update',
    );
    result = { ok: false, retry: true, error: `internal error: ${String(err)}` };
  }
  if (result.threadId !== undefined && result.threadId !== alert.threadId)
    store.setAlertThread(original.id, result.threadId);
  if (result.fallback)
    deps.log.warn({ destination: destination.name, updateId: last.id }, `alert update: ${result.fallback}`);
  if (result.ok) {
    for (const u of batch) store.markUpdateDelivered(u.id, deps.clock.now());
    return 'delivered';
  }
  if (result.retry && last.attempts + 1 < (deps.maxAttempts ?? 10)) {
    const backoff = Math.min(5_000 * 2 ** last.attempts, 3600_000);
    const nextAttemptAt = new Date(deps.clock.now().getTime() + Math.max(backoff, result.retryAfterMs ?? 0));
    for (const u of batch) store.markUpdateRetry(u.id, { error: result.error, nextAttemptAt });
    deps.log.warn(
      { destination: destination.name, updateId: last.id },
      `alert update will be retried: ${result.error}`,
    );
    return 'retrying';
  }
  deps.log.warn({ destination: destination.name, updateId: last.id }, `alert update failed: ${result.error}`);
  return fail(result.error);
}

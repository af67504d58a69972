import cron from 'node-cron';

export interface TickScheduler {
  start(): void;
  /** Stops scheduling and waits for a tick in progress to finish. */
  stop(): Promise<void>;
  /** Runs a tick now unless one is running (returns false then). */
  runNow(): Promise<boolean>;
}

/**
 * Drives the poll tick from a cron expression. Ticks never overlap: a tick still running when the next is due makes
 * that next one skip (node-cron's noOverlap, plus our own guard for ticks started by hand).
 */
export function createTickScheduler(
  expression: string,
  tick: () => Promise<void>,
  onError: (err: unknown) => void,
): TickScheduler {
  let running: Promise<void> | null = null;
  const guarded = async (): Promise<boolean> => {
    if (running) return false;
    running = tick().catch(onError);
    try {
      await running;
    } finally {
      running = null;
    }
    return true;
  };
  const task = cron.createTask(expression, () => guarded(), { noOverlap: true, suppressMissedWarning: true });
  return {
    start: () => void task.start(),
    async stop() {
      await task.stop();
      await task.destroy();
      if (running) await running;
    },
    runNow: guarded,
  };
}

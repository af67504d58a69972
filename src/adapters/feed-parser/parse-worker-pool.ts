import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ParseResult } from '../../app/ports.js';

/**
 * Worker threads that parse large feed documents, so that a 1 MB feed does not hold the event loop (and with it
 * the Discord gateway heartbeat and every other poll) for tens of milliseconds, and so that parsing runs beside
 * fetching on another core.
 */

export interface ParseJob {
  id: number;
  text: string;
  feedUrl: string | null;
}

export type ParseReply = { id: number; result: ParseResult } | { id: number; error: string };

/** A worker could not take or finish a job (it crashed, could not start, or the pool is closed). */
export class ParseWorkerError extends Error {
  override readonly name = 'ParseWorkerError';
  readonly code = 'parse-worker';
}

interface Pending {
  resolve(result: ParseResult): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

// The entry is TypeScript when this module runs from src (vitest, tsx) and JavaScript when it runs from dist;
// a worker does not inherit the main thread's TypeScript loader, so it registers tsx itself in that case.
const BOOT = `const { workerData } = require('node:worker_threads');
(workerData.tsx ? import('tsx/esm/api').then((tsx) => tsx.register()) : Promise.resolve())
  .then(() => import(workerData.entry));`;

function workerEntry(): { entry: string; tsx: boolean } {
  const tsx = import.meta.url.endsWith('.ts');
  return { entry: new URL(`./parse-worker.${tsx ? 'ts' : 'js'}`, import.meta.url).href, tsx };
}

export class ParseWorkerPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  /** `size` workers at most, started on first use. */
  constructor(readonly size: number = defaultPoolSize()) {}

  /** Parses a document on a worker; rejects with ParseWorkerError when no worker could do it. */
  parse(text: string, feedUrl: string | null): Promise<ParseResult> {
    if (this.closed) return Promise.reject(new ParseWorkerError('the parse pool is closed'));
    let slot: Slot;
    try {
      slot = this.pick();
    } catch (err) {
      return Promise.reject(new ParseWorkerError(`cannot start a parse worker: ${String(err)}`));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // A busy worker keeps the process alive (a pending parse must finish); an idle one does not.
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, text, feedUrl } satisfies ParseJob);
    });
  }

  /** Jobs sent to workers and not yet answered. */
  get inFlight(): number {
    return this.slots.reduce((n, s) => n + s.pending.size, 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pick(): Slot {
    let best: Slot | undefined;
    for (const s of this.slots) if (!best || s.pending.size < best.pending.size) best = s;
    if ((!best || best.pending.size > 0) && this.slots.length < this.size) return this.spawn();
    if (!best) throw new Error('the pool has no workers');
    return best;
  }

  private spawn(): Slot {
    const worker = new Worker(BOOT, { eval: true, workerData: workerEntry() });
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (reply: ParseReply) => {
      const job = slot.pending.get(reply.id);
      if (!job) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      if ('result' in reply) job.resolve(reply.result);
      else job.reject(new ParseWorkerError(`parse worker failed: ${reply.error}`));
    });
    const fail = (reason: string): void => {
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
      for (const job of slot.pending.values()) job.reject(new ParseWorkerError(reason));
      slot.pending.clear();
    };
    worker.on('error', (err) => fail(`parse worker crashed: ${err.message}`));
    worker.on('exit', (code) => fail(`parse worker exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }
}

/** One core is left to the main thread (fetching, the bot); at least one worker, at most four. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * Measurement helpers of the poll benchmark: a phase's counts (Tally), and its wall time, CPU time (this process,
 * all threads) and peak RSS sampled every 10 ms while it runs.
 */
import type { ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BenchFeed, Kind } from './poll-bench-server.js';
import { healthy } from './poll-bench-server.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export interface Tally {
  due: number;
  ok: number;
  notModified: number;
  /** Ours: new items stored; rss-parser: every item of every 200. */
  items: number;
  alerts: number | null;
  errors: Map<string, number>;
  healthyErrors: number;
  wallMs: Map<Kind, { n: number; ms: number }>;
}
export const newTally = (due: number): Tally => ({
  due,
  ok: 0,
  notModified: 0,
  items: 0,
  alerts: null,
  errors: new Map(),
  healthyErrors: 0,
  wallMs: new Map(),
});
export function failed(t: Tally, f: BenchFeed | undefined, code: string): void {
  t.errors.set(code, (t.errors.get(code) ?? 0) + 1);
  if (!f || healthy(f)) t.healthyErrors++;
}

export interface Phase {
  name: string;
  seconds: number;
  cpu: number;
  peakRss: number;
  /** V8 heap (total) at its peak, and the heap in use after a full GC at the start: what earlier phases left. */
  peakHeap: number;
  liveHeapAtStart: number;
  /** At the end of the phase: memory outside the V8 heap (Buffers, strings held outside it, SQLite, code). */
  endMemory: NodeJS.MemoryUsage;
  /** The longest the event loop was held, ms (timers, sockets and the RSS sampler all wait that long). */
  maxLoopDelayMs: number;
  tally: Tally;
}
export async function measure(name: string, run: () => Promise<Tally>): Promise<Phase> {
  gc();
  const liveHeapAtStart = process.memoryUsage().heapUsed;
  let peakRss = 0;
  let peakHeap = 0;
  // memoryUsage.rss() and getHeapStatistics() are cheap; memoryUsage() walks every heap space (a measurable cost
  // of the phase itself at 100 samples a second).
  const sample = (): void => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakHeap = Math.max(peakHeap, getHeapStatistics().total_heap_size);
  };
  sample();
  const sampler = setInterval(sample, 25);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const tally = await run();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  loop.disable();
  sample();
  return {
    name,
    seconds,
    cpu: (cpu.user + cpu.system) / 1e6,
    peakRss,
    peakHeap,
    liveHeapAtStart,
    endMemory: process.memoryUsage(),
    maxLoopDelayMs: loop.max / 1e6,
    tally,
  };
}

export const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MB`;

/** Two lines for a phase: its rates and memory, then its counts and `what` it did. */
export function printPhase(r: Phase, what: string): void {
  const t = r.tally;
  const errors = [...t.errors].map(([k, v]) => `${k}×${v}`).join(', ') || 'none';
  console.log(
    `${r.name.padEnd(27)} ${(t.due / r.seconds).toFixed(0).padStart(5)} feeds/s  wall ${r.seconds.toFixed(2)} s  ` +
      `CPU ${r.cpu.toFixed(2)} s  peak RSS ${mb(r.peakRss)} (heap ${mb(r.peakHeap)}, live at start ` +
      `${mb(r.liveHeapAtStart)}; at the end: RSS ${mb(r.endMemory.rss)}, heap ${mb(r.endMemory.heapTotal)}, ` +
      `external ${mb(r.endMemory.external)})  longest event-loop stall ${r.maxLoopDelayMs.toFixed(0)} ms`,
  );
  console.log(
    `${''.padEnd(28)}polled ${t.due}  ok ${t.ok}  304 ${t.notModified}  errors: ${errors}  ` +
      `healthy-feed errors ${t.healthyErrors}  ${what}`,
  );
}

/** The next message from `child` that carries `key`, and its value. */
export const reply = <T>(child: ChildProcess, key: string): Promise<T> =>
  new Promise((resolve) => {
    const on = (m: Record<string, T>): void => {
      if (!(key in m)) return;
      child.off('message', on);
      resolve(m[key] as T);
    };
    child.on('message', on);
  });

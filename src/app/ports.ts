import type { FeedErrorCode, FeedProblem, ParsedFeed } from '../core/feed-types.js';
import type { DestinationKind, DestinationRow, FeedRow, OutboxRow } from './store-ports.js';
import type { AlertUpdateRow, UpdatedAlert, UpdateResult } from './story-ports.js';

/**
 * Interfaces the use cases depend on; adapters implement them. The stored rows and the Store are in store-ports.ts,
 * re-exported here so there is one place to import from.
 */
export type * from './store-ports.js';

/** Fetching a feed over HTTP (conditional GET). */
export type FetchResult =
  | {
      kind: 'ok';
      /** Body decoded to text (charset from BOM, header, XML prolog, else UTF-8). */
      text: string;
      /** URL after redirects. */
      finalUrl: string;
      /** Set when the chain had only permanent (301/308) redirects: the feed has moved. */
      permanentUrl: string | null;
      etag: string | null;
      lastModified: string | null;
      /** From Cache-Control max-age / Expires: a lower bound on the poll interval. */
      freshForSec: number | null;
    }
  | { kind: 'not-modified'; freshForSec: number | null }
  | { kind: 'error'; problem: FeedProblem };

export interface FeedFetcher {
  fetch(url: string, validators: { etag: string | null; lastModified: string | null }): Promise<FetchResult>;
}

export type ParseResult = { ok: true; feed: ParsedFeed } | { ok: false; problem: FeedProblem };

export interface FeedParser {
  /**
   * `known` maps the sources (fingerprints of item XML, `ParsedItem.source`) that earlier polls of this feed saw
   * to their item keys. Items whose XML is unchanged may be left out of the result: their keys come back in
   * `unchangedKeys` instead, and everything else is exactly what a parse of the whole document gives.
   */
  parse(text: string, feedUrl: string | null, known?: ReadonlyMap<string, string>): Promise<ParseResult>;
}

export interface Clock {
  now(): Date;
}

/** The slice of pino the use cases need (so tests can pass a recording logger). */
export interface Log {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** How a destination answered one alert. */
export type SendResult =
  | { ok: true; remoteId: string | null }
  /** Try again later (5xx, timeout, rate limit); `retryAfterMs` when the destination said how long to wait. */
  | { ok: false; retry: true; error: string; retryAfterMs?: number }
  /** Will never work for this alert; `disableDestination` when it will not work for any (404 webhook, no access). */
  | { ok: false; retry: false; error: string; disableDestination?: boolean };

export interface AlertSender {
  readonly kind: DestinationKind;
  send(destination: DestinationRow, alert: OutboxRow): Promise<SendResult>;
  /** One message listing several alerts (a digest); senders without it get the alerts one by one. */
  sendDigest?(destination: DestinationRow, alerts: readonly OutboxRow[]): Promise<SendResult>;
  /**
   * Applies `update` to the delivered `alert`: Discord channels and webhooks edit the alert message to list every
   * outlet in `all` (follow-ups go to a thread in channels), the console prints one line. Senders without it skip
   * updates.
   */
  sendUpdate?(
    destination: DestinationRow,
    alert: UpdatedAlert,
    update: AlertUpdateRow,
    all: readonly AlertUpdateRow[],
  ): Promise<UpdateResult>;
}

/**
 * What the pipeline reports as it works, for metrics and health (all optional). Implementations must be cheap and
 * must not throw.
 */
export interface PipelineEvents {
  /** One feed poll ended: `status` ok / not-modified / error (with the FeedErrorCode). */
  feedPolled?(event: {
    feed: FeedRow;
    status: 'ok' | 'not-modified' | 'error';
    code: FeedErrorCode | null;
    newItems: number;
    alerts: number;
    durationMs: number;
    at: Date;
  }): void;
  /** One poll tick ended. */
  tickFinished?(event: {
    feeds: number;
    errors: number;
    durationMs: number;
    at: Date;
    outboxDepth: number;
  }): void;
  /** One delivery attempt ended; `publishedAt` is the item's published time (for publish-to-delivery latency). */
  alertAttempted?(event: {
    destination: DestinationRow;
    outcome: 'delivered' | 'retrying' | 'failed';
    publishedAt: Date | null;
    at: Date;
  }): void;
}

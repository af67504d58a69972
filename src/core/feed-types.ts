/** One feed document after parsing: every text field plain text, missing values null. */
export interface ParsedFeed {
  title: string | null;
  link: string | null;
  id: string | null;
  updated: Date | null;
  published: Date | null;
  /** RSS `<ttl>` in minutes: a lower bound on how often the publisher wants to be polled. */
  ttlMinutes: number | null;
  items: ParsedItem[];
  /** Keys of items that are in the document but not in `items`: their XML is unchanged since an earlier parse. */
  unchangedKeys?: string[];
}

export interface ParsedItem {
  /** guid / Atom id / RDF about, as given by the feed. */
  id: string | null;
  title: string | null;
  /** Absolute URL (resolved against the feed's URL when relative). */
  link: string | null;
  /** Plain text: tags stripped, entities decoded, whitespace collapsed. */
  summary: string | null;
  published: Date | null;
  updated: Date | null;
  author: string | null;
  categories: string[];
  /** Fingerprint of the item's XML in its document (absent when unknown): the same source, the same item. */
  source?: string;
}

/** Stable codes for every way fetching or parsing a feed can fail (stored with the feed, shown to users). */
export type FeedErrorCode =
  | 'invalid-url'
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'tls'
  | 'network'
  | 'http-4xx'
  | 'http-5xx'
  | 'too-large'
  | 'too-many-redirects'
  | 'blocked-address'
  | 'not-a-feed'
  | 'parse-error'
  /** A bug in wirewatch while polling this feed; logged with its stack. */
  | 'internal';

export interface FeedProblem {
  code: FeedErrorCode;
  /** One line for humans, e.g. "HTTP 404 Not Found" or "address 10.0.0.1 is in a private network". */
  message: string;
  /** Seconds the server asked us to wait (429/503 Retry-After). */
  retryAfterSec?: number;
  status?: number;
}

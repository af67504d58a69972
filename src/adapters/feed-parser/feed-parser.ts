import type { FeedParser, ParseResult } from '../../app/ports.js';
import { parseFeedDocument } from './feed-document.js';
import { ParseWorkerError, ParseWorkerPool } from './parse-worker-pool.js';

export interface FeedParserOptions {
  /**
   * Documents at least this long (in UTF-16 units) are parsed on a worker thread. Default 4 Mi (a parse of
   * 100 ms or more); `Infinity` keeps every document on the calling thread.
   */
  offThreadMinChars?: number;
  /** The workers to use; by default one pool shared by every parser of the process. */
  pool?: ParseWorkerPool;
}

// Measured with the poll bench on a busy 2-core machine: sending 1 MB documents to a worker cost more CPU and
// about 150 MB more peak RSS than parsing them here, with no gain in throughput; only documents that would hold
// the event loop for a long time are worth the copy.
const DEFAULT_OFF_THREAD_MIN_CHARS = 4 * 1024 * 1024;
let sharedPool: ParseWorkerPool | null = null;

/**
 * rss-parser based parser for RSS 0.9x/1.0/2.0 and Atom 0.3/1.0, plus JSON Feed 1.x. Large documents go to a
 * worker thread (so the event loop stays responsive); a document a worker cannot take is parsed here instead.
 */
export function createFeedParser(options: FeedParserOptions = {}): FeedParser {
  const minChars = options.offThreadMinChars ?? DEFAULT_OFF_THREAD_MIN_CHARS;
  return {
    async parse(input: string, feedUrl: string | null): Promise<ParseResult> {
      if (input.length < minChars) return parseFeedDocument(input, feedUrl);
      const pool = options.pool ?? (sharedPool ??= new ParseWorkerPool());
      try {
        return await pool.parse(input, feedUrl);
      } catch (err) {
        if (err instanceof ParseWorkerError) return parseFeedDocument(input, feedUrl);
        throw err;
      }
    },
  };
}

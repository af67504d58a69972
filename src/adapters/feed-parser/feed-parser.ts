import type { FeedParser, ParseResult } from '../../app/ports.js';
import { itemKeys } from '../../core/item-key.js';
import { parseFeedDocument } from './feed-document.js';
import { itemChunks, withoutItems, type ItemChunk } from './item-sources.js';
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
  const parseWhole = async (input: string, feedUrl: string | null): Promise<ParseResult> => {
    if (input.length < minChars) return parseFeedDocument(input, feedUrl);
    const pool = options.pool ?? (sharedPool ??= new ParseWorkerPool());
    try {
      return await pool.parse(input, feedUrl);
    } catch (err) {
      if (err instanceof ParseWorkerError) return parseFeedDocument(input, feedUrl);
      throw err;
    }
  };
  return {
    async parse(input, feedUrl, known): Promise<ParseResult> {
      const chunks = itemChunks(input, feedUrl);
      if (chunks !== null && known !== undefined && known.size > 0) {
        const result = await parseChangedItems(input, feedUrl, chunks, known, parseWhole);
        if (result !== null) return result;
      }
      const result = await parseWhole(input, feedUrl);
      // Sources are given only when the parser's items are exactly the scanned elements, one for one.
      if (result.ok && chunks !== null && result.feed.items.length === chunks.length) {
        result.feed.items.forEach((item, i) => (item.source = chunks[i]?.source));
      }
      return result;
    },
  };
}

/**
 * Parses the document without the items whose source is known; null when that cannot give exactly the answer of
 * a whole parse, and the caller parses the whole document instead.
 */
async function parseChangedItems(
  input: string,
  feedUrl: string | null,
  chunks: readonly ItemChunk[],
  known: ReadonlyMap<string, string>,
  parseWhole: (input: string, feedUrl: string | null) => Promise<ParseResult>,
): Promise<ParseResult | null> {
  const unchanged: ItemChunk[] = [];
  const changed: ItemChunk[] = [];
  for (const chunk of chunks) (known.has(chunk.source) ? unchanged : changed).push(chunk);
  if (unchanged.length === 0) return null;
  const unchangedKeys = unchanged.map((c) => known.get(c.source) as string);
  // A guid shared by two different items makes both keys depend on each other (see item-key.ts): such a feed is
  // keyed from the whole document.
  if (unchangedKeys.some((key) => key.startsWith('id+link:'))) return null;
  const result = await parseWhole(withoutItems(input, unchanged), feedUrl);
  if (!result.ok || result.feed.items.length !== changed.length) return null;
  // A changed item that shares a key or a guid with an unchanged one may be keyed differently beside it (a guid on
  // two different items makes both fall back to guid + link); the whole document decides.
  const held = new Set(unchangedKeys);
  const heldGuids = new Set(unchangedKeys.filter((k) => k.startsWith('id:')).map((k) => k.slice(3)));
  if (itemKeys(result.feed.items).some((key) => held.has(key))) return null;
  if (result.feed.items.some((item) => item.id !== null && heldGuids.has(item.id.trim()))) return null;
  result.feed.items.forEach((item, i) => (item.source = changed[i]?.source));
  result.feed.unchangedKeys = unchangedKeys;
  return result;
}

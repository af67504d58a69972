import type { ParseResult } from '../../app/ports.js';
import { mapXmlFeed } from './feed-mapping.js';
import { isJsonFeed, mapJsonFeed } from './json-feed.js';
import type { FeedKind } from './xml-feed-reader.js';
import { readXmlFeed } from './xml-feed-reader.js';
import { expandDeclaredEntities, repairEntities, rootElementName, wrapInlineMarkup } from './xml-prepare.js';

function kindOfRoot(root: string): FeedKind | null {
  const local = root.slice(root.indexOf(':') + 1).toLowerCase();
  if (local === 'rss') return 'rss';
  if (local === 'rdf') return 'rdf';
  if (local === 'feed') return 'atom';
  return null;
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}

function parseJson(text: string, feedUrl: string | null): ParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      problem: { code: 'not-a-feed', message: `not XML, and not valid JSON: ${message(err)}` },
    };
  }
  if (!isJsonFeed(doc))
    return { ok: false, problem: { code: 'not-a-feed', message: 'JSON document is not a JSON Feed' } };
  return { ok: true, feed: mapJsonFeed(doc, feedUrl) };
}

/**
 * Documents are tried in three steps, each only when the previous one failed: as they are (after the safe
 * rewrites in xml-prepare), with HTML entities and bare ampersands repaired, and finally with sax's lenient mode
 * (unclosed or mismatched tags), which is accepted only if the root element is closed: a feed cut off mid-way
 * would otherwise yield half an item.
 */
async function parseXml(
  text: string,
  kind: FeedKind,
  root: string,
  feedUrl: string | null,
): Promise<ParseResult> {
  const prepared = wrapInlineMarkup(expandDeclaredEntities(text));
  let firstError: unknown;
  try {
    return { ok: true, feed: mapXmlFeed(await readXmlFeed(prepared, kind, false), feedUrl) };
  } catch (err) {
    firstError = err;
  }
  const repaired = repairEntities(prepared);
  if (repaired !== prepared) {
    try {
      return { ok: true, feed: mapXmlFeed(await readXmlFeed(repaired, kind, false), feedUrl) };
    } catch {
      // fall through to the lenient parse
    }
  }
  const rootClosed = new RegExp(`</${root.replace(/[.]/g, '\\.')}\\s*>?\\s*$`, 'i').test(
    repaired.replace(/(<!--[\s\S]*?-->\s*)*$/, ''),
  );
  if (rootClosed) {
    try {
      // sax gives up on a document that ends inside a tag, even in lenient mode: finish a last end tag cut before its `>`.
      const finished = repaired.replace(/(<\/[A-Za-z_][\w.:-]*)\s*$/, '$1>');
      return { ok: true, feed: mapXmlFeed(await readXmlFeed(finished, kind, true), feedUrl) };
    } catch {
      // report the strict parser's error, which names the real problem
    }
  }
  const reason = rootClosed ? message(firstError) : 'the document ends before its root element is closed';
  return {
    ok: false,
    problem: {
      code: 'parse-error',
      message: `malformed ${kind === 'atom' ? 'Atom' : 'RSS'} feed: ${reason}`,
    },
  };
}

/**
 * Parses one feed document on the calling thread: rss-parser (`parseString`) for RSS 0.9x/1.0/2.0 and Atom
 * 0.3/1.0, plus JSON Feed 1.x.
 */
export async function parseFeedDocument(input: string, feedUrl: string | null): Promise<ParseResult> {
  const text = input.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return parseJson(text, feedUrl);
  const root = rootElementName(text);
  if (root === null)
    return { ok: false, problem: { code: 'not-a-feed', message: 'not an XML or JSON document' } };
  if (root.toLowerCase() === 'html')
    return { ok: false, problem: { code: 'not-a-feed', message: 'an HTML page, not a feed' } };
  const kind = kindOfRoot(root);
  if (kind === null)
    return {
      ok: false,
      problem: { code: 'not-a-feed', message: `<${root}> is not an RSS, RDF or Atom root element` },
    };
  return parseXml(text, kind, root, feedUrl);
}

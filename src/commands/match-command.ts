import {
  compileQuery,
  matchQuery,
  QuerySyntaxError,
  type CompiledQuery,
  type MatchInput,
} from '../core/query/index.js';
import { loadFeedSource } from '../adapters/feed-source.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

export interface MatchOptions {
  query: string;
  item?: string;
  title?: string;
  summary?: string;
  feed?: string;
  json?: boolean;
}

/**
 * `wirewatch match`: evaluates one watch query against one item (--item / --title) or every item of a feed (--feed).
 * Exit 0 when the query was evaluated (matched or not: read "matched"), 1 when the feed could not be read, 2 for a
 * query syntax error or bad arguments.
 */
export async function matchCommand(opts: MatchOptions, io: CliIo): Promise<number> {
  let query: CompiledQuery;
  try {
    query = compileQuery(opts.query);
  } catch (err) {
    if (err instanceof QuerySyntaxError) {
      io.stderr(`wirewatch match: query error: ${err.message}\n${err.caret()}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  const sources = [opts.item, opts.title, opts.feed].filter((s) => s !== undefined).length;
  if (sources !== 1) {
    io.stderr('wirewatch match: give exactly one of --item <json>, --title <text> or --feed <file-or-url>\n');
    return EXIT_USAGE;
  }
  if (opts.summary !== undefined && opts.title === undefined) {
    io.stderr('wirewatch match: --summary goes with --title\n');
    return EXIT_USAGE;
  }

  if (opts.feed !== undefined) {
    const loaded = await loadFeedSource(opts.feed, io.env);
    if (!loaded.ok) {
      io.stderr(`wirewatch match: ${opts.feed}: ${loaded.problem.message}\n`);
      return EXIT_FAILURE;
    }
    const feedTitle = loaded.feed.title ?? '';
    for (const item of loaded.feed.items) {
      const input: MatchInput = {
        title: item.title ?? '',
        summary: item.summary ?? '',
        link: item.link,
        author: item.author,
        categories: item.categories,
        feedTitle,
      };
      const { matched, hits } = matchQuery(query, input);
      if (opts.json) io.stdout(`${JSON.stringify({ id: item.id, title: item.title, matched, hits })}\n`);
      else io.stdout(`${matched ? 'MATCH' : '     '}  ${item.title ?? '(untitled)'}${describeHits(hits)}\n`);
    }
    return EXIT_OK;
  }

  const input =
    opts.item !== undefined ? parseItem(opts.item) : titleItem(opts.title ?? '', opts.summary ?? '');
  if (typeof input === 'string') {
    io.stderr(`wirewatch match: --item: ${input}\n`);
    return EXIT_USAGE;
  }
  const { matched, hits } = matchQuery(query, input);
  if (opts.json) io.stdout(`${JSON.stringify({ matched, hits })}\n`);
  else io.stdout(`${matched ? 'matched' : 'no match'}${describeHits(hits)}\n`);
  return EXIT_OK;
}

function titleItem(title: string, summary: string): MatchInput {
  return { title, summary, link: null, author: null, categories: [], feedTitle: '' };
}

/** Validates --item JSON; returns a message saying what is wrong, or the item. */
function parseItem(json: string): MatchInput | string {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    return `not valid JSON (${err instanceof Error ? err.message : String(err)})`;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return 'expected a JSON object like {"title": "...", "summary": "..."}';
  }
  const obj = raw as Record<string, unknown>;
  const known = ['title', 'summary', 'link', 'author', 'categories', 'feedTitle'];
  const unknown = Object.keys(obj).filter((k) => !known.includes(k));
  if (unknown.length) return `unknown key(s) ${unknown.join(', ')}; expected only ${known.join(', ')}`;
  for (const key of ['title', 'summary', 'link', 'author', 'feedTitle']) {
    if (obj[key] !== undefined && obj[key] !== null && typeof obj[key] !== 'string')
      return `"${key}" must be a string`;
  }
  const categories = obj.categories ?? [];
  if (!Array.isArray(categories) || categories.some((c) => typeof c !== 'string')) {
    return '"categories" must be an array of strings';
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    title: str(obj.title) ?? '',
    summary: str(obj.summary) ?? '',
    link: str(obj.link),
    author: str(obj.author),
    categories: categories as string[],
    feedTitle: str(obj.feedTitle) ?? '',
  };
}

function describeHits(hits: ReadonlyArray<{ term: string; field: string; text: string }>): string {
  if (hits.length === 0) return '';
  return `  [${hits.map((h) => `${h.term} → ${h.field}: "${h.text}"`).join('; ')}]`;
}

import { loadFeedSource } from '../adapters/feed-source.js';
import type { FeedFetcherOptions } from '../adapters/http/feed-fetcher.js';
import type { ParsedFeed } from '../core/feed-types.js';
import type { CliIo } from './cli-io.js';
import { EXIT_FAILURE, EXIT_OK } from './cli-io.js';

export interface ParseCommandOptions {
  json: boolean;
}

/** Fetch settings for URLs (tests inject a resolver or allow their loopback server). */
export type ParseCommandEnv = Partial<FeedFetcherOptions>;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The `wirewatch parse --json` contract: one object, plain text, ISO 8601 UTC dates, null when missing. */
export function feedToJson(feed: ParsedFeed): object {
  return {
    feed: {
      title: feed.title,
      link: feed.link,
      id: feed.id,
      updated: iso(feed.updated),
      published: iso(feed.published),
    },
    items: feed.items.map((item) => ({
      id: item.id,
      title: item.title,
      link: item.link,
      summary: item.summary,
      published: iso(item.published),
      updated: iso(item.updated),
      author: item.author,
      categories: item.categories,
    })),
  };
}

function listing(feed: ParsedFeed): string {
  const lines = [
    `${feed.title ?? '(untitled feed)'}${feed.link ? `  <${feed.link}>` : ''}`,
    `${feed.items.length} item(s)`,
  ];
  for (const item of feed.items) {
    const when = item.published ?? item.updated;
    lines.push('', `- ${item.title ?? '(no title)'}`);
    if (when) lines.push(`  ${when.toISOString()}`);
    if (item.link) lines.push(`  ${item.link}`);
    if (item.summary)
      lines.push(`  ${item.summary.length > 200 ? `${item.summary.slice(0, 199)}…` : item.summary}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `wirewatch parse <file-or-url> [--json]`. URLs obey the address policy; WIREWATCH_ALLOW_PRIVATE_NETWORKS=1
 * allows loopback and private networks. Exit 0 with the feed, 1 with a one-line reason on stderr.
 */
export async function parseCommand(
  target: string,
  opts: ParseCommandOptions,
  io: CliIo,
  env: ParseCommandEnv = {},
): Promise<number> {
  const loaded = await loadFeedSource(target, io.env, { cwd: io.cwd, fetcherOptions: env });
  if (!loaded.ok) {
    io.stderr(`wirewatch parse: ${loaded.problem.code}: ${loaded.problem.message.replace(/\s+/g, ' ')}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(opts.json ? `${JSON.stringify(feedToJson(loaded.feed))}\n` : listing(loaded.feed));
  return EXIT_OK;
}

import type { Alert } from './alert.js';
import type { Hit } from './query/index.js';
import { makeSnippet } from './snippet.js';

export interface AlertItem {
  feedId: number;
  key: string;
  title: string;
  link: string | null;
  summary: string;
  published: Date | null;
  updated: Date | null;
}

export interface AlertWatch {
  id: number;
  name: string;
  query: string;
  mentionRoleId: string | null;
  color: number | null;
}

/** Builds the alert for one item that matched one watch. */
export function buildAlert(input: {
  item: AlertItem;
  watch: AlertWatch;
  feedTitle: string;
  feedUrl: string;
  hits: readonly Hit[];
  snippetLength?: number;
}): Alert {
  const { item, watch, hits } = input;
  const titleRanges = rangesIn(hits, 'title');
  const snippet = makeSnippet(item.summary, rangesIn(hits, 'summary'), input.snippetLength ?? 300);
  const published = item.published ?? item.updated;
  return {
    watchId: watch.id,
    watchName: watch.name,
    query: watch.query,
    feedId: item.feedId,
    itemKey: item.key,
    title: item.title,
    link: item.link,
    feedTitle: input.feedTitle,
    host: hostOf(item.link) ?? hostOf(input.feedUrl),
    published: published ? published.toISOString() : null,
    snippet: snippet.text,
    matchedTerms: [...new Set(hits.map((h) => h.term))],
    highlights: { title: titleRanges, snippet: mergeRanges(snippet.ranges) },
    mentionRoleId: watch.mentionRoleId,
    color: watch.color,
  };
}

function rangesIn(hits: readonly Hit[], field: Hit['field']): Array<[number, number]> {
  return mergeRanges(hits.filter((h) => h.field === field).map((h): [number, number] => [h.start, h.end]));
}

/** Sorted, non-overlapping ranges: overlapping matches ("South Korea" and Korea) become one bold run. */
export function mergeRanges(ranges: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

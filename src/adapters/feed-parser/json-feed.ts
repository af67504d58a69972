import type { ParsedFeed, ParsedItem } from '../../core/feed-types.js';
import { htmlToText } from '../../core/html-text.js';
import { parseFeedDate } from './feed-date.js';

/** JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1) to our shape. */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
const plain = (v: unknown): string | null => {
  const s = str(v);
  return s === null ? null : htmlToText(s) || null;
};

function absolute(href: string | null, base: string | null): string | null {
  if (href === null) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || !base) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

function authorName(item: Json): string | null {
  const authors = Array.isArray(item.authors) ? item.authors : isObject(item.author) ? [item.author] : [];
  for (const a of authors) if (isObject(a) && str(a.name)) return plain(a.name);
  return null;
}

function mapItem(item: Json, base: string | null): ParsedItem {
  const summary = plain(item.summary) ?? plain(item.content_text) ?? plain(item.content_html);
  return {
    id: str(item.id),
    title: plain(item.title),
    link: absolute(str(item.url) ?? str(item.external_url), base),
    summary,
    published: parseFeedDate(str(item.date_published)),
    updated: parseFeedDate(str(item.date_modified)),
    author: authorName(item),
    categories: Array.isArray(item.tags) ? item.tags.map(plain).filter((t): t is string => t !== null) : [],
  };
}

/** True when `value` is a JSON Feed document (its `version` names jsonfeed.org). */
export function isJsonFeed(value: unknown): value is Json {
  return (
    isObject(value) &&
    typeof value.version === 'string' &&
    /^https?:\/\/jsonfeed\.org\/version\//.test(value.version)
  );
}

export function mapJsonFeed(doc: Json, feedUrl: string | null): ParsedFeed {
  const link = str(doc.home_page_url);
  const base = feedUrl ?? str(doc.feed_url) ?? link;
  const items = Array.isArray(doc.items) ? doc.items.filter(isObject) : [];
  return {
    title: plain(doc.title),
    link: absolute(link, base),
    id: str(doc.feed_url),
    updated: null,
    published: null,
    ttlMinutes: null,
    items: items.map((item) => mapItem(item, base)),
  };
}

import type { ParsedItem } from '../core/feed-types.js';
import { itemKeys } from '../core/item-key.js';
import type { StoredItem } from './ports.js';

/** A parsed feed's items as they are recorded: keyed for dedup, text fields never null. */
export function toStoredItems(feedId: number, items: readonly ParsedItem[], now: Date): StoredItem[] {
  const keys = itemKeys(items);
  return items.map((item, i) => ({
    feedId,
    key: keys[i] as string,
    title: item.title ?? '',
    link: item.link,
    summary: item.summary ?? '',
    published: item.published,
    updated: item.updated,
    author: item.author,
    categories: item.categories,
    firstSeenAt: now,
    source: item.source ?? null,
  }));
}

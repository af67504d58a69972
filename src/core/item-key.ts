import type { ParsedItem } from './feed-types.js';
import { stableHash } from './stable-hash.js';

/**
 * Identity of an item within its feed: the key under which it is recorded as seen. An item whose key is already
 * recorded is never alerted again, so the key must survive a feed re-ordering, re-dating or re-wording its items.
 * Returns one key per item, in order.
 */
export function itemKeys(items: readonly ParsedItem[]): string[] {
  // Some feeds (CMS templates gone wrong) give every item the same guid. A guid that stands on two items of one
  // document with different content identifies neither, so those items fall back to guid + link.
  const guidOwners = new Map<string, string>();
  const ambiguousGuids = new Set<string>();
  for (const item of items) {
    const guid = clean(item.id);
    if (guid === null) continue;
    const fingerprint = `${clean(item.link) ?? ''}\n${clean(item.title) ?? ''}`;
    const owner = guidOwners.get(guid);
    if (owner === undefined) guidOwners.set(guid, fingerprint);
    else if (owner !== fingerprint) ambiguousGuids.add(guid);
  }
  return items.map((item) => itemKey(item, ambiguousGuids));
}

function itemKey(item: ParsedItem, ambiguousGuids: ReadonlySet<string>): string {
  const guid = clean(item.id);
  const link = clean(item.link);
  if (guid !== null) {
    // The publisher's own identifier is the best identity: it stays put when the title is corrected or the item is
    // re-dated, which are exactly the edits that must not re-alert.
    if (!ambiguousGuids.has(guid)) return `id:${guid}`;
    return `id+link:${guid} ${link ?? stableHash(clean(item.title) ?? '')}`;
  }
  // No guid: the article URL is the next most stable thing a feed gives (RSS 2.0 makes guid optional and many
  // feeds only have a link).
  if (link !== null) return `link:${link}`;
  // Neither: all that is left is the content. Title + date, hashed to keep keys short; a re-dated item of such a
  // feed looks new, but such feeds give us nothing better to go on.
  const date = item.published ?? item.updated;
  // An untitled item is identified by its text instead.
  const text = clean(item.title) ?? clean(item.summary) ?? '';
  return `hash:${stableHash(`${text}\n${date ? date.toISOString() : ''}`)}`;
}

function clean(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

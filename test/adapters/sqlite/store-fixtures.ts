import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../../../src/core/alert.js';
import type { NewAlert, StoredItem } from '../../../src/app/ports.js';

/** A fresh temp directory and a function that removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const T0 = new Date('2025-03-01T12:00:00Z');
export const minutes = (n: number): number => n * 60_000;
export const days = (n: number): number => n * 24 * 60 * 60_000;
export const at = (offsetMs: number): Date => new Date(T0.getTime() + offsetMs);

export function item(feedId: number, key: string, extra: Partial<StoredItem> = {}): StoredItem {
  return {
    feedId,
    key,
    title: `Title ${key}`,
    link: `https://news.example/${key}`,
    summary: `Summary of ${key}`,
    published: T0,
    updated: null,
    author: 'Desk',
    categories: ['World'],
    firstSeenAt: T0,
    ...extra,
  };
}

export function alertFor(feedId: number, watchId: number, destinationId: number, itemKey: string): NewAlert {
  const alert: Alert = {
    watchId,
    watchName: `watch ${watchId}`,
    query: 'nato',
    feedId,
    itemKey,
    title: `Title ${itemKey}`,
    link: `https://news.example/${itemKey}`,
    feedTitle: 'Example News',
    host: 'news.example',
    published: T0.toISOString(),
    snippet: `Summary of ${itemKey}`,
    matchedTerms: ['nato'],
    highlights: { title: [], snippet: [[0, 4]] },
    mentionRoleId: null,
    color: null,
  };
  return { destinationId, watchId, itemKey, alert };
}

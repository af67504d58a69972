import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { NameTakenError } from '../../../src/adapters/sqlite/store-errors.js';
import { T0, at, minutes } from './store-fixtures.js';

let store: SqliteStore;
beforeEach(() => {
  store = openStore(':memory:', { now: () => T0 });
});
afterEach(() => store.close());

describe('watches', () => {
  it('adds, reads, updates and lists watches per scope', () => {
    const chan = store.ensureDestination({
      scope: 'guild:1',
      name: '#alerts',
      kind: 'discord-channel',
      target: '111',
    });
    const feed = store.subscribeFeed({
      url: 'https://a.example/rss',
      scope: 'guild:1',
      name: 'a',
      intervalSec: 300,
      nextPollAt: T0,
    });
    const w = store.addWatch({
      scope: 'guild:1',
      name: 'korea',
      query: 'Korea',
      feedIds: [feed.id],
      destinationIds: [chan.id],
      mentionRoleId: '222',
      color: 0x3366ff,
      paused: true,
    });
    expect(w).toEqual({
      id: w.id,
      scope: 'guild:1',
      name: 'korea',
      query: 'Korea',
      feedIds: [feed.id],
      destinationIds: [chan.id],
      paused: true,
      mutedUntil: null,
      mentionRoleId: '222',
      color: 0x3366ff,
      createdAt: T0,
    });
    store.addWatch({
      scope: 'guild:2',
      name: 'korea',
      query: 'Korea',
      feedIds: null,
      destinationIds: [],
      mentionRoleId: null,
      color: null,
    });
    expect(() =>
      store.addWatch({
        scope: 'guild:1',
        name: 'korea',
        query: 'x',
        feedIds: null,
        destinationIds: [],
        mentionRoleId: null,
        color: null,
      }),
    ).toThrow(NameTakenError);

    store.updateWatch(w.id, {
      paused: false,
      mutedUntil: at(minutes(30)),
      query: 'Korea OR Seoul',
      name: 'korea-seoul',
    });
    expect(store.getWatch(w.id)).toMatchObject({
      paused: false,
      mutedUntil: at(minutes(30)),
      query: 'Korea OR Seoul',
      name: 'korea-seoul',
    });
    store.updateWatch(w.id, { mutedUntil: null });
    expect(store.getWatch(w.id)?.mutedUntil).toBeNull();
    expect(store.getWatch(w.id)?.query).toBe('Korea OR Seoul');

    expect(store.listWatches('guild:1').map((x) => x.name)).toEqual(['korea-seoul']);
    expect(store.listWatches().map((x) => x.scope)).toEqual(['guild:1', 'guild:2']);
  });

  it('refuses renaming a watch to a name taken in its scope', () => {
    const mk = (name: string) =>
      store.addWatch({
        scope: 'guild:1',
        name,
        query: name,
        feedIds: null,
        destinationIds: [],
        mentionRoleId: null,
        color: null,
      });
    const a = mk('a');
    mk('b');
    expect(() => store.updateWatch(a.id, { name: 'b' })).toThrow(NameTakenError);
    expect(store.getWatch(a.id)?.name).toBe('a');
  });

  it('still lists a watch whose destinations are all disabled', () => {
    const d = store.ensureDestination({
      scope: 'guild:1',
      name: 'hook',
      kind: 'discord-webhook',
      target: 'https://discord.example/w',
    });
    expect(
      store.ensureDestination({
        scope: 'guild:1',
        name: 'other name',
        kind: 'discord-webhook',
        target: 'https://discord.example/w',
      }).id,
    ).toBe(d.id);
    const w = store.addWatch({
      scope: 'guild:1',
      name: 'w',
      query: 'w',
      feedIds: null,
      destinationIds: [d.id],
      mentionRoleId: null,
      color: null,
    });
    store.disableDestination(d.id, 'missing access');
    expect(store.listWatches('guild:1').map((x) => [x.id, x.destinationIds])).toEqual([[w.id, [d.id]]]);
  });
});

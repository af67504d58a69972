import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { IdSlots } from '../../../src/core/query/id-slots.js';
import { SlotLists } from '../../../src/core/query/slot-lists.js';

describe('IdSlots', () => {
  it('behaves as a Map for dense, sparse, negative, fractional and string ids', () => {
    const id = fc.oneof(
      fc.nat({ max: 50 }),
      fc.integer({ min: -5, max: 1_000_000_000 }),
      fc.constantFrom(0.5, -0, Number.NaN, 4096, 8191),
    );
    const op = fc.tuple(fc.boolean(), id);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const slots = new IdSlots<number>();
        const model = new Map<number, number>();
        ops.forEach(([add, key], i) => {
          if (add && !model.has(key)) {
            slots.add(key, i);
            model.set(key, i);
          } else if (!add) expect(slots.delete(key)).toBe(model.delete(key));
          expect(slots.get(key)).toBe(model.get(key));
          expect(slots.size).toBe(model.size);
        });
        for (const [key, slot] of model) expect(slots.get(key)).toBe(slot);
        expect([...slots.values()].sort((a, b) => a - b)).toEqual([...model.values()].sort((a, b) => a - b));
      }),
    );
    const named = new IdSlots<string>();
    named.add('a', 3);
    expect([named.get('a'), named.has('b'), named.delete('a'), named.size]).toEqual([3, false, true, 0]);
  });
});

describe('SlotLists', () => {
  it('holds the slots added and not removed under each id', () => {
    const op = fc.tuple(fc.boolean(), fc.nat({ max: 20 }), fc.nat({ max: 30 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 2000 }), (ops) => {
        const lists = new SlotLists();
        const model = new Map<number, number[]>();
        for (const [add, id, slot] of ops) {
          const list = model.get(id) ?? [];
          if (add && !list.includes(slot)) {
            expect(lists.add(id, slot)).toBe(list.length === 0);
            model.set(id, [...list, slot]);
          } else if (!add) {
            lists.remove(id, slot);
            model.set(
              id,
              list.filter((s) => s !== slot),
            );
          }
        }
        for (let id = 0; id <= 21; id++) {
          const got: number[] = [];
          for (let e = lists.first(id); e >= 0; e = lists.nexts[e]!) got.push(lists.slots[e]!);
          expect(got.sort((a, b) => a - b)).toEqual((model.get(id) ?? []).sort((a, b) => a - b));
        }
      }),
    );
  });
});

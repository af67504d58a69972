import { describe, expect, it } from 'vitest';
import { PollOrder, SLOW_POLL_MS } from '../../src/app/poll-order.js';

const feeds = (...ids: number[]) => ids.map((id) => ({ id }));

describe('PollOrder', () => {
  it('keeps due order while no feed has been slow', () => {
    const order = new PollOrder();
    order.record(2, SLOW_POLL_MS - 1);
    expect(order.order(feeds(3, 1, 2)).map((f) => f.id)).toEqual([3, 1, 2]);
  });

  it('starts slow feeds first, slowest first, and the others in due order', () => {
    const order = new PollOrder();
    order.record(4, 1_500);
    order.record(2, 20_000);
    order.record(5, 10);
    expect(order.order(feeds(1, 2, 3, 4, 5)).map((f) => f.id)).toEqual([2, 4, 1, 3, 5]);
  });

  it('forgets a feed once it polls fast again, and ignores slow feeds that are not due', () => {
    const order = new PollOrder(100);
    order.record(1, 300);
    order.record(9, 500);
    expect(order.order(feeds(2, 1)).map((f) => f.id)).toEqual([1, 2]);
    order.record(1, 20);
    expect(order.order(feeds(2, 1)).map((f) => f.id)).toEqual([2, 1]);
  });
});

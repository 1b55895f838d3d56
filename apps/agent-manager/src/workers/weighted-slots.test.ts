import { describe, expect, it } from 'vitest';
import { createWeightedSlots } from './weighted-slots.js';

describe('createWeightedSlots', () => {
  it('lets runs in while their weights fit, the rest wait in arrival order', async () => {
    const slots = createWeightedSlots(4);
    const order: string[] = [];
    expect(await slots.take(3)).toBe(3);
    const heavy = slots.take(2).then((w) => order.push(`heavy:${w}`));
    const light = slots.take(1).then((w) => order.push(`light:${w}`));
    await new Promise((r) => setTimeout(r, 5));
    // One slot is free, but the heavy run came first: the light one waits behind it.
    expect(order).toEqual([]);
    slots.give(3);
    await Promise.all([heavy, light]);
    expect(order).toEqual(['heavy:2', 'light:1']);
    expect(slots.free()).toBe(1);
  });

  it('clamps a weight over the total, so such a run still runs (alone)', async () => {
    const slots = createWeightedSlots(2);
    expect(await slots.take(8)).toBe(2);
    expect(slots.free()).toBe(0);
    slots.give(2);
    expect(await slots.take(0)).toBe(1);
  });
});

import { createLogger } from '@agentplane/http-kit';
import { createTestKit } from '@agentplane/testkit';
import { Registry } from 'prom-client';
import { expect } from 'vitest';
import { buildTransitionPublisher } from './fleet/transition-publisher.js';
import { registerProduct, startProcessFleet } from './test-orchestrator.js';

// With REDIS_URL, every recorded engine transition is published on the platform bus: the
// stream `<ORCH_BUS_PREFIX>:engine.lifecycle`, one `engine.transition` entry per audit row.

const test = createTestKit();

test('provision, stop, start and destroy publish their transitions to Redis', async ({ redis }) => {
  const keyPrefix = `${redis.prefix}bus`;
  const publisher = buildTransitionPublisher({
    redisUrl: process.env.REDIS_URL,
    keyPrefix,
    maxLen: 1000,
    logger: createLogger({ name: 'orchestratord-test', level: 'error' }),
    registry: new Registry(),
  });
  const orch = await startProcessFleet({ ports: [24600, 24629], publisher });
  try {
    const { api, productId } = await registerProduct(orch, 'events');
    const provisioned = await api.provisionEngine({ body: { user_id: 'alice' } });
    expect(provisioned.status).toBe(201);
    const engineId = provisioned.status === 201 ? provisioned.body.engine_id : '';
    expect((await api.stopEngine({ params: { user_id: 'alice' } })).status).toBe(200);
    expect((await api.startEngine({ params: { user_id: 'alice' } })).status).toBe(200);
    expect((await api.destroyEngine({ params: { user_id: 'alice' } })).status).toBe(200);

    const published = async () =>
      (await redis.client.xrange(`${keyPrefix}:engine.lifecycle`, '-', '+')).map(([, fields]) => ({
        event: fields[1],
        data: JSON.parse(fields[3] ?? 'null'),
      }));
    await expect.poll(async () => (await published()).length).toBe(4);
    const entries = await published();
    expect(entries.map((e) => e.event)).toEqual(Array(4).fill('engine.transition'));
    expect(entries.map((e) => [e.data.action, e.data.from, e.data.to])).toEqual([
      ['provision', null, 'running'],
      ['stop', 'running', 'stopped'],
      ['start', 'stopped', 'running'],
      ['destroy', 'running', 'destroyed'],
    ]);
    for (const { data } of entries) {
      expect(data).toMatchObject({ engine_id: engineId, product_id: productId, user_id: 'alice' });
      expect(data.timestamp).toEqual(expect.any(Number));
    }
  } finally {
    await orch.close();
    await publisher.close();
  }
});

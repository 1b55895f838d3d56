import { randomUUID } from 'node:crypto';
import { createEventBus, createMemoryStreamLog } from '@agentplane/event-bus';
import { createLogger } from '@agentplane/http-kit';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createBusTransitionPublisher, type EngineTransition } from './transition-publisher.js';

// Any string: the publisher must cope with what the type would refuse (a bug upstream).
const transition = (action: string): EngineTransition => ({
  engine_id: randomUUID(),
  product_id: randomUUID(),
  user_id: 'alice',
  from: 'running',
  to: 'stopped',
  action: action as EngineTransition['action'],
  timestamp: Date.now(),
});

function setup() {
  const lines: { msg: string; action?: string }[] = [];
  const logger = createLogger({
    name: 'test',
    level: 'info',
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  const log = createMemoryStreamLog();
  const registry = new Registry();
  const publisher = createBusTransitionPublisher({
    bus: createEventBus({ log }),
    logger,
    registry,
  });
  const failures = async () =>
    (await registry.getSingleMetric('orchestratord_bus_publish_failures_total')?.get())?.values[0]
      ?.value;
  return { lines, log, publisher, failures };
}

describe('the bus transition publisher', () => {
  it('publishes in order, without the caller waiting', async () => {
    const { log, publisher, failures } = setup();
    for (const action of ['provision', 'stop', 'start', 'destroy']) {
      publisher.publish(transition(action));
    }
    await publisher.close();
    const entries = await log.read('engine.lifecycle', undefined, 10);
    expect(entries.map((e) => (e.data as EngineTransition).action)).toEqual([
      'provision',
      'stop',
      'start',
      'destroy',
    ]);
    expect(entries.every((e) => e.event === 'engine.transition')).toBe(true);
    expect(await failures()).toBe(0);
  });

  it('logs and counts a failed publish; the ones after it still go out', async () => {
    const { lines, log, publisher, failures } = setup();
    // An invalid transition (a bug upstream) and a bus that is gone both only count.
    publisher.publish({ ...transition('bad'), engine_id: 'not-a-uuid' });
    publisher.publish(transition('stop'));
    await publisher.close();
    expect((await log.read('engine.lifecycle', undefined, 10)).map((e) => e.event)).toHaveLength(1);
    await log.close();
    expect(() => publisher.publish(transition('after-close'))).not.toThrow();
    await publisher.close();
    expect(await failures()).toBe(2);
    expect(lines.filter((l) => l.msg === 'publish failed').map((l) => l.action)).toEqual([
      'bad',
      'after-close',
    ]);
  });
});

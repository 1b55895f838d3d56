import type { BusMessage } from '@agentplane/contracts';
import { createEventBus, createRedisStreamLog, type EventBus } from '@agentplane/event-bus';
import type { Logger } from '@agentplane/http-kit';
import { Counter, type Registry } from 'prom-client';

export type EngineTransition = BusMessage<'engine.lifecycle'>['payload'];

/**
 * Tells the platform about each engine transition the lifecycle records (`engine.transition`
 * on `engine.lifecycle`). `publish` never throws and never waits: a transition must not fail
 * or slow down because the bus is unreachable.
 */
export interface TransitionPublisher {
  publish(transition: EngineTransition): void;
  /** Waits for the publishes in flight. */
  close(): Promise<void>;
}

/** Without REDIS_URL: nobody listens across processes. */
export const noopTransitionPublisher: TransitionPublisher = {
  publish() {},
  async close() {},
};

// Publishes queued behind a stalled bus; past this, new ones are dropped (and counted).
const MAX_QUEUED = 1000;

export function createBusTransitionPublisher(deps: {
  bus: EventBus;
  logger: Logger;
  /** Where `orchestratord_bus_publish_failures_total` is registered. */
  registry: Registry;
}): TransitionPublisher {
  const failures = new Counter({
    name: 'orchestratord_bus_publish_failures_total',
    help: 'engine.transition events that could not be published (the transitions stood)',
    registers: [deps.registry],
  });
  const logger = deps.logger.child({ component: 'transition-publisher' });
  const failed = (error: unknown, t: EngineTransition) => {
    failures.inc();
    logger.warn({ err: error, engine_id: t.engine_id, action: t.action }, 'publish failed');
  };
  // One at a time, so consumers see an engine's transitions in the order they happened.
  let tail: Promise<void> = Promise.resolve();
  let queued = 0;
  return {
    publish(transition) {
      if (queued >= MAX_QUEUED) {
        failed(new Error(`${MAX_QUEUED} publishes already queued`), transition);
        return;
      }
      queued++;
      tail = tail
        .then(() =>
          deps.bus.publish('engine.lifecycle', { event: 'engine.transition', payload: transition }),
        )
        .then(
          () => {},
          (error: unknown) => failed(error, transition),
        )
        .finally(() => {
          queued--;
        });
    },
    close: () => tail,
  };
}

/**
 * The composition root's choice: the Redis bus when REDIS_URL is set (its close drains the
 * publishes in flight, then closes the connections), else the Noop.
 */
export function buildTransitionPublisher(opts: {
  redisUrl: string | undefined;
  keyPrefix: string;
  maxLen: number;
  logger: Logger;
  registry: Registry;
}): TransitionPublisher {
  if (opts.redisUrl === undefined) {
    return noopTransitionPublisher;
  }
  const log = createRedisStreamLog({
    redis: opts.redisUrl,
    keyPrefix: opts.keyPrefix,
    onError: (error) => opts.logger.warn({ err: error }, 'event bus connection error'),
  });
  const bus = createEventBus({ log, maxLen: opts.maxLen });
  const publisher = createBusTransitionPublisher({ ...opts, bus });
  return {
    publish: publisher.publish,
    async close() {
      await publisher.close();
      await log.close();
    },
  };
}

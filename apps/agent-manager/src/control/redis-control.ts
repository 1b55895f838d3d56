import { Redis } from 'ioredis';

/** A message from the API to whichever worker holds a run. */
export interface ControlMessage {
  type: 'cancel';
  agentId: string;
  by: string;
}

/**
 * Redis pub/sub for control messages: a cancel reaches the worker holding the run whichever API
 * instance took the request. Pub/sub loses messages sent while a worker is disconnected; workers
 * also read `cancel_requested_by` at claim time, so a run is never left uncancellable.
 */
export function createRedisControl(opts: { url: string; prefix: string }) {
  const channel = `${opts.prefix}:control`;
  const publisher = new Redis(opts.url, { lazyConnect: false, maxRetriesPerRequest: 3 });
  let subscriber: Redis | undefined;
  return {
    async publish(message: ControlMessage): Promise<void> {
      await publisher.publish(channel, JSON.stringify(message));
    },
    async subscribe(onMessage: (message: ControlMessage) => void): Promise<void> {
      subscriber = new Redis(opts.url, { maxRetriesPerRequest: null });
      subscriber.on('message', (_channel: string, text: string) => {
        try {
          onMessage(JSON.parse(text) as ControlMessage);
        } catch {
          // Not ours: the channel is only written by this service.
        }
      });
      await subscriber.subscribe(channel);
    },
    async close(): Promise<void> {
      publisher.disconnect();
      subscriber?.disconnect();
    },
  };
}

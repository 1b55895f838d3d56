import { type BusTopic, streamBusEvents } from '@agentplane/contracts';
import { type EventBus, InvalidBusCursorError } from '@agentplane/event-bus';
import { ApiError, type IRouter, openSse, registerRoute } from '@agentplane/http-kit';

/** A reader this far behind the bus is cut (it resumes with Last-Event-ID). */
const MAX_BUFFERED = 10_000;

export function registerEventRoutes(router: IRouter, deps: { bus: EventBus }): void {
  registerRoute(router, streamBusEvents, async ({ query, headers, req, res, log }) => {
    const topics = [...new Set(query.topics.split(','))] as BusTopic[];
    let after: Awaited<ReturnType<EventBus['head']>>;
    try {
      const resume = headers['last-event-id'];
      after =
        resume !== undefined
          ? deps.bus.parseCursor(resume)
          : query.from === 'beginning'
            ? {}
            : await deps.bus.head(topics);
    } catch (error) {
      if (error instanceof InvalidBusCursorError) {
        throw new ApiError({
          code: 'VALIDATION_ERROR',
          message: `Last-Event-ID: ${error.message}`,
        });
      }
      throw error;
    }
    const sse = openSse(req, res, { log });
    try {
      for await (const entry of deps.bus.follow(topics, after, {
        signal: sse.signal,
        maxBuffered: MAX_BUFFERED,
      })) {
        if (entry.kind === 'overflow') {
          const data = { event: 'stream_overflow', topic: entry.topic, reason: entry.reason };
          await sse.send({ event: 'stream_overflow', id: entry.cursor, data });
          break;
        }
        const data = { topic: entry.topic, ...entry.message };
        await sse.send({ event: entry.message.event, id: entry.cursor, data });
      }
    } finally {
      sse.close();
    }
    return undefined;
  });
}

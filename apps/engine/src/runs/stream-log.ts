import type { SseWriter } from '@agentplane/http-kit';
import type { EventLog } from './event-log.js';

/**
 * Copies a turn's events after `after` to one SSE response, at that client's pace (`send` waits
 * for the socket to drain; the run never waits for it), and closes the response after the
 * terminal event. Returns early when the client goes away.
 */
export async function streamLog(
  log: EventLog,
  sse: SseWriter,
  opts: { after: number; heartbeats: boolean },
): Promise<void> {
  try {
    for await (const event of log.follow(opts.after, sse.signal)) {
      if (event.event === 'heartbeat' && !opts.heartbeats) {
        continue;
      }
      await sse.send({ event: event.event, id: event.seq, data: event });
    }
  } finally {
    sse.close();
  }
}

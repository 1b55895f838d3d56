import type { AgentEvent } from '@agentplane/contracts';
import type { StreamLog } from '@agentplane/event-bus';
import type { RunEventSink } from './event-writer.js';
import type { RunEventSource, RunLogEntry } from './run-stream.js';

/** A run's events are one stream of the log, named after the run. */
const streamOf = (runId: string) => `run:${runId}`;

/** Bounds one run's stream: 500 steps of long replies fit; a runaway model cannot fill memory. */
const RUN_STREAM_MAX_LEN = 250_000;
/** A reader this far behind the run is cut (it resumes with Last-Event-ID). */
const MAX_BUFFERED = 10_000;

/** Runs' events over the stream log: written by workers, followed by the API's SSE routes. */
export function createRunLog(log: StreamLog, retentionS: number): RunEventSink & RunEventSource {
  return {
    async append(runId: string, events: readonly AgentEvent[]) {
      await log.append(
        streamOf(runId),
        events.map((event) => ({ event: event.event, data: event })),
        { maxLen: RUN_STREAM_MAX_LEN },
      );
    },
    retain: (runId) => log.expire(streamOf(runId), retentionS),
    async *follow(runId, after, opts): AsyncIterable<RunLogEntry> {
      for await (const entry of log.follow(streamOf(runId), after, {
        ...opts,
        maxBuffered: MAX_BUFFERED,
      })) {
        if (entry.event === 'stream.overflow') {
          const reason = 'this client read too slowly; reconnect with Last-Event-ID';
          yield {
            id: entry.id,
            event: 'stream_overflow',
            data: { event: 'stream_overflow', reason },
          };
          return;
        }
        yield entry;
      }
    },
    lastId: (runId) => log.lastId(streamOf(runId)),
  };
}

import {
  AGENT_TERMINAL_EVENTS,
  type AgentEventName,
  type streamAgentEvents,
} from '@agentplane/contracts';
import { openSse, type RouteContext } from '@agentplane/http-kit';

export interface RunLogEntry {
  id: string;
  event: string;
  data: unknown;
}

/** A run's events as the API reads them (the worker writes them: RunEventSink). */
export interface RunEventSource {
  /** Replays entries after `after`, then live ones, until `until` holds or `signal` aborts. */
  follow(
    runId: string,
    after: string | undefined,
    opts: { signal: AbortSignal; until: (entry: RunLogEntry) => boolean },
  ): AsyncIterable<RunLogEntry>;
  /** Undefined when the run's stream is empty or expired. */
  lastId(runId: string): Promise<string | undefined>;
}

const ENDS = new Set<string>([
  ...AGENT_TERMINAL_EVENTS,
  'stream_overflow' satisfies AgentEventName,
]);

/** Log ids are `<ms>-<seq>`: true when `a` is at or after `b`. */
function atOrAfter(a: string, b: string): boolean {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am > bm || (am === bm && as >= bs);
}

/**
 * Streams a run's events as SSE (each with its log id on the `id:` line) until its terminal
 * event; a client that goes away stops only its own stream, never the run.
 */
export async function streamRun(
  source: RunEventSource,
  runId: string,
  after: string | undefined,
  http: Pick<RouteContext<typeof streamAgentEvents>, 'req' | 'res' | 'log'>,
  ended = false,
): Promise<void> {
  // A finished run whose every event the client has seen: nothing more will come.
  const last = ended && after !== undefined ? await source.lastId(runId) : undefined;
  const sse = openSse(http.req, http.res, { log: http.log });
  if (last !== undefined && after !== undefined && atOrAfter(after, last)) {
    sse.close();
    return;
  }
  try {
    for await (const entry of source.follow(runId, after, {
      signal: sse.signal,
      until: (e) => ENDS.has(e.event),
    })) {
      await sse.send({ event: entry.event, id: entry.id, data: entry.data });
    }
  } finally {
    sse.close();
  }
}

import type { Logger } from '@agentplane/http-kit';

type Level = 'info' | 'warn' | 'error';

/**
 * The log of one run: every line goes to the process's pino logger (NDJSON on stderr) and is kept
 * for the best-effort mirror at {write_prefix}/logs/trace.ndjson. Event names are the message
 * (`http.run.start`, `handler.llm.ok`, …).
 */
export interface RunLog {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  /** The mirror's content so far: one JSON line per event. */
  ndjson(): string;
}

/**
 * `correlationId` (the request's X-Correlation-Id) goes on every line beside `execution_id`, in
 * the process log and the mirror alike, so a caller's id finds the run (plain fields, not a pino
 * child: the mirror's lines need them too).
 */
export function createRunLog(logger: Logger, executionId: string, correlationId: string): RunLog {
  const lines: string[] = [];
  const log =
    (level: Level) =>
    (event: string, fields: Record<string, unknown> = {}) => {
      logger[level]({ execution_id: executionId, correlation_id: correlationId, ...fields }, event);
      lines.push(
        JSON.stringify({
          time: new Date().toISOString(),
          level,
          msg: event,
          execution_id: executionId,
          correlation_id: correlationId,
          ...fields,
        }),
      );
    };
  return {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    ndjson: () => (lines.length === 0 ? '' : `${lines.join('\n')}\n`),
  };
}

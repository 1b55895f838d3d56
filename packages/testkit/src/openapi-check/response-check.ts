import { createSseDecoder } from '@agentplane/contracts';
import type { BodyProblem, DocumentChecker, ResponsePlan } from './document-checker.js';
import type { DocumentSource } from './document-source.js';

/** A response that does not match its service's document. */
export interface Violation {
  method: string;
  url: string;
  status: number;
  /** `POST /engines/{user_id}/admit`, or the request with `(no operation)`. */
  operation: string;
  problem: string;
  /** ajv's errors, formatted. */
  errors?: string[];
  /** The start of the body (or of the event's data). */
  excerpt?: string;
  /** The SSE event's name, for a stream event. */
  event?: string;
  /** The test running when the request was sent (undefined in a hook). */
  test?: string;
}

/** One exchange seen by a hook, up to its headers. */
export interface Exchange {
  method: string;
  url: URL;
  status: number;
  header(name: string): string | undefined;
  /** Sent inside allowUndocumented: its violations are dropped. */
  allowed: boolean;
  test: string | undefined;
}

/** How a hook hands the body over: whole (JSON, errors) or as a stream's text. */
export interface ExchangeCheck {
  /** The whole body's text; rejects when it could not be read (not a violation). */
  body(text: Promise<string>): void;
  /** Text of an event stream as it arrives; each completed event's data is checked. */
  streamText(text: string): void;
}

export interface CheckSink {
  record(violation: Violation): void;
  track(pending: Promise<unknown>): void;
  /** Counts what was checked against a document (`response`, `event`), for OPENAPI_CHECK_STATS. */
  count?(what: 'response' | 'event'): void;
}

const EXCERPT = 400;

function excerpt(text: string): string {
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text;
}

/**
 * Starts checking one exchange, or returns undefined when its origin has no document (or has not
 * shown itself to be one of ours). Checks run off the caller's path: a stream reaches the test
 * as it arrives, and events are checked once the document is loaded.
 */
export function checkExchange(
  source: DocumentSource,
  sink: CheckSink,
  exchange: Exchange,
): ExchangeCheck | undefined {
  const ours = exchange.header('x-correlation-id') !== undefined;
  const checker = source.lookup(exchange.url.origin, ours);
  if (checker === undefined) {
    return undefined;
  }
  const base = {
    method: exchange.method,
    url: exchange.url.href,
    status: exchange.status,
    test: exchange.test,
  };
  const report = (operation: string, found: BodyProblem, text?: string, event?: string) => {
    if (!exchange.allowed) {
      sink.record({
        ...base,
        operation,
        ...found,
        ...(text === undefined ? {} : { excerpt: excerpt(text) }),
        ...(event === undefined ? {} : { event }),
      });
    }
  };
  const planned: Promise<{ plan: ResponsePlan; checker: DocumentChecker } | undefined> = checker
    .then((c) => {
      if (c === undefined) {
        return undefined;
      }
      const plan = c.plan({
        method: exchange.method,
        path: exchange.url.pathname,
        status: exchange.status,
        header: exchange.header,
      });
      if (plan.kind === 'problem') {
        report(plan.operation, { problem: plan.problem });
      }
      if (plan.kind !== 'skip') {
        sink.count?.('response');
      }
      return { plan, checker: c };
    })
    .catch(() => undefined);
  sink.track(planned);

  const decoder = createSseDecoder();
  return {
    body(text) {
      const done = Promise.all([planned, text]).then(
        ([ready, body]) => {
          if (ready?.plan.kind === 'check') {
            const found = ready.checker.checkBody(ready.plan.body, body);
            if (found !== undefined) {
              report(ready.plan.operation, found, body);
            }
          }
        },
        // A body cut short (aborted, server killed) is not the document's business.
        () => undefined,
      );
      sink.track(done);
    },
    streamText(text) {
      for (const { event, data } of decoder.push(text)) {
        void planned.then((ready) => {
          if (ready?.plan.kind === 'check' && ready.plan.body.kind === 'sse') {
            sink.count?.('event');
            const found = ready.checker.checkBody(ready.plan.body, data);
            if (found !== undefined) {
              report(ready.plan.operation, found, data, event);
            }
          }
        });
      }
    },
  };
}

/** The message an afterEach throws: every violation with what it was checked against. */
export function formatViolations(violations: readonly Violation[]): string {
  const lines = [
    `${violations.length} response(s) do not match their service's OpenAPI document (testkit openapi-check):`,
  ];
  violations.forEach((v, i) => {
    lines.push(`${i + 1}. ${v.operation} → ${v.status}: ${v.problem}`);
    lines.push(`   request: ${v.method} ${v.url}${v.test === undefined ? ' (in a hook)' : ''}`);
    if (v.event !== undefined) {
      lines.push(`   event: ${v.event}`);
    }
    for (const error of v.errors ?? []) {
      lines.push(`   ${error}`);
    }
    if (v.excerpt !== undefined) {
      lines.push(`   body: ${v.excerpt}`);
    }
  });
  return lines.join('\n');
}

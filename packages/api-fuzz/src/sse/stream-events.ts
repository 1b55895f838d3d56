import { createSseDecoder } from '@agentplane/contracts';
import type { DocumentChecker } from '@agentplane/testkit';
import { type ApiDocument, deref, type Operation } from '../openapi/api-document.js';

/** One server-sent event as a client sees it. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Parses a whole text/event-stream body with the contracts' decoder (the clients' own). */
export function parseSse(text: string): SseEvent[] {
  const decoder = createSseDecoder();
  return [...decoder.push(text), ...decoder.end()].map(({ event, data, id }) => ({
    event,
    data,
    ...(id === undefined ? {} : { id }),
  }));
}

/** The operation's 200 text/event-stream schema. */
function streamSchema(doc: ApiDocument, op: Operation): unknown {
  const ok = deref(
    doc.raw,
    (
      doc.raw.paths[op.path]?.[op.method.toLowerCase()] as {
        responses?: Record<string, unknown>;
      }
    )?.responses?.['200'],
  );
  const content = ok.content as Record<string, { schema?: unknown }> | undefined;
  return content?.['text/event-stream']?.schema;
}

/**
 * Every event name the stream's schema declares (each branch's `event` enum), so a client that
 * dispatches by name (EventSource) can listen for all of them.
 */
export function streamEventNames(doc: ApiDocument, op: Operation): string[] {
  const names = new Set<string>();
  const visit = (raw: unknown, depth: number) => {
    const schema = deref(doc.raw, raw);
    if (depth > 8) {
      return;
    }
    const event = deref(doc.raw, (schema.properties as Record<string, unknown> | undefined)?.event);
    for (const name of (event.enum ?? []) as unknown[]) {
      names.add(String(name));
    }
    for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
      for (const branch of (schema[key] ?? []) as unknown[]) {
        visit(branch, depth + 1);
      }
    }
  };
  visit(streamSchema(doc, op), 0);
  return [...names];
}

/** The problems of each event's data against the stream schema of `path` (empty when none). */
export function streamProblems(
  checker: DocumentChecker,
  path: string,
  events: SseEvent[],
): string[] {
  const plan = checker.plan({
    method: 'POST',
    path,
    status: 200,
    header: (name) => (name.toLowerCase() === 'content-type' ? 'text/event-stream' : undefined),
  });
  if (plan.kind !== 'check') {
    return [`no stream schema for POST ${path}: ${JSON.stringify(plan)}`];
  }
  return events.flatMap((e) => {
    const problem = checker.checkBody(plan.body, e.data);
    return problem === undefined
      ? []
      : [
          `${e.event}: ${problem.problem} ${(problem.errors ?? []).join('; ')} in ${e.data.slice(0, 200)}`,
        ];
  });
}

import {
  ProcessorEnvelope,
  type ProcessorErrorCode,
  ProcessorStreamEvent,
  ProcessorSuccessEnvelope,
  readSseEvents,
  readSseMessages,
  type SseMessage,
  type ProcessorStreamEvent as StreamEvent,
} from '@agentplane/contracts';
import { expect, it } from 'vitest';
import {
  expectError,
  IMAGE_DIGEST,
  post,
  type SuiteContext,
  secretNames,
} from './suite-support.js';

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function sseMessages(text: string): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const m of readSseMessages(once(text))) {
    messages.push(m);
  }
  return messages;
}

async function streamEvents(text: string): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const ev of readSseEvents(once(text), ProcessorStreamEvent)) {
    events.push(ev);
  }
  return events;
}

/**
 * `POST /run-stream`: the guards answer before a stream opens; an accepted run streams `started`,
 * `progress`… and one `event: done` whose data is the final envelope (seed §1).
 */
export function contractStreamCases(ctx: SuiteContext): void {
  it('POST /run-stream streams started … and ends with event: done whose data is the envelope', async () => {
    const res = await fetch(`${ctx.ci().baseUrl}/run-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: ctx.body(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('content-encoding')).toBeNull();
    const text = await res.text();
    const messages = await sseMessages(text);
    expect(messages[0]?.event).toBe('started');
    expect(messages.filter((m) => m.event === 'done')).toHaveLength(1);
    // On the wire the done data is the envelope itself, no wrapper and no `event` field.
    const last = messages.at(-1);
    expect(last?.event).toBe('done');
    const data = JSON.parse(last?.data ?? 'null') as Record<string, unknown>;
    expect(Object.keys(data)).not.toContain('envelope');
    expect(Object.keys(data)).not.toContain('event');
    const envelope = ProcessorSuccessEnvelope.parse(data);
    expect(envelope.meta.image_digest).toBe(IMAGE_DIGEST);

    // The typed reader gives the same envelope as a done event.
    const events = await streamEvents(text);
    const done = events.at(-1);
    expect(done?.event).toBe('done');
    if (done?.event === 'done') {
      expect(done.status, JSON.stringify(done)).toBe('success');
    }
  });

  it('refuses a /run-stream request its guards refuse with the /run status and envelope, no stream', async () => {
    const cases: Array<[Record<string, unknown>, number, ProcessorErrorCode]> = [
      [{ mode: 'real' }, 403, 'ERR_CI_SAFETY'],
      [{ mode: 'fast' }, 400, 'ERR_REQUEST_INVALID'],
      [{ inputs: ctx.invalidInputs }, 400, 'ERR_INPUTS_INVALID'],
      [{ write_prefix: 'relative/{execution_id}' }, 400, 'ERR_WRITE_PREFIX'],
    ];
    for (const [over, status, code] of cases) {
      const res = await fetch(`${ctx.ci().baseUrl}/run-stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: ctx.body(over),
      });
      expect(res.status, code).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/json');
      expectError(
        { status: res.status, envelope: ProcessorEnvelope.parse(await res.json()) },
        code,
      );
    }
    if (secretNames(ctx.registry).length > 0) {
      const reply = await post(ctx.local().baseUrl, '/run-stream', ctx.body({ mode: 'real' }));
      expect(reply.status).toBe(503);
      expectError(reply, 'ERR_SECRETS_MISSING');
    }
  });
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineEvent, isTerminalEvent } from '../engine/events.js';
import { engineRoutes } from '../engine/routes.js';
import { ClientError } from './client-error.js';
import { createClient } from './create-client.js';

const seen: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];
let mode: 'ok' | 'undeclared' | 'invalid' = 'ok';

const base = { task_id: 't1', turn_id: 'turn_1' };
const streamEvents: EngineEvent[] = [
  {
    ...base,
    seq: 1,
    event: 'thread.started',
    agent: 'researcher',
    model: 'mock',
    user_message_id: 'msg_1',
    started_at: '2025-01-01T00:00:00.000Z',
  },
  { ...base, seq: 2, event: 'text_delta', text: 'hel' },
  { ...base, seq: 3, event: 'text_delta', text: 'lo\nworld' },
  {
    ...base,
    seq: 4,
    event: 'thread.completed',
    stop_reason: 'end_turn',
    assistant_message_id: 'msg_2',
    usage: { input_tokens: 3, output_tokens: 2, cache_hit_tokens: 0 },
    duration_ms: 5,
  },
];

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sse(res: ServerResponse, events: EngineEvent[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(': hello\n\n');
  for (const e of events) {
    // Split every frame in two writes so the client sees arbitrary chunk boundaries.
    const frame = `event: ${e.event}\nid: ${e.seq}\ndata: ${JSON.stringify(e)}\n\n`;
    res.write(frame.slice(0, 7));
    res.write(frame.slice(7));
  }
  res.end();
}

function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', 'http://x');
  seen.push({ path: `${req.method} ${url.pathname}${url.search}`, headers: req.headers, body });
  if (url.pathname === '/health') {
    if (mode === 'undeclared') {
      sendJson(res, 418, { teapot: true });
      return;
    }
    if (mode === 'invalid') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    const sub = { ok: true };
    const health = { brain: sub, migrations: sub, catalog: { ok: false, detail: 'loading' } };
    sendJson(res, 503, { status: 'starting', uptime_seconds: 1.5, subsystems: health });
    return;
  }
  if (url.pathname === '/execute') {
    if (JSON.parse(body).task_id === 'busy') {
      const error = { code: 'TASK_BUSY', message: 'busy', correlation_id: 'c1' };
      sendJson(res, 409, { error });
      return;
    }
    sse(res, streamEvents);
    return;
  }
  if (url.pathname === '/execute/replay' && url.searchParams.get('task_id') === 't1') {
    const after = Number(req.headers['last-event-id'] ?? 0);
    sse(
      res,
      streamEvents.filter((e) => e.seq > after),
    );
    return;
  }
  if (url.pathname === '/hitl/pending') {
    sendJson(res, 200, { pending: [] });
    return;
  }
  sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no', correlation_id: 'c2' } });
}

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const client = () =>
  createClient(engineRoutes, { baseUrl, headers: () => ({ 'x-engine-key': 'k' }) });

describe('createClient against a loopback server', () => {
  it('parses a declared non-2xx status with its schema', async () => {
    mode = 'ok';
    const res = await client().getHealth();
    expect(res.status).toBe(503);
    if (res.status === 503) {
      expect(res.body.subsystems.catalog).toEqual({ ok: false, detail: 'loading' });
    }
  });

  it('throws ClientError for an undeclared status and for a body failing the schema', async () => {
    mode = 'undeclared';
    await expect(client().getHealth()).rejects.toMatchObject({
      kind: 'undeclared_status',
      details: { status: 418 },
    });
    mode = 'invalid';
    const err = await client()
      .getHealth()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect((err as ClientError).kind).toBe('invalid_response');
    mode = 'ok';
  });

  it('throws a transport ClientError when nothing listens', async () => {
    const dead = createClient(engineRoutes, { baseUrl: 'http://127.0.0.1:1' });
    await expect(dead.getHealth()).rejects.toMatchObject({ kind: 'transport' });
  });

  it('streams typed events, sends auth and body, and tracks the last id', async () => {
    const res = await client().execute({ body: { message: 'hi', task_id: 't1' } });
    expect(res.status).toBe(200);
    if (res.status !== 200) {
      return;
    }
    const got: EngineEvent[] = [];
    for await (const ev of res.events) {
      got.push(ev);
      if (isTerminalEvent(ev)) {
        break;
      }
    }
    expect(got).toEqual(streamEvents);
    expect(res.lastEventId()).toBe('4');
    const req = seen.at(-1);
    expect(req?.headers['x-engine-key']).toBe('k');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual({ message: 'hi', task_id: 't1' });
  });

  it('returns the declared error envelope instead of a stream', async () => {
    const res = await client().execute({ body: { message: 'hi', task_id: 'busy' } });
    expect(res.status).toBe(409);
    if (res.status === 409) {
      expect(res.body.error.code).toBe('TASK_BUSY');
    }
  });

  it('resumes with Last-Event-ID and fills path params and query', async () => {
    const res = await client().replayExecution(
      { query: { task_id: 't1', turn_id: 'turn_1' } },
      { lastEventId: '2' },
    );
    if (res.status !== 200) {
      throw new Error(`status ${res.status}`);
    }
    const seqs: number[] = [];
    for await (const ev of res.events) {
      seqs.push(ev.seq);
    }
    expect(seqs).toEqual([3, 4]);
    const req = seen.at(-1);
    expect(req?.path).toBe('GET /execute/replay?task_id=t1&turn_id=turn_1');
    expect(req?.headers['last-event-id']).toBe('2');
  });
});

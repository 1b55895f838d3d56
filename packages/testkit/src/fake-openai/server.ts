import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { completionBody, type ResolvedTurn, resolveTurn, streamChunks } from './chat.js';
import { embeddingsResponse } from './embeddings.js';
import { openaiError } from './openai-error.js';
import type { FakeOpenAI, FakeOpenAIOptions, RecordedRequest, ScriptedTurn } from './types.js';

type Body = RecordedRequest['body'];

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string): { body: Body; valid: boolean } {
  if (raw === '') {
    return { body: {}, valid: false };
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    return { body: isObject ? (parsed as Body) : {}, valid: isObject };
  } catch {
    return { body: {}, valid: false };
  }
}

/** Writes SSE events until done or until the client goes away. */
function sseWriter(res: ServerResponse, chunkDelayMs: number) {
  let first = true;
  return async (payload: unknown): Promise<boolean> => {
    if (!first && chunkDelayMs > 0) {
      await sleep(chunkDelayMs);
    }
    first = false;
    if (res.destroyed) {
      return false;
    }
    res.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
    return true;
  };
}

async function streamTurn(
  res: ServerResponse,
  turn: ScriptedTurn,
  resolved: ResolvedTurn,
  body: Body,
) {
  const options = body.stream_options as { include_usage?: unknown } | undefined;
  const plan = streamChunks(resolved, options?.include_usage === true);
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const send = sseWriter(res, turn.chunkDelayMs ?? 0);
  const failure = turn.errorMidStream;
  const content = failure ? plan.content.slice(0, failure.afterChunks) : plan.content;
  for (const chunk of [...plan.head, ...content]) {
    if (!(await send(chunk))) {
      return;
    }
  }
  if (failure) {
    // What OpenAI-compatible servers do when generation fails after the 200 went out; the
    // SDK turns a data event carrying `error` into an APIError.
    const status = failure.status ?? 500;
    await send(
      openaiError(status, failure.message, { type: failure.type, code: failure.code ?? null }),
    );
    res.end();
    return;
  }
  for (const chunk of [...plan.tail, '[DONE]']) {
    if (!(await send(chunk))) {
      return;
    }
  }
  res.end();
}

async function answerChat(
  res: ServerResponse,
  body: Body,
  turn: ScriptedTurn,
  ids: Parameters<typeof resolveTurn>[2],
) {
  if (turn.delayMs) {
    await sleep(turn.delayMs);
  }
  if (turn.httpError) {
    const { status, body: errorBody, headers } = turn.httpError;
    const payload = errorBody ?? openaiError(status, `fake-openai: scripted HTTP ${status}`);
    sendJson(res, status, payload, headers);
    return;
  }
  if (turn.errorMidStream && body.stream !== true) {
    const { status = 500, message, type, code } = turn.errorMidStream;
    sendJson(res, status, openaiError(status, message, { type, code: code ?? null }));
    return;
  }
  const resolved = resolveTurn(turn, body, ids);
  if (body.stream === true) {
    await streamTurn(res, turn, resolved, body);
  } else {
    sendJson(res, 200, completionBody(resolved));
  }
}

function chatBodyProblem(body: Body): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') {
    return "'model' is required";
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return "'messages' must be a non-empty array";
  }
  return undefined;
}

/**
 * A scripted OpenAI-compatible server on 127.0.0.1 and a free port, speaking the real wire
 * protocol of `/v1/chat/completions` (JSON and SSE) and `/v1/embeddings`.
 *
 * ```ts
 * const fake = await startFakeOpenAI();
 * fake.script([{ toolCalls: [{ name: 'search', arguments: { q: 'x' } }] }, { text: 'done' }]);
 * const client = new OpenAI({ baseURL: fake.baseURL, apiKey: 'test' });
 * ```
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const embeddingDimensions = options.embeddingDimensions ?? 1536;
  const requests: RecordedRequest[] = [];
  const turns: ScriptedTurn[] = [];
  let completions = 0;
  let toolCalls = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const { body, valid } = parseBody(rawBody);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const authorization = req.headers.authorization;
    requests.push({
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      authorization,
      body,
      rawBody,
    });

    if (!authorization?.startsWith('Bearer ')) {
      sendJson(
        res,
        401,
        openaiError(401, 'fake-openai: missing "Authorization: Bearer <key>" header', {
          code: 'invalid_api_key',
        }),
      );
      return;
    }
    const route = `${req.method} ${path}`;
    if (route === 'GET /v1/models') {
      sendJson(res, 200, {
        object: 'list',
        data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake-openai' }],
      });
      return;
    }
    if (route !== 'POST /v1/chat/completions' && route !== 'POST /v1/embeddings') {
      sendJson(
        res,
        404,
        openaiError(404, `fake-openai: no route for ${route}`, { code: 'unknown_url' }),
      );
      return;
    }
    if (!valid) {
      sendJson(res, 400, openaiError(400, 'fake-openai: the body must be a JSON object'));
      return;
    }
    if (route === 'POST /v1/embeddings') {
      const result = embeddingsResponse(body, embeddingDimensions);
      const status = result.ok ? 200 : 400;
      sendJson(
        res,
        status,
        result.ok ? result.body : openaiError(400, result.message, { param: result.param }),
      );
      return;
    }
    const problem = chatBodyProblem(body);
    if (problem) {
      sendJson(res, 400, openaiError(400, problem));
      return;
    }
    const turn = turns.shift();
    if (!turn) {
      const message = 'fake-openai: no scripted response left';
      sendJson(res, 500, openaiError(500, message, { code: 'script_exhausted' }));
      return;
    }
    completions += 1;
    const ids = {
      completion: `chatcmpl-fake-${completions}`,
      toolCall: () => {
        toolCalls += 1;
        return `call_${toolCalls}`;
      },
    };
    await answerChat(res, body, turn, ids);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, openaiError(500, `fake-openai: ${String(error)}`));
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script(next) {
      turns.push(...next);
    },
    remainingTurns: () => turns.length,
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from the SDK would hold close() open until they time out.
        server.closeAllConnections();
      });
    },
  };
}

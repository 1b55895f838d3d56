import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { OpenApiDocument } from './document-checker.js';

// A service and its document for the check's own tests: some answers match the document, others
// drift from it on purpose (named in the path), as a real service's would.

const json = { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } };
const error = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

export const TINY_DOCUMENT: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/items/{id}': {
      get: {
        responses: {
          '200': { description: 'one', content: json },
          '404': { $ref: '#/components/responses/Error' },
        },
      },
      delete: { responses: { '204': { description: 'gone' } } },
    },
    '/items/new': { post: { responses: { '201': { description: 'made', content: json } } } },
    '/stream': {
      get: {
        responses: {
          '200': {
            description: 'ticks',
            content: { 'text/event-stream': { schema: { $ref: '#/components/schemas/Event' } } },
          },
        },
      },
    },
  },
  components: {
    responses: { Error: { description: 'error', content: error } },
    schemas: {
      Item: {
        type: 'object',
        required: ['id', 'name'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          tag: { type: ['string', 'null'] },
          created: { type: 'string', format: 'date-time' },
        },
      },
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
      Event: {
        oneOf: [
          {
            type: 'object',
            required: ['event', 'n'],
            properties: { event: { const: 'tick' }, n: { type: 'integer' } },
          },
          { type: 'object', required: ['event'], properties: { event: { const: 'done' } } },
        ],
      },
    },
  },
};

export interface TinyService {
  base: string;
  /** Request lines received (`GET /openapi.json`), in order. */
  seen: string[];
  /** Resolves when the client of /stream disconnects before its end. */
  streamDropped: Promise<void>;
  close(): Promise<void>;
}

const ITEMS: Record<string, unknown> = {
  good: { id: 'good', name: 'a', tag: null, created: '2024-05-01T10:00:00Z' },
  bad: { id: 'bad', tag: 3 },
  'bad-date': { id: 'bad-date', name: 'a', created: 'yesterday' },
};

function send(res: ServerResponse, status: number, body?: unknown, type = 'application/json') {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (res.req.headers['accept-encoding']?.includes('gzip')) {
    res.writeHead(status, { 'content-type': type, 'content-encoding': 'gzip' });
    res.end(gzipSync(text));
    return;
  }
  res.writeHead(status, { 'content-type': type });
  res.end(text);
}

/**
 * Starts the tiny service on loopback. `correlation: false` makes it answer like a test double
 * (no X-Correlation-Id), which the check must leave alone and never ask for a document.
 */
export async function startTinyService(opts: { correlation?: boolean } = {}): Promise<TinyService> {
  const seen: string[] = [];
  let dropped: () => void = () => undefined;
  const streamDropped = new Promise<void>((resolve) => {
    dropped = resolve;
  });
  const stream = (req: IncomingMessage, res: ServerResponse, bad: boolean) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(': hb\n\n');
    let n = 0;
    const timer = setInterval(() => {
      n++;
      const data = bad && n === 2 ? { event: 'tick', n: 'two' } : { event: 'tick', n };
      res.write(`event: tick\r\ndata: ${JSON.stringify(data)}\r\n\r\n`);
      if (n === 3) {
        clearInterval(timer);
        res.end('event: done\ndata: {"event":"done"}\n\n');
      }
    }, 30);
    req.on('close', () => {
      if (!res.writableEnded) {
        clearInterval(timer);
        dropped();
      }
    });
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(`${req.method} ${url.pathname}`);
    if (opts.correlation !== false) {
      res.setHeader('x-correlation-id', 'req_tiny');
    }
    // node drops the body of a HEAD answer itself.
    const reading = req.method === 'GET' || req.method === 'HEAD';
    const item = /^\/items\/([^/]+)$/.exec(url.pathname)?.[1];
    if (reading && url.pathname === '/openapi.json') {
      send(res, 200, TINY_DOCUMENT);
    } else if (reading && url.pathname === '/stream') {
      stream(req, res, url.searchParams.has('bad'));
    } else if (req.method === 'POST' && url.pathname === '/items/new') {
      send(res, 201, ITEMS.good);
    } else if (reading && item === 'teapot') {
      send(res, 418, { error: { code: 'TEAPOT', message: 'undocumented status' } });
    } else if (reading && item === 'text') {
      send(res, 200, 'plain', 'text/plain');
    } else if (reading && item !== undefined) {
      const found = ITEMS[item];
      send(
        res,
        found === undefined ? 404 : 200,
        found ?? { error: { code: 'NOT_FOUND', message: 'no such item' } },
      );
    } else if (req.method === 'DELETE' && item !== undefined) {
      send(res, 204);
    } else if (item !== undefined || url.pathname === '/stream') {
      res.setHeader('allow', item === 'no-allow' ? '' : 'GET, HEAD, DELETE');
      send(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'wrong method' } });
    } else if (url.pathname === '/headers') {
      send(res, 431, { error: { code: 'HEADERS_TOO_LARGE', message: 'too large' } });
    } else {
      send(res, url.pathname === '/not-404' ? 400 : 404, {
        error: { code: 'NOT_FOUND', message: 'no route' },
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    seen,
    streamDropped,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

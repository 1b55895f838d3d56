import { defineRoute } from '@agentplane/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp } from './app.js';
import { registerRoute } from './route.js';
import { captureLogger, request, type Started, start } from './test-support.js';

const list = defineRoute({
  method: 'get',
  path: '/items/{page}',
  operationId: 'listItems',
  summary: 'List',
  request: {
    params: z.object({ page: z.number().int().min(0) }),
    query: z.object({
      limit: z.number().int().min(1).max(100).default(5),
      ratio: z.number().optional(),
      name: z.string().optional(),
    }),
  },
  responses: { 200: { description: 'ok', schema: z.record(z.string(), z.unknown()) } },
});

let server: Started;

beforeAll(async () => {
  const app = createServiceApp({
    name: 'query-numbers-test',
    logger: captureLogger().logger,
    bodyLimitBytes: 1024,
    routes: (r) =>
      registerRoute(r, list, ({ params, query }) => ({
        status: 200,
        body: { ...params, ...query },
      })),
  });
  server = await start(app);
});

afterAll(() => server.close());

const get = (path: string) => request(server.port, { path });

describe('numbers in the query and the path', () => {
  it('reads canonical numbers and keeps defaults and strings as they are', async () => {
    const res = await get('/items/2?limit=7&ratio=-0.25&name=12');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ page: 2, limit: 7, ratio: -0.25, name: '12' });
    expect(JSON.parse((await get('/items/0')).text)).toEqual({ page: 0, limit: 5 });
  });

  it.each(['1e1', '0x10', '0b1', '+5', ' 5', '5.', '.5', '', '05', 'NaN', 'Infinity'])(
    'refuses limit=%j with 400 naming query.limit (z.coerce would read it)',
    async (text) => {
      const res = await get(`/items/1?limit=${encodeURIComponent(text)}`);
      expect(res.status).toBe(400);
      const { error } = JSON.parse(res.text);
      expect(error.code).toBe('VALIDATION_ERROR');
      expect(error.details.issues.map((i: { path: string }) => i.path)).toEqual(['query.limit']);
    },
  );

  it('refuses a non-canonical path number too', async () => {
    const res = await get('/items/1e0');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.details.issues[0].path).toBe('params.page');
  });
});

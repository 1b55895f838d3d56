import { defineRoute } from '@agentplane/contracts';
import {
  createLogger,
  createMetrics,
  createServiceApp,
  createShutdownRegistry,
  listen,
  registerRoute,
} from '@agentplane/http-kit';
import { z } from 'zod';

// The same trivial JSON route as json-bare.ts, through the whole kit: correlation id, request
// log (at warn nothing is written, as in production at info it is one line per request), metrics
// histogram, in-flight tracking, compression check, validation and the typed handler.
const ping = defineRoute({
  method: 'get',
  path: '/ping',
  operationId: 'ping',
  summary: 'bench',
  responses: {
    200: { description: 'ok', schema: z.object({ ok: z.boolean(), service: z.string() }) },
  },
});

// A body route: the kit's reader (strict UTF-8, empty = missing, prototype-poisoning check) and
// the body schema, against json-bare.ts's body-parser route.
const echo = defineRoute({
  method: 'post',
  path: '/echo',
  operationId: 'echo',
  summary: 'bench',
  request: {
    body: z.object({ items: z.array(z.object({ id: z.number(), name: z.string() })) }),
  },
  responses: { 200: { description: 'ok', schema: z.object({ n: z.number() }) } },
});

const logger = createLogger({ name: 'bench', level: process.env.LOG_LEVEL ?? 'warn' });
const shutdown = createShutdownRegistry({ logger, graceMs: 1000 });
const app = createServiceApp({
  name: 'bench',
  logger,
  metrics: createMetrics(),
  shutdown,
  bodyLimitBytes: 1024 * 1024,
  routes: (router) => {
    registerRoute(router, ping, () => ({ status: 200, body: { ok: true, service: 'bench' } }));
    registerRoute(router, echo, ({ body }) => ({ status: 200, body: { n: body.items.length } }));
  },
});
const { port, close } = await listen(app, { port: 0 });
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => close().then(() => process.exit(0)));

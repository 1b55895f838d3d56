import { createLogger, createServiceApp, listen, openSse } from '@agentplane/http-kit';

// The same frames as sse-bare.ts, written through the kit's SSE writer (framing, id, drain).
const logger = createLogger({ name: 'bench', level: 'warn' });
const app = createServiceApp({
  name: 'bench',
  logger,
  bodyLimitBytes: 1024,
  metrics: false,
  routes: (router) =>
    router.get('/sse', async (req, res) => {
      const n = Number(req.query.n ?? 1000);
      const payload = { text: 'x'.repeat(Number(req.query.size ?? 1024) - 40) };
      const sse = openSse(req, res);
      for (let i = 1; i <= n; i++) {
        await sse.send({ event: 'text_delta', id: i, data: { seq: i, ...payload } });
      }
      sse.close();
    }),
});
const { port, close } = await listen(app, { port: 0 });
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => close().then(() => process.exit(0)));

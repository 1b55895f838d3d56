import { once } from 'node:events';
import { createServer } from 'node:http';

// Baseline: bare res.write of the same frames the kit's SSE writer produces, honouring drain.
const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const n = Number(url.searchParams.get('n') ?? 1000);
  const payload = { text: 'x'.repeat(Number(url.searchParams.get('size') ?? 1024) - 40) };
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  for (let i = 1; i <= n; i++) {
    if (
      !res.write(`event: text_delta\nid: ${i}\ndata: ${JSON.stringify({ seq: i, ...payload })}\n\n`)
    ) {
      await once(res, 'drain');
    }
  }
  res.end();
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

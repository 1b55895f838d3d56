// A stand-in processor for adapter tests: plain JS, no bundle, no dependencies. FAKE_BEHAVIOUR
// picks how POST /run misbehaves: `ok` (a valid envelope), `not-envelope` (JSON of another shape),
// `hang` (never answers), `exit` (the process dies before listening).
import { createServer } from 'node:http';

const behaviour = process.env.FAKE_BEHAVIOUR ?? 'ok';
if (behaviour === 'exit') {
  process.stderr.write('fake processor: exiting as asked\n');
  process.exit(3);
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function envelope(request) {
  const prefix = request.write_prefix.replaceAll('{execution_id}', request.execution_id);
  return {
    status: 'success',
    execution_id: request.execution_id,
    outputs: [],
    index_path: `${prefix.replace(/\/+$/, '')}/outputs.json`,
    meta: {
      env_fingerprint: 'cpu:1;memory:1Gi',
      image_digest: process.env.IMAGE_DIGEST ?? 'unknown',
      duration_ms: 0,
    },
  };
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') {
    send(res, 200, { ok: true });
    return;
  }
  if (req.method === 'POST' && req.url === '/run') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (behaviour === 'hang') {
        return;
      }
      if (behaviour === 'not-envelope') {
        send(res, 200, { hello: 'world' });
        return;
      }
      send(res, 200, envelope(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    return;
  }
  send(res, 404, { error: 'not found' });
});

server.listen(Number(process.env.PORT ?? 8000), process.env.HOST ?? '0.0.0.0', () => {
  // The test harness reads the port when it runs this outside a container.
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});

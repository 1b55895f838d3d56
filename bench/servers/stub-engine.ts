import { createServer } from 'node:http';

// A stand-in engine for orchestratord.rss: the engine contract's /health and /rpc and nothing
// else, so a hundred of them fit on the machine while the orchestrator's own memory is measured.
// Plain node runs it (type stripping): no loader in each of the hundred processes.
const started = Date.now();
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    const uptime = Math.floor((Date.now() - started) / 1000);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'ok', uptime_seconds: uptime, subsystems: {} }));
    return;
  }
  if (req.method === 'POST' && req.url === '/rpc') {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    return;
  }
  res.statusCode = 404;
  res.end();
});
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));

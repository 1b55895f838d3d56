import express from 'express';

// Baseline: the bare express route the kit's JSON route is compared with.
const app = express();
app.use(express.json());
app.get('/ping', (_req, res) => {
  res.json({ ok: true, service: 'bench' });
});
// The body baseline: body-parser's JSON (which reads `{}` for an empty body and U+FFFD for bad
// UTF-8, and lets `__proto__` keys through) and no validation.
app.post('/echo', (req, res) => {
  res.json({ n: Object.keys(req.body ?? {}).length });
});
const server = app.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

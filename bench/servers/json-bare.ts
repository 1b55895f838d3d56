import express from 'express';

// Baseline: the bare express route the kit's JSON route is compared with.
const app = express();
app.use(express.json());
app.get('/ping', (_req, res) => {
  res.json({ ok: true, service: 'bench' });
});
const server = app.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

import { createServer } from 'node:net';
import { openPglite } from '@agentplane/backends/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A pgvector Postgres on loopback: PGlite with the vector extension behind pglite-socket. */
export async function servePgvector(): Promise<{ url: string; stop: () => Promise<void> }> {
  const pglite = await openPglite();
  const port = await freePort();
  const server = new PGLiteSocketServer({
    db: pglite,
    host: '127.0.0.1',
    port,
    maxConnections: 32,
  });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      await pglite.close();
    },
  };
}

import { createServer } from 'node:net';

/**
 * Whether `port` can be bound on `host` right now (a bind test: the only check that sees every
 * holder, including ports a container engine keeps open for a published container). A port in
 * use or not ours to bind (EACCES) is not free; any other error (a bad host) is thrown.
 */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
        resolve(false);
      } else {
        reject(err);
      }
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

import { once } from 'node:events';
import { createServer } from 'node:net';
import { expect, test } from 'vitest';
import { isPortFree } from './free-port.js';

test('isPortFree: false while something listens on the port, true once it is closed', async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  expect(await isPortFree(port)).toBe(false);
  await new Promise((resolve) => server.close(resolve));
  expect(await isPortFree(port)).toBe(true);
  expect(await isPortFree(port)).toBe(true); // the probe released it again
});

test('isPortFree: an address that is not ours to bind is an error, not a busy port', async () => {
  await expect(isPortFree(0, '192.0.2.1')).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
});

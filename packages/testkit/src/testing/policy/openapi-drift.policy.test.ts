import { get } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
// The setup file, imported first as `setupFiles` would load it: its hooks come before this file's.
import '../../openapi-check/setup.js';
import { allowUndocumented } from '../../openapi-check/check-state.js';
import { startTinyService, type TinyService } from '../../openapi-check/tiny-service.js';

// Run by openapi-check/setup.int.test.ts in a child vitest: which of these pass and which fail
// (and with what message) is what that test asserts. Each test here would pass without the check.

let svc: TinyService;

beforeAll(async () => {
  svc = await startTinyService();
});

afterAll(async () => {
  await svc.close();
});

it('documented answers pass', async () => {
  expect((await fetch(`${svc.base}/items/good`)).status).toBe(200);
  expect((await fetch(`${svc.base}/nowhere`)).status).toBe(404);
});

it('a drifting body fails the test that received it', async () => {
  // The body is never read: the check reads its own copy.
  expect((await fetch(`${svc.base}/items/bad`)).status).toBe(200);
});

it('a drifting stream event fails it', async () => {
  const text = await (await fetch(`${svc.base}/stream?bad=1`)).text();
  expect(text).toContain('event: done');
});

it('a drifting node:http answer fails it', async () => {
  const status = await new Promise<number | undefined>((resolve) => {
    get(`${svc.base}/items/teapot`, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
  });
  expect(status).toBe(418);
});

it('allowUndocumented lets an undocumented answer through', async () => {
  const res = await allowUndocumented(() => fetch(`${svc.base}/items/teapot`));
  expect(res.status).toBe(418);
});

it('a later test is not blamed', async () => {
  expect((await fetch(`${svc.base}/items/good`)).status).toBe(200);
});

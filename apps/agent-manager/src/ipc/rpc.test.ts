import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { onPush, pushTo, RpcDisconnectedError, rpcClient, serveRpc } from './rpc.js';
import { forkTs, killChild, nextMessage } from './test-support/fork-ts.js';
import type { ChildApi, ParentApi } from './test-support/rpc-child.js';

const entry = fileURLToPath(new URL('./test-support/rpc-child.ts', import.meta.url));

describe('ipc rpc over a forked child', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child) {
      await killChild(child);
    }
  });

  const start = async () => {
    child = forkTs(entry);
    await nextMessage(child, 'worker-ready');
    return child;
  };

  test('calls resolve with the child values, each with its own reply', async () => {
    const remote = rpcClient<ChildApi>(await start(), 'child');
    const slow = remote.later('slow', 50);
    const fast = remote.later('fast', 0);
    expect(await fast).toBe('fast');
    expect(await slow).toBe('slow');
    expect(await remote.add(2, 3)).toBe(5);
  });

  test('a remote error keeps its name, message and code', async () => {
    const remote = rpcClient<ChildApi>(await start(), 'child');
    const error = await remote.fence().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'FencedError',
      code: 'FENCED',
      message: 'run attempt 3 is stale',
    });
  });

  test('an unknown method rejects instead of hanging', async () => {
    const remote = rpcClient<ChildApi & { nope(): void }>(await start(), 'child');
    await expect(remote.nope()).rejects.toThrow(/no rpc method child\.nope/);
    await expect((remote as unknown as { toString(): Promise<string> }).toString()).rejects.toThrow(
      /no rpc method/,
    );
  });

  test('the child calls the parent; pushes go both ways; foreign messages are ignored', async () => {
    const worker = await start();
    serveRpc(worker, 'parent', { double: (n: number) => n * 2 } satisfies ParentApi);
    const answers: unknown[] = [];
    onPush(worker, 'answer', (value) => answers.push(value));
    worker.send({ t: 'worker-drain' });
    worker.send({ t: 'rpc', id: 1, ns: 'elsewhere', method: 'add', args: [] });
    const answered = new Promise((resolve) => onPush(worker, 'answer', resolve));
    pushTo(worker, 'ask', 21);
    expect(await answered).toBe(42);
    expect(answers).toEqual([42]);
    expect(await rpcClient<ChildApi>(worker, 'child').add(1, 1)).toBe(2);
  });

  test('pending calls reject when the child dies; later calls reject at once', async () => {
    const worker = await start();
    const remote = rpcClient<ChildApi>(worker, 'child');
    const hung = remote.hang().catch((error: unknown) => error);
    await killChild(worker);
    expect(await hung).toBeInstanceOf(RpcDisconnectedError);
    await expect(remote.add(1, 2)).rejects.toMatchObject({ code: 'IPC_DISCONNECTED' });
  });
});

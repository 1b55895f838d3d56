import { onPush, pushTo, rpcClient, serveRpc } from '../rpc.js';

/** What the child serves to the parent in rpc.test.ts. */
export interface ChildApi {
  add(a: number, b: number): number;
  later(value: string, ms: number): Promise<string>;
  fence(): never;
  hang(): Promise<never>;
}

/** What the parent serves to the child. */
export interface ParentApi {
  double(n: number): number;
}

const failFenced = (): never => {
  const error = new Error('run attempt 3 is stale') as Error & { code: string };
  error.name = 'FencedError';
  error.code = 'FENCED';
  throw error;
};

const api: ChildApi = {
  add: (a, b) => a + b,
  later: (value, ms) => new Promise((resolve) => setTimeout(() => resolve(value), ms)),
  fence: failFenced,
  hang: () => new Promise<never>(() => {}),
};
serveRpc(process, 'child', api);
const parent = rpcClient<ParentApi>(process, 'parent');
onPush(process, 'ask', (payload) => {
  parent.double(payload as number).then((value) => pushTo(process, 'answer', value));
});
// A message of another protocol on the same channel, as the worker pool's reports are.
process.send?.({ t: 'worker-ready' });

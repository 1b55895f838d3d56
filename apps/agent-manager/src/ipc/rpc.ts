import { type IpcChannel, messageType, sendMessage } from './ipc-channel.js';

interface RpcRequest {
  t: 'rpc';
  id: number;
  ns: string;
  method: string;
  args: unknown[];
}

/** What crosses the channel for a thrown error: enough to rebuild and recognise it. */
export interface RpcErrorShape {
  name: string;
  message: string;
  code?: string;
}

type RpcOutcome = { ok: true; value: unknown } | { ok: false; error: RpcErrorShape };
// Replies carry their namespace: each client numbers its own calls, so ids alone collide when
// several clients share one channel (a worker's store and queue clients did).
type RpcResult = { t: 'rpc-result'; ns: string; id: number } & RpcOutcome;

/** The client side of `T`: every method, async. */
export type RpcClient<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

type RpcImpl = object;

/** An error rebuilt from its wire shape: `name` and `code` survive so callers can branch on them. */
export class RpcRemoteError extends Error {
  readonly code: string | undefined;
  constructor(shape: RpcErrorShape) {
    super(shape.message);
    this.name = shape.name;
    this.code = shape.code;
  }
}

/** The channel closed before the reply came. */
export class RpcDisconnectedError extends Error {
  override readonly name = 'RpcDisconnectedError';
  readonly code = 'IPC_DISCONNECTED';
}

/** The wire shape of anything thrown. */
export function toErrorShape(error: unknown): RpcErrorShape {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}

function isRequest(message: unknown, ns: string): message is RpcRequest {
  return messageType(message) === 'rpc' && (message as RpcRequest).ns === ns;
}

/**
 * Answers the `ns` requests arriving on `channel` with `impl`'s methods (sync or async).
 * Returns the function that stops serving.
 *
 * ```ts
 * serveRpc(child, 'queue', { settle: (runId: string) => queue.settle(runId) });
 * ```
 */
export function serveRpc(channel: IpcChannel, ns: string, impl: RpcImpl): () => void {
  const onMessage = (message: unknown) => {
    if (!isRequest(message, ns)) {
      return;
    }
    const { id, method, args } = message;
    const reply = (result: RpcOutcome) =>
      sendMessage(channel, { t: 'rpc-result', ns, id, ...result });
    const fn = (impl as Record<string, unknown>)[method];
    // A request must not reach Object.prototype's methods (constructor, toString…).
    if (typeof fn !== 'function' || method in Object.prototype) {
      reply({ ok: false, error: { name: 'Error', message: `no rpc method ${ns}.${method}` } });
      return;
    }
    Promise.resolve()
      .then(() => fn.apply(impl, args))
      .then(
        (value: unknown) => reply({ ok: true, value }),
        (error: unknown) => reply({ ok: false, error: toErrorShape(error) }),
      );
  };
  channel.on('message', onMessage);
  return () => channel.off('message', onMessage);
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * A typed proxy of the `ns` methods served at the other end of `channel`. Calls reject with
 * the remote error (same `name`/`code`), and with `RpcDisconnectedError` when the channel is
 * or becomes closed.
 *
 * ```ts
 * const queue = rpcClient<QueueRpc>(process, 'queue');
 * await queue.settle(runId, lease, { ok: true });
 * ```
 */
export function rpcClient<T extends object>(channel: IpcChannel, ns: string): RpcClient<T> {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let listening = false;

  const onMessage = (message: unknown) => {
    if (messageType(message) !== 'rpc-result') {
      return;
    }
    const result = message as RpcResult;
    if (result.ns !== ns) {
      return;
    }
    const call = pending.get(result.id);
    if (!call) {
      return;
    }
    pending.delete(result.id);
    if (pending.size === 0) {
      stopListening();
    }
    if (result.ok) {
      call.resolve(result.value);
    } else {
      call.reject(new RpcRemoteError(result.error));
    }
  };
  const onDisconnect = () => {
    const calls = [...pending.values()];
    pending.clear();
    stopListening();
    for (const call of calls) {
      call.reject(new RpcDisconnectedError(`ipc channel closed before the ${ns} reply`));
    }
  };
  // Listeners exist only while calls are pending, so an idle client keeps nothing attached.
  const startListening = () => {
    if (!listening) {
      listening = true;
      channel.on('message', onMessage);
      channel.on('disconnect', onDisconnect);
    }
  };
  const stopListening = () => {
    if (listening) {
      listening = false;
      channel.off('message', onMessage);
      channel.off('disconnect', onDisconnect);
    }
  };

  const call = (method: string, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      startListening();
      pending.set(id, { resolve, reject });
      const request: RpcRequest = { t: 'rpc', id, ns, method, args };
      if (!sendMessage(channel, request)) {
        onDisconnect();
      }
    });

  // `then` stays undefined so `await client` does not mistake the proxy for a promise.
  return new Proxy({} as RpcClient<T>, {
    get: (_target, method) =>
      typeof method === 'string' && method !== 'then'
        ? (...args: unknown[]) => call(method, args)
        : undefined,
  });
}

interface PushMessage {
  t: 'push';
  ns: string;
  payload: unknown;
}

/**
 * A one-way message to the other end (no reply, no delivery guarantee beyond the channel's):
 * e.g. the parent telling a worker "cancel agent X" or "you lost job Y". False when closed.
 */
export function pushTo(channel: IpcChannel, ns: string, payload: unknown): boolean {
  const message: PushMessage = { t: 'push', ns, payload };
  return sendMessage(channel, message);
}

/**
 * Calls `fn` with every `ns` push arriving on `channel`; returns the function that stops.
 * `P` is what the sender is trusted to push (a structured clone, not validated here).
 */
export function onPush<P = unknown>(
  channel: IpcChannel,
  ns: string,
  fn: (payload: P) => void,
): () => void {
  const onMessage = (message: unknown) => {
    if (messageType(message) === 'push' && (message as PushMessage).ns === ns) {
      fn((message as PushMessage).payload as P);
    }
  };
  channel.on('message', onMessage);
  return () => channel.off('message', onMessage);
}

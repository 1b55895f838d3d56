import { Worker } from 'node:worker_threads';
import type { TextAsk, TextReply } from './sqlite-text-thread.js';
import type { ChunkFilter, Ranked } from './store.js';

export interface TextRanker {
  rank(text: string, k: number, filter: ChunkFilter): Promise<Ranked[]>;
  close(): Promise<void>;
}

/**
 * Full-text ranking on a thread of its own (see sqlite-text-thread.ts), so that a hybrid query
 * costs the slower of its two rankings rather than their sum. If the thread dies, `fallback`
 * (the same ranking on the caller's thread) answers from then on: nothing is lost but speed.
 */
export function startTextRanker(opts: {
  entry: URL;
  path: string;
  dim: number;
  fallback: (text: string, k: number, filter: ChunkFilter) => Ranked[];
  onError?: (err: Error) => void;
  /** the thread's Node flags; default this process's (tsx's loader under tsx) */
  execArgv?: string[];
}): TextRanker {
  const worker = new Worker(opts.entry, {
    workerData: { path: opts.path, dim: opts.dim },
    ...(opts.execArgv ? { execArgv: opts.execArgv } : {}),
  });
  // The thread never keeps the process up: a pending ask does (its caller awaits it).
  worker.unref();
  const pending = new Map<number, { resolve: (r: Ranked[]) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let alive = true;
  const fail = (err: Error) => {
    if (!alive) {
      return;
    }
    alive = false;
    opts.onError?.(err);
    for (const [id, waiter] of pending) {
      pending.delete(id);
      waiter.reject(err);
    }
  };
  worker.on('message', (reply: TextReply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if ('error' in reply) {
      const err = new Error(reply.error.message);
      err.stack = reply.error.stack ?? err.stack;
      waiter?.reject(err);
    } else {
      waiter?.resolve(reply.ranked);
    }
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the full-text thread exited (code ${code})`)));
  return {
    rank(text, k, filter) {
      if (!alive) {
        return Promise.resolve(opts.fallback(text, k, filter));
      }
      const id = nextId++;
      return new Promise<Ranked[]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, text, k, filter } satisfies TextAsk);
      });
    },
    async close() {
      alive = false;
      await worker.terminate();
    },
  };
}

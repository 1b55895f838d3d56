import { Worker } from 'node:worker_threads';
import type { PGliteDialectConfig } from 'kysely';

/** Which queue a statement waits in: foreground statements go before background ones. */
export type Lane = 'foreground' | 'background';

export interface ThreadRequest {
  kind: 'query' | 'begin' | 'commit' | 'rollback' | 'close';
  id: number;
  lane: 0 | 1;
  tx?: number;
  sql?: string;
  params?: unknown[];
}

export type ThreadReply =
  | { kind: 'ready' }
  | { kind: 'closed' }
  | { kind: 'failed'; error: Record<string, unknown> }
  | { kind: 'result'; id: number; rows: unknown[]; affectedRows: number | undefined }
  | { kind: 'error'; id: number; error: Record<string, unknown> };

/** What Kysely's PGliteDialect needs of a PGlite instance. */
type PgliteLike = Exclude<PGliteDialectConfig['pglite'], (...args: never[]) => unknown>;

export interface ThreadedPglite {
  /** The instance as seen from one lane (give each to its own Kysely). */
  lane(lane: Lane): PgliteLike;
  close(): Promise<void>;
}

const rebuildError = (shape: Record<string, unknown>): Error =>
  Object.assign(new Error(String(shape.message)), shape);

/**
 * PGlite in a worker thread of its own (`entry` calls servePgliteThread): its WASM Postgres
 * runs a statement (and its fsync) synchronously, which on the caller's thread stalls every
 * request the process serves. The thread takes foreground statements before background ones,
 * so a service's API reads do not queue behind its workers' writes.
 */
export async function openThreadedPglite(options: {
  dataDir: string;
  /** Postgres settings for the instance (see OpenPgliteOptions.settings). */
  settings?: Record<string, string>;
  entry: URL;
  /** The thread's Node flags; default this process's (e.g. tsx's loader under tsx). */
  execArgv?: string[];
}): Promise<ThreadedPglite> {
  const worker = new Worker(options.entry, {
    workerData: { dataDir: options.dataDir, settings: options.settings },
    ...(options.execArgv ? { execArgv: options.execArgv } : {}),
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let closed = false;
  let onClosed: () => void = () => {};
  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) {
      reject(error);
    }
    pending.clear();
  };
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (reply: ThreadReply) => {
      if (reply.kind === 'ready') {
        resolve();
      } else if (reply.kind === 'failed') {
        reject(rebuildError(reply.error));
      } else if (reply.kind === 'closed') {
        onClosed();
      } else {
        const waiter = pending.get(reply.id);
        pending.delete(reply.id);
        if (reply.kind === 'error') {
          waiter?.reject(rebuildError(reply.error));
        } else {
          waiter?.resolve({ rows: reply.rows, affectedRows: reply.affectedRows, fields: [] });
        }
      }
    });
    worker.once('error', (error) => {
      closed = true;
      reject(error);
      failAll(error);
    });
    worker.once('exit', (code) => {
      closed = true;
      const error = new Error(`the PGlite thread exited (code ${code})`);
      reject(error);
      failAll(error);
    });
  });
  await ready;

  const call = (req: Omit<ThreadRequest, 'id'>) =>
    new Promise<unknown>((resolve, reject) => {
      if (closed) {
        reject(new Error('PGlite is closed'));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...req, id });
    });

  const close = async () => {
    if (closed) {
      return;
    }
    closed = true;
    const done = new Promise<void>((resolve) => {
      onClosed = resolve;
    });
    worker.postMessage({ kind: 'close', id: 0, lane: 0 } satisfies ThreadRequest);
    await done;
    await worker.terminate();
  };

  let nextTx = 1;
  const lane = (name: Lane): PgliteLike => {
    const laneNo = name === 'foreground' ? 0 : 1;
    const query = (sql: string, params?: unknown[], tx?: number) =>
      call({ kind: 'query', lane: laneNo, sql, params: params ?? [], tx }) as never;
    return {
      get closed() {
        return closed;
      },
      ready: true,
      waitReady: Promise.resolve(),
      close,
      query: (sql, params) => query(sql, params),
      async transaction(callback) {
        const tx = nextTx++;
        await call({ kind: 'begin', lane: laneNo, tx });
        let ended = false;
        const end = async (kind: 'commit' | 'rollback') => {
          if (!ended) {
            ended = true;
            await call({ kind, lane: laneNo, tx });
          }
        };
        try {
          const result = await callback({
            query: (sql, params) => query(sql, params, tx),
            rollback: () => end('rollback'),
          });
          await end('commit');
          return result;
        } catch (error) {
          await end('rollback').catch(() => {});
          throw error;
        }
      },
    };
  };
  return { lane, close };
}

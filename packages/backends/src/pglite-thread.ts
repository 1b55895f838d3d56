import { parentPort, workerData } from 'node:worker_threads';
import { openPglite } from './pglite.js';
import type { ThreadReply, ThreadRequest } from './threaded-pglite.js';

type Tx = Awaited<
  Parameters<Parameters<Awaited<ReturnType<typeof openPglite>>['transaction']>[0]>[0]
>;

/** A PGlite error as plain data: its message and its fields (code, detail…) survive the post. */
function errorShape(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) {
    return { message: String(error) };
  }
  const shape: Record<string, unknown> = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') {
      shape[key] = value;
    }
  }
  return shape;
}

/**
 * The body of the thread that owns a PGlite instance (openThreadedPglite starts it): one
 * statement at a time, foreground requests before background ones, and an open transaction's
 * statements before anything else until it ends. An app's own entry file calls this.
 */
export async function servePgliteThread(): Promise<void> {
  const port = parentPort;
  if (!port) {
    throw new Error('servePgliteThread runs in a worker thread');
  }
  const { dataDir, settings } = workerData as {
    dataDir: string;
    settings?: Record<string, string>;
  };
  const pglite = await openPglite({ dataDir, settings }).catch((error: unknown) => {
    port.postMessage({ kind: 'failed', error: errorShape(error) } satisfies ThreadReply);
    throw error;
  });
  const lanes: [ThreadRequest[], ThreadRequest[]] = [[], []];
  const inTx: ThreadRequest[] = [];
  let open: { id: number; tx: Tx; end: (commit: boolean) => Promise<void> } | undefined;
  let running = false;

  const reply = (message: ThreadReply) => port.postMessage(message);

  const begin = (txId: number) =>
    new Promise<void>((begun, failed) => {
      let finish: (commit: boolean) => void = () => {};
      const decided = new Promise<boolean>((resolve) => {
        finish = resolve;
      });
      const done = pglite
        .transaction(async (tx) => {
          open = {
            id: txId,
            tx,
            end: async (commit) => {
              finish(commit);
              await done;
            },
          };
          begun();
          if (!(await decided)) {
            await tx.rollback();
          }
        })
        .finally(() => {
          open = undefined;
        });
      done.catch(failed);
    });

  const run = async (req: ThreadRequest) => {
    try {
      if (req.kind === 'begin') {
        await begin(req.tx as number);
        reply({ kind: 'result', id: req.id, rows: [], affectedRows: undefined });
      } else if (req.kind === 'commit' || req.kind === 'rollback') {
        await open?.end(req.kind === 'commit');
        reply({ kind: 'result', id: req.id, rows: [], affectedRows: undefined });
      } else {
        const target = req.tx !== undefined && open?.id === req.tx ? open.tx : pglite;
        const result = await target.query(req.sql ?? '', req.params, { rowMode: 'object' });
        reply({ kind: 'result', id: req.id, rows: result.rows, affectedRows: result.affectedRows });
      }
    } catch (error) {
      reply({ kind: 'error', id: req.id, error: errorShape(error) });
    }
  };

  const pump = async () => {
    if (running) {
      return;
    }
    running = true;
    try {
      for (;;) {
        const next = open ? inTx.shift() : (lanes[0].shift() ?? lanes[1].shift());
        if (!next) {
          break;
        }
        await run(next);
      }
    } finally {
      running = false;
    }
  };

  port.on('message', (req: ThreadRequest) => {
    if (req.kind === 'close') {
      void pglite.close().finally(() => {
        reply({ kind: 'closed' });
        port.close();
      });
      return;
    }
    if (req.tx !== undefined && req.kind !== 'begin') {
      inTx.push(req);
    } else {
      lanes[req.lane].push(req);
    }
    void pump();
  });
  reply({ kind: 'ready' });
}

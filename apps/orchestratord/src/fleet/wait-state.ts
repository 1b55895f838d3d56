import type { EngineStatus } from '@agentplane/contracts';
import type { EngineRepo, EngineRow } from './engine-repo.js';
import type { StateWatch } from './state-watch.js';

// Another replica's transitions reach this one only through the database.
const REREAD_MS = 1000;

/**
 * Resolves when engine `engineId` is in `state` (or is gone: `undefined`), or when `timeoutMs`
 * passes, with the row as it is then. Woken by this replica's transitions, not by polling.
 */
export async function waitForState(
  deps: { repo: EngineRepo; watch: StateWatch },
  engineId: string,
  done: (status: EngineStatus | 'destroyed') => boolean,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ row: EngineRow | undefined; reached: boolean }> {
  const current = await deps.repo.byId(engineId);
  if (done(current?.status ?? 'destroyed') || timeoutMs <= 0) {
    return { row: current, reached: done(current?.status ?? 'destroyed') };
  }
  await new Promise<void>((resolve) => {
    const finish = () => {
      unwatch();
      clearTimeout(deadline);
      clearInterval(reread);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const unwatch = deps.watch.watch(engineId, (status) => {
      if (done(status)) {
        finish();
      }
    });
    const deadline = setTimeout(finish, timeoutMs);
    const reread = setInterval(() => {
      void deps.repo.byId(engineId).then((row) => {
        if (done(row?.status ?? 'destroyed')) {
          finish();
        }
      }, finish);
    }, REREAD_MS);
    signal?.addEventListener('abort', finish);
  });
  const row = await deps.repo.byId(engineId);
  return { row, reached: done(row?.status ?? 'destroyed') };
}

import { replayExecution } from '@agentplane/contracts/engine';
import { ApiError, type IRouter, openSse, registerRoute } from '@agentplane/http-kit';
import type { RunManager } from '../runs/run-manager.js';
import { streamLog } from '../runs/stream-log.js';

export interface ExecuteReplayDeps {
  runs: RunManager;
}

/** `GET /execute/replay?task_id=…`: buffered events after Last-Event-ID (or `after`), then live. */
export function registerExecuteReplayGet(router: IRouter, deps: ExecuteReplayDeps): void {
  registerRoute(router, replayExecution, async ({ query, headers, req, res, log }) => {
    const turnLog = deps.runs.find(query.task_id, query.turn_id);
    if (turnLog === undefined) {
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `No buffered turn for task ${query.task_id}`,
      });
    }
    // The header is what an EventSource sends on reconnect, so it wins over the query.
    const after = Number(headers['last-event-id'] ?? query.after ?? 0);
    const sse = openSse(req, res, { log });
    await streamLog(turnLog, sse, { after, heartbeats: false });
  });
}

import { execute } from '@agentplane/contracts/engine';
import { type IRouter, openSse, registerRoute } from '@agentplane/http-kit';
import type { RunManager } from '../runs/run-manager.js';
import { streamLog } from '../runs/stream-log.js';

export interface ExecutePostDeps {
  runs: RunManager;
}

/** `POST /execute`: refusals are envelopes; an accepted turn streams from its event log. */
export function registerExecutePost(router: IRouter, deps: ExecutePostDeps): void {
  registerRoute(router, execute, async (ctx) => {
    const { body, req, res } = ctx;
    const receivedAt = performance.now();
    const run = deps.runs.start(body, receivedAt);
    const sse = openSse(req, res, {
      // Read when the stream closes: the request's child logger is made on first use, and that
      // was measurable on the path to the first event.
      get log() {
        return ctx.log;
      },
    });
    sse.signal.addEventListener(
      'abort',
      () => {
        // Also fires when the stream is closed after the terminal event: then there is no run left.
        if (!run.log.finished && body.on_disconnect === 'cancel') {
          run.cancel('client_disconnect');
        }
      },
      { once: true },
    );
    await streamLog(run.log, sse, { after: 0, heartbeats: true });
  });
}

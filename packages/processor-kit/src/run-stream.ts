import type { Logger } from '@agentplane/http-kit';
import { openSse } from '@agentplane/http-kit';
import type { RequestHandler } from 'express';
import { sendEnvelope } from './envelopes.js';
import { admitRun, type RunDeps } from './run.js';

/**
 * POST /run-stream. The guards run first: a refused request gets the error envelope and status
 * /run would answer, with no stream (a client learns of a 400/403/503 from the status, as the
 * document says). An accepted run opens the stream: `started`, the handler's `progress`…, then
 * `event: done` whose data is the final envelope itself (seed §1), errors during the run
 * included.
 */
export function runStreamHandler(deps: RunDeps, logger: Logger): RequestHandler {
  return async (req, res) => {
    const admission = await admitRun(deps, req.body, req.correlationId);
    if (!admission.accepted) {
      sendEnvelope(res, admission.envelope);
      return;
    }
    const sse = openSse(req, res, { log: logger });
    void sse.send({
      event: 'started',
      data: { event: 'started', execution_id: admission.executionId },
    });
    const envelope = await admission.execute({
      progress: (event) => void sse.send({ event: 'progress', data: event }),
    });
    await sse.send({ event: 'done', data: envelope });
    sse.close();
  };
}

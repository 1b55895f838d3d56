import type { Logger, SseWriter } from '@agentplane/http-kit';
import { jobView, type RagService } from '../rag/rag-service.js';

// Reads of the job's row in a row that may fail before the stream gives up with `error`: a store
// reached over the wire (pgvector through a pool) can drop a connection under load, and one
// failed read must not end a stream the client then takes for the job's end.
const MAX_READ_FAILURES = 10;

/**
 * Follows an ingest job's row (jobs run in other processes): `progress` on each change, then
 * `complete` when it ends, or `error` once reading it has failed MAX_READ_FAILURES times in a row.
 */
export async function streamJob(opts: {
  rag: Pick<RagService, 'job'>;
  /** The job as read before the stream opened (a missing one was a 404 then). */
  first: Awaited<ReturnType<RagService['job']>>;
  sse: SseWriter;
  log: Logger;
  pollMs: number;
}): Promise<void> {
  const { sse, log } = opts;
  let job = opts.first;
  const jobId = jobView(job).job_id;
  let sent = '';
  let failures = 0;
  for (;;) {
    const view = jobView(job);
    const progress = {
      job_id: view.job_id,
      status: view.status,
      docs_total: view.docs_total,
      docs_done: view.docs_done,
      docs_failed: view.docs_failed,
      chunks_done: view.chunks_done,
    };
    if (view.status === 'completed' || view.status === 'failed') {
      await sse.send({ event: 'complete', data: { event: 'complete', ...progress } });
      return;
    }
    const key = JSON.stringify(progress);
    if (key !== sent) {
      sent = key;
      await sse.send({ event: 'progress', data: { event: 'progress', ...progress } });
    }
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, opts.pollMs));
      if (sse.signal.aborted) {
        return;
      }
      try {
        job = await opts.rag.job(jobId);
        failures = 0;
        break;
      } catch (error) {
        failures++;
        log.warn({ err: error, job_id: jobId, failures }, 'reading the job failed');
        if (failures >= MAX_READ_FAILURES) {
          await sse.send({
            event: 'error',
            data: {
              event: 'error',
              job_id: jobId,
              code: 'SERVICE_UNAVAILABLE',
              message: `The job could not be read ${failures} times in a row; GET /rag/jobs/${jobId} tells its state`,
            },
          });
          return;
        }
      }
    }
  }
}

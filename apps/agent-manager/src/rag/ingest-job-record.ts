import type { IngestJobRecord } from './store.js';

/** A job as accepted: queued, every document pending, no counts yet. */
export function newIngestJob(
  id: string,
  request: IngestJobRecord['request'],
  at: number = Date.now(),
): IngestJobRecord {
  return {
    id,
    status: 'queued',
    request,
    docsTotal: request.documents.length,
    docsDone: 0,
    docsFailed: 0,
    chunksDone: 0,
    embedCacheHits: 0,
    documents: request.documents.map(() => ({ status: 'pending' })),
    createdAt: at,
    updatedAt: at,
  };
}

import type { SqliteDb } from './sqlite-schema.js';
import type { IngestDocState, IngestJobRecord, VectorStore } from './store.js';

/** The ingest job records of the sqlite store (table `ingest_jobs`). */
export function sqliteJobs(
  s: SqliteDb,
): Pick<VectorStore, 'createJob' | 'getJob' | 'updateJob' | 'unfinishedJobs'> {
  return {
    async createJob(job) {
      s.write(() =>
        s
          .stmt('INSERT INTO ingest_jobs (id, record, request) VALUES (?, ?, ?)')
          .run(job.id, progressJson(job), JSON.stringify(job.request)),
      );
    },
    async getJob(id) {
      return readJob(s, id);
    },
    async updateJob(job) {
      s.write(() => {
        const stored = s.stmt('SELECT record FROM ingest_jobs WHERE id = ?').get(job.id) as
          | { record: string }
          | undefined;
        if (!stored) {
          throw new Error(`ingest job ${job.id} not found`);
        }
        const { documents } = JSON.parse(stored.record) as Pick<IngestJobRecord, 'documents'>;
        s.stmt('UPDATE ingest_jobs SET record = ? WHERE id = ?').run(
          progressJson({ ...job, documents: mergeDocStates(documents, job.documents) }),
          job.id,
        );
      });
    },

    async unfinishedJobs() {
      const rows = s
        .stmt(
          `SELECT id FROM ingest_jobs
           WHERE json_extract(record, '$.status') IN ('queued', 'processing')
           ORDER BY json_extract(record, '$.createdAt'), id`,
        )
        .all() as { id: string }[];
      return rows.map((r) => r.id);
    },
  };
}

/**
 * A caller's job copy can be older than a per-document state another process (or an earlier
 * updateJob) recorded; a stale 'pending' must not undo a recorded outcome.
 */
function mergeDocStates(stored: IngestDocState[], incoming: IngestDocState[]): IngestDocState[] {
  return incoming.map((state, i) => {
    const prior = stored[i];
    return state.status === 'pending' && prior && prior.status !== 'pending' ? prior : state;
  });
}

// The request (documents as sent: data: URLs can be megabytes) is written once; progress
// updates rewrite only the rest.
function progressJson(job: IngestJobRecord): string {
  const { request: _request, ...progress } = job;
  return JSON.stringify(progress);
}

function readJob(s: SqliteDb, id: string): IngestJobRecord | undefined {
  const row = s.stmt('SELECT record, request FROM ingest_jobs WHERE id = ?').get(id) as
    | { record: string; request: string }
    | undefined;
  return (
    row && { ...(JSON.parse(row.record) as IngestJobRecord), request: JSON.parse(row.request) }
  );
}

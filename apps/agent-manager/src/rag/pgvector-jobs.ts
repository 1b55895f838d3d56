import { sql } from 'kysely';
import type { AnyDb } from './pgvector-schema.js';
import type { Tables } from './pgvector-sql.js';
import type { IngestJobRecord, VectorStore } from './store.js';

type JobMethods = Pick<VectorStore, 'createJob' | 'getJob' | 'updateJob' | 'unfinishedJobs'>;

/**
 * Ingest job records, one row each: the request (documents as sent: data: URLs can be megabytes)
 * written once, the progress rewritten by updates.
 */
export function pgvectorJobs(db: AnyDb, t: Tables): JobMethods {
  return {
    async createJob(job) {
      await sql`INSERT INTO ${t('ingest_jobs')} (id, record, request)
        VALUES (${job.id}, ${progressJson(job)}::jsonb, ${JSON.stringify(job.request)}::jsonb)`.execute(
        db,
      );
    },

    async getJob(id) {
      const { rows } = await sql<{ record: IngestJobRecord }>`
        SELECT record || jsonb_build_object('request', request) AS record
        FROM ${t('ingest_jobs')} WHERE id = ${id}`.execute(db);
      return rows[0]?.record;
    },

    async updateJob(job) {
      const record = progressJson(job);
      // A finished document state is not taken back to 'pending' by a caller holding an older
      // copy of the record (the sqlite store merges the same way).
      const updated = await sql`
        UPDATE ${t('ingest_jobs')} j SET record = jsonb_set(${record}::jsonb, '{documents}', (
          SELECT coalesce(jsonb_agg(CASE
              WHEN n.state->>'status' = 'pending' AND coalesce(o.prior->>'status', 'pending') <> 'pending'
              THEN o.prior ELSE n.state END ORDER BY i), '[]'::jsonb)
          FROM jsonb_array_elements(${record}::jsonb->'documents') WITH ORDINALITY n(state, i)
          LEFT JOIN jsonb_array_elements(j.record->'documents') WITH ORDINALITY o(prior, i) USING (i)))
        WHERE id = ${job.id}`.execute(db);
      if (updated.numAffectedRows === 0n) {
        throw new Error(`ingest job ${job.id} not found`);
      }
    },

    async unfinishedJobs() {
      const { rows } = await sql<{ id: string }>`
        SELECT id FROM ${t('ingest_jobs')} WHERE record->>'status' IN ('queued', 'processing')
        ORDER BY (record->>'createdAt')::bigint, id`.execute(db);
      return rows.map((row) => row.id);
    },
  };
}

function progressJson(job: IngestJobRecord): string {
  const { request: _request, ...progress } = job;
  return JSON.stringify(progress);
}

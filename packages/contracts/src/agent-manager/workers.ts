import { z } from '../common/zod.js';
import { AgentId } from './agents.js';

export const WorkerType = z.enum(['agent_runtime', 'ingest']).openapi('WorkerType');
export type WorkerType = z.infer<typeof WorkerType>;

export const SpawnWorkerRequestBody = z
  .strictObject({
    type: WorkerType,
    payload: z
      .strictObject({
        agent_id: AgentId.optional().describe(
          'A dedicated worker: it runs only this agent, with a heap capped by its resources.ram',
        ),
      })
      .optional(),
    concurrency: z.int().min(1).max(64).optional().describe('Default AM_WORKER_CONCURRENCY'),
  })
  .openapi('SpawnWorkerRequestBody');
export type SpawnWorkerRequestBody = z.infer<typeof SpawnWorkerRequestBody>;

export const SpawnWorkerResponseBody = z
  .object({ worker_pid: z.int().positive() })
  .openapi('SpawnWorkerResponseBody');

export const WorkerInfo = z
  .object({
    pid: z.int().positive(),
    type: WorkerType,
    status: z.enum(['starting', 'running', 'draining']),
    concurrency: z.int().positive(),
    jobs_in_flight: z.int().nonnegative(),
    agent_id: AgentId.nullable().describe('Set on a dedicated worker'),
    max_heap_mb: z.int().positive().nullable(),
    started_at: z.iso.datetime(),
    last_heartbeat_at: z.iso.datetime().nullable(),
  })
  .openapi('WorkerInfo');
export type WorkerInfo = z.infer<typeof WorkerInfo>;

export const ListWorkersResponseBody = z
  .object({ workers: z.array(WorkerInfo) })
  .openapi('ListWorkersResponseBody');

export const WorkerParams = z.object({ pid: z.int().positive() });

export const DrainWorkerResponseBody = z
  .object({ worker_pid: z.int().positive(), status: z.literal('draining') })
  .openapi('DrainWorkerResponseBody');

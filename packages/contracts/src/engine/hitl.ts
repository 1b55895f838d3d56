import { z } from '../common/zod.js';
import { TaskId } from './execute.js';

export const HitlDecision = z.enum(['approve', 'deny']).openapi('HitlDecision');
export type HitlDecision = z.infer<typeof HitlDecision>;

/** A tool call paused for a human decision (a catalog tool with `needs_approval`). */
export const HitlPendingRequest = z
  .object({
    request_id: z.string(),
    task_id: TaskId,
    turn_id: z.string(),
    tool: z.string(),
    arguments: z.record(z.string(), z.unknown()),
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime().describe('After this the call is denied and hitl_expired sent'),
  })
  .openapi('HitlPendingRequest');
export type HitlPendingRequest = z.infer<typeof HitlPendingRequest>;

export const HitlPendingQuery = z.object({
  task_id: TaskId.optional().describe('Only this task; all tasks when absent'),
});
export type HitlPendingQuery = z.infer<typeof HitlPendingQuery>;

export const HitlPendingResponseBody = z
  .object({ pending: z.array(HitlPendingRequest) })
  .openapi('HitlPendingResponseBody');
export type HitlPendingResponseBody = z.infer<typeof HitlPendingResponseBody>;

export const HitlResponse = z
  .object({
    request_id: z.string().min(1).max(128),
    decision: HitlDecision,
    reason: z.string().max(2000).optional().describe('Given to the model on deny'),
  })
  .openapi('HitlResponse');
export type HitlResponse = z.infer<typeof HitlResponse>;

export const HitlRespondRequestBody = z
  .object({ responses: z.array(HitlResponse).min(1).max(50) })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.responses.forEach((r, i) => {
      if (seen.has(r.request_id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['responses', i, 'request_id'],
          message: 'duplicate request_id',
        });
      }
      seen.add(r.request_id);
    });
  })
  .openapi('HitlRespondRequestBody');
export type HitlRespondRequestBody = z.infer<typeof HitlRespondRequestBody>;

/** Per-item outcome, in request order: a batch never fails as a whole for one stale id. */
export const HitlRespondResult = z
  .object({
    request_id: z.string(),
    status: z.enum(['resolved', 'not_found', 'expired', 'already_resolved']),
  })
  .openapi('HitlRespondResult');
export type HitlRespondResult = z.infer<typeof HitlRespondResult>;

export const HitlRespondResponseBody = z
  .object({ results: z.array(HitlRespondResult) })
  .openapi('HitlRespondResponseBody');
export type HitlRespondResponseBody = z.infer<typeof HitlRespondResponseBody>;

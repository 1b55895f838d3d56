import { z } from '../common/zod.js';
import { ProcessorEnvelope } from './envelope.js';

/** The run was accepted (request guards passed); the handler starts. */
export const ProcessorStartedEvent = z
  .object({ event: z.literal('started'), execution_id: z.string() })
  .openapi('ProcessorStartedEvent');

/** A handler's progress report. */
export const ProcessorProgressEvent = z
  .object({
    event: z.literal('progress'),
    stage: z.string().describe('A short machine-readable step name, e.g. "parse"'),
    message: z.string().optional(),
    fraction: z.number().min(0).max(1).optional(),
  })
  .openapi('ProcessorProgressEvent');

/** Terminal: the same envelope `/run` would have answered. Always the last event. */
export const ProcessorDoneEvent = z
  .object({ event: z.literal('done'), envelope: ProcessorEnvelope })
  .openapi('ProcessorDoneEvent');

/** `POST /run-stream` events, discriminated on `event` (also the SSE `event:` line). */
export const ProcessorStreamEvent = z
  .discriminatedUnion('event', [ProcessorStartedEvent, ProcessorProgressEvent, ProcessorDoneEvent])
  .openapi('ProcessorStreamEvent');
export type ProcessorStreamEvent = z.infer<typeof ProcessorStreamEvent>;
export type ProcessorProgressEvent = z.infer<typeof ProcessorProgressEvent>;

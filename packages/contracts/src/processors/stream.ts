import { z } from '../common/zod.js';
import { ProcessorErrorEnvelope, ProcessorSuccessEnvelope } from './envelope.js';

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

// Not on the wire: a done event's data is the envelope itself. Clients fill it in from the SSE
// `event:` line (readSseEvents does), so a parsed done event narrows on `event` like the others.
const DoneName = z
  .literal('done')
  .optional()
  .describe('Absent on the wire (the data is the envelope); clients take it from `event: done`');

/**
 * Terminal, always the last event: `event: done` whose data is the final envelope itself, the
 * same one `/run` would have answered (seed §1), with no wrapper.
 */
export const ProcessorDoneEvent = z
  .discriminatedUnion('status', [
    ProcessorSuccessEnvelope.extend({ event: DoneName }),
    ProcessorErrorEnvelope.extend({ event: DoneName }),
  ])
  .openapi('ProcessorDoneEvent');
export type ProcessorDoneEvent = z.infer<typeof ProcessorDoneEvent>;

/**
 * `POST /run-stream` events: `started`, `progress`…, then exactly one `done`. The SSE `event:` line
 * names each; `started` and `progress` data repeat it in `event`, `done` data is the envelope.
 * A plain union, not one discriminated on `event`: the done data has no `event` to map.
 */
export const ProcessorStreamEvent = z
  .union([ProcessorStartedEvent, ProcessorProgressEvent, ProcessorDoneEvent])
  .openapi('ProcessorStreamEvent');
export type ProcessorStreamEvent = z.infer<typeof ProcessorStreamEvent>;
export type ProcessorProgressEvent = z.infer<typeof ProcessorProgressEvent>;

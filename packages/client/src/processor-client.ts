import {
  type Client,
  type ClientOptions,
  createClient,
  processorRoutes,
} from '@agentplane/contracts';

/** One method per processor operation: getProcessorHealth, runProcessor, runProcessorStream (SSE). */
export type ProcessorClient = Client<typeof processorRoutes>;

/**
 * A typed client of one processor (every processor serves the same contract). Failures arrive
 * as error envelopes under their declared statuses, never as thrown errors.
 *
 * ```ts
 * const summarize = createProcessorClient({ baseUrl: 'http://127.0.0.1:8101' });
 * const res = await summarize.runProcessor({ body: { execution_id, write_prefix, schema: 'v1',
 *   mode: 'mock', inputs: { text } } });
 * ```
 */
export function createProcessorClient(options: ClientOptions): ProcessorClient {
  return createClient(processorRoutes, options);
}

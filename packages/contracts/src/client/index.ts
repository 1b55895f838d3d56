export { ClientError, type ClientErrorKind } from './client-error.js';
export {
  type CallOptions,
  type Client,
  type ClientOptions,
  createClient,
} from './create-client.js';
export {
  createSseDecoder,
  eventNamesOf,
  type ReadSseEventsOptions,
  readSseEvents,
  readSseMessages,
  SseEventError,
  type SseMessage,
} from './sse.js';

import pino, { type DestinationStream, type Logger } from 'pino';
import { CENSOR, scrubSecrets } from './redact.js';

export type { Logger } from 'pino';

const SECRET_HEADERS = [
  'authorization',
  'x-engine-key',
  'x-platform-key',
  'x-admin-key',
  'cookie',
  'set-cookie',
];

// A child logger's bindings never pass through `formatters.log`, so in bindings only these exact
// names are redacted (the scrubber covers every logged object).
const SECRET_NAMES = [
  'password',
  'secret',
  'token',
  'api_key',
  'apiKey',
  'engine_key',
  'platform_key',
  'admin_key',
  'ENGINE_KEY',
  'PLATFORM_KEY',
  'ADMIN_KEY',
  'LLM_API_KEY',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'GEMINI_API_KEY',
];

// pino's redact paths: exact names only. A leading wildcard (`*.headers.cookie`) makes pino run
// its redactor on every key of every line (measured: ~9% of CPU in a request-per-line benchmark),
// and paths cannot express `*_KEY` anyway, so nested secrets are left to the key-name scrubber in
// `formatters.log`, which copies only objects that hold one.
const REDACT_PATHS = [...SECRET_HEADERS.map((h) => `headers["${h}"]`), ...SECRET_NAMES];

export interface CreateLoggerOptions {
  level: string;
  /** Service name, bound as `name` on every line. */
  name: string;
  /** Defaults to stderr (fd 2, async, flushed on exit by pino). Tests pass a stream to capture. */
  destination?: DestinationStream;
}

/**
 * pino NDJSON on stderr with secrets redacted.
 *
 * @example
 * const logger = createLogger({ level: config.LOG_LEVEL, name: 'orchestratord' });
 * logger.info({ engineId, durationMs }, 'engine started');
 */
export function createLogger(opts: CreateLoggerOptions): Logger {
  // pino.destination registers an exit hook that flushes synchronously, so async writes are safe.
  const destination = opts.destination ?? pino.destination({ dest: 2, sync: false });
  return pino(
    {
      name: opts.name,
      level: opts.level,
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      formatters: { log: (obj) => scrubSecrets(obj) },
    },
    destination,
  );
}

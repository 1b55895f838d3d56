import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, listen } from '@agentplane/http-kit';
import { createProcessorApp } from './app.js';
import type { ProcessorHandler } from './handler.js';
import { parseRegistry } from './registry-loader.js';

// A small processor for the kit's own tests: one required string, a closed inputs object with
// one open object (`meta`), one declared secret (so mode=real without it is ERR_SECRETS_MISSING when CI is off).
export const TEST_REGISTRY = parseRegistry(
  `ref: test/echo@1
runtime: { cpu: "1", memory_gb: 1, timeout_s: 30, gpu: null }
secrets: { required: [ECHO_API_KEY], one_of: [] }
inputs:
  $schema: "http://json-schema.org/draft-07/schema#"
  type: object
  additionalProperties: false
  required: [text]
  properties:
    text: { type: string, minLength: 1 }
    repeat: { type: integer, minimum: 1 }
    meta: { type: object }
outputs:
  - { path: outputs/echo.txt, mime: text/plain, description: The text }
`,
  'test/echo registry.yaml',
);

const echo: ProcessorHandler = async (ctx) => {
  ctx.progress('echo', { fraction: 0.5 });
  await ctx.writeOutput('outputs/echo.txt', String(ctx.inputs.text));
};

export interface KitServer {
  base: string;
  /** A directory for write prefixes, removed on close. */
  tmp: string;
  /** The NDJSON lines logged so far. */
  logLines(): Array<Record<string, unknown>>;
  /** A valid run request as JSON text, with fields replaced by `over`. */
  body(over?: Record<string, unknown>): string;
  close(): Promise<void>;
}

let seq = 0;

/** The kit's app around `handler` (default: echo), on 127.0.0.1:0, logging into memory. */
export async function startKitServer(
  opts: { ci?: boolean; handler?: ProcessorHandler } = {},
): Promise<KitServer> {
  const tmp = await mkdtemp(join(tmpdir(), 'processor-kit-'));
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  const app = createProcessorApp({
    definition: { registry: TEST_REGISTRY, handler: opts.handler ?? echo },
    config: {
      CI: opts.ci ?? true,
      IMAGE_DIGEST: `sha256:${'ab'.repeat(32)}`,
      PROCESSOR_ARTIFACTS_ROOT: undefined,
      PROCESSOR_TIMEOUT_MS: undefined,
      PROCESSOR_MOCK_DELAY_MS: 0,
      BODY_LIMIT_BYTES: 64 * 1024,
    },
    logger: createLogger({ level: 'info', name: 'processor-kit-test', destination }),
    env: {},
  });
  const listening = await listen(app, { port: 0 });
  return {
    base: `http://127.0.0.1:${listening.port}`,
    tmp,
    logLines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    body: (over = {}) =>
      JSON.stringify({
        execution_id: `kit-${process.pid}-${++seq}`,
        write_prefix: join(tmp, '{execution_id}'),
        schema: 'v1',
        mode: 'mock',
        inputs: { text: 'hello' },
        ...over,
      }),
    async close() {
      const now = new AbortController();
      now.abort();
      await listening.close(now.signal);
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

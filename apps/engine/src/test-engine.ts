import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  createClient,
  type EngineEvent,
  engineRoutes,
  type GatewayConfigInput,
  isTerminalEvent,
} from '@agentplane/contracts';
import {
  createLogger,
  createMetrics,
  createShutdownRegistry,
  type Listening,
  listen,
  type ShutdownRegistry,
} from '@agentplane/http-kit';
import { stringify } from 'yaml';
import { createApp } from './app.js';
import { hashEngineKey } from './auth/engine-key.js';
import { loadConfig } from './config.js';
import { runDepsFrom } from './runs/run-deps.js';
import { createRunManager, type RunManager } from './runs/run-manager.js';
import type { RunDeps } from './runs/run-types.js';
import { type EngineState, startEngine } from './start-engine.js';

// Test support for the /execute integration tests (not used by the service itself).

export const sampleCatalog = fileURLToPath(new URL('../../../catalog', import.meta.url));
export const TEST_KEY = 'sk-test-execute-key';

export interface TestEngine {
  url: string;
  engine: EngineState;
  runs: RunManager;
  shutdown: ShutdownRegistry;
  logs: string[];
  gatewayPath: string;
  client: ReturnType<typeof engineClient>;
  /** Rows of the brain's history and usage tables (to prove a request wrote nothing). */
  counts(): Record<'conversations' | 'messages' | 'tool_calls' | 'llm_usage', number>;
  close(): Promise<void>;
}

export interface TestEngineOptions {
  /** Extra environment (e.g. LLM_BASE_URL of the fake OpenAI server). */
  env?: Record<string, string>;
  gateway?: GatewayConfigInput;
  /** Overrides of the run manager's deps (tools, approver, heartbeat). */
  runs?: Partial<RunDeps>;
  /** ENGINE_KEY_HASH; default the hash of TEST_KEY, `null` for none. */
  keyHash?: string | null;
  /** Guarded routes open when no key is configured (the development behaviour). */
  openWhenKeyUnset?: boolean;
}

export const engineClient = (url: string) =>
  createClient(engineRoutes, { baseUrl: url, headers: () => ({ 'x-engine-key': TEST_KEY }) });

/** The real app (real brain file, sample catalog, gateway file) on a loopback port. */
export async function startTestEngine(
  dir: string,
  opts: TestEngineOptions = {},
): Promise<TestEngine> {
  await mkdir(dir, { recursive: true });
  const gatewayPath = join(dir, 'gateway.yaml');
  if (opts.gateway !== undefined) {
    await writeFile(gatewayPath, stringify(opts.gateway));
  }
  // Only what is given here: the test process's own LLM keys must not leak in.
  const config = loadConfig({
    SQLITE_DB_PATH: join(dir, 'brain.sqlite'),
    CATALOG_DIR: sampleCatalog,
    GATEWAY_CONFIG_PATH: gatewayPath,
    ...(opts.keyHash === null ? {} : { ENGINE_KEY_HASH: opts.keyHash ?? hashEngineKey(TEST_KEY) }),
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    ...opts.env,
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ name: 'engine', level: config.LOG_LEVEL, destination });
  const shutdown = createShutdownRegistry({ logger, graceMs: 2000 });
  const engine = await startEngine(config, logger);
  const metrics = createMetrics({ defaultMetrics: false });
  const runs = createRunManager({
    ...runDepsFrom(config, engine, { logger, metrics, shutdown }),
    ...opts.runs,
  });
  const app = createApp({
    logger,
    metrics,
    shutdown,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    version: '0.0.0-test',
    readiness: engine.readiness,
    gateway: engine.gateway,
    gatewayConfigPath: config.GATEWAY_CONFIG_PATH,
    keys: engine.keys,
    usage: engine.usage,
    openWhenKeyUnset: opts.openWhenKeyUnset ?? false,
    runs,
  });
  const listening: Listening = await listen(app, { port: 0 });
  const url = `http://127.0.0.1:${listening.port}`;
  const count = (table: string) =>
    Number(engine.brain?.db.prepare(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0);
  return {
    url,
    engine,
    runs,
    shutdown,
    logs,
    gatewayPath,
    client: engineClient(url),
    counts: () => ({
      conversations: count('conversations'),
      messages: count('messages'),
      tool_calls: count('tool_calls'),
      llm_usage: count('llm_usage'),
    }),
    close: async () => {
      await runs.drain();
      // Streams the client dropped without reading are not worth waiting for past a second.
      await listening.close(AbortSignal.timeout(1000));
      engine.brain?.close();
    },
  };
}

/**
 * Reads a stream until its terminal event (or until `stop` says so). It never calls `return()`
 * on the iterator, so a second call continues the same stream where the first stopped.
 */
export async function collect(
  events: AsyncIterable<EngineEvent>,
  stop: (event: EngineEvent, all: EngineEvent[]) => boolean = () => false,
): Promise<EngineEvent[]> {
  const iterator = events[Symbol.asyncIterator]();
  const all: EngineEvent[] = [];
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    all.push(next.value);
    if (isTerminalEvent(next.value) || stop(next.value, all)) {
      break;
    }
  }
  return all;
}

/** The one terminal event, asserting it is last and unique. */
export function terminalOf(events: readonly EngineEvent[]): EngineEvent {
  const terminals = events.filter(isTerminalEvent);
  if (terminals.length !== 1 || !isTerminalEvent(events.at(-1) as EngineEvent)) {
    throw new Error(`expected exactly one terminal event, last: ${JSON.stringify(events.at(-1))}`);
  }
  return terminals[0] as EngineEvent;
}

export const textOf = (events: readonly EngineEvent[]) =>
  events.map((e) => (e.event === 'text_delta' ? e.text : '')).join('');

import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@agentplane/http-kit';
import {
  createProcessorApp,
  type ProcessorHandler,
  parseRegistry,
} from '@agentplane/processor-kit';
import autocannon from 'autocannon';
import express, { type Express } from 'express';
import { round } from './harness.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 3);
const CONNECTIONS = 4;
const TARGET_MS = 1;

const REGISTRY = parseRegistry(
  `ref: bench/trivial@1
runtime: { cpu: "1", memory_gb: 1, timeout_s: 30, gpu: null }
secrets: { required: [], one_of: [] }
inputs:
  $schema: "http://json-schema.org/draft-07/schema#"
  type: object
  additionalProperties: false
  required: [text]
  properties: { text: { type: string, minLength: 1 } }
outputs:
  - { path: outputs/response.txt, mime: text/plain, description: The echo }
`,
  'bench/trivial registry.yaml',
);

const noOutput: ProcessorHandler = async () => {};
const oneOutput: ProcessorHandler = async (ctx) => {
  await ctx.writeOutput('outputs/response.txt', String(ctx.inputs.text));
};

function kitApp(handler: ProcessorHandler): Express {
  return createProcessorApp({
    definition: { registry: REGISTRY, handler },
    config: {
      CI: true,
      IMAGE_DIGEST: `sha256:${'0'.repeat(64)}`,
      PROCESSOR_ARTIFACTS_ROOT: undefined,
      PROCESSOR_TIMEOUT_MS: undefined,
      PROCESSOR_MOCK_DELAY_MS: 0,
      BODY_LIMIT_BYTES: 1024 * 1024,
    },
    logger: createLogger({ name: 'bench-processor', level: 'warn' }),
  });
}

// The same trivial work without the kit: parse the JSON body, answer a small JSON document.
function bareApp(): Express {
  const app = express();
  app.set('etag', false);
  app.disable('x-powered-by');
  app.post('/run', express.json({ type: () => true }), (req, res) => {
    const body = req.body as { execution_id?: string };
    res.json({ status: 'success', execution_id: body.execution_id, outputs: [] });
  });
  return app;
}

interface Target {
  name: string;
  port: number;
  close(): Promise<void>;
}

async function serve(name: string, app: Express): Promise<Target> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve).once('error', reject);
  });
  return {
    name,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let seq = 0;
function runBody(runsDir: string): string {
  return JSON.stringify({
    execution_id: `bench-${process.pid}-${++seq}`,
    write_prefix: join(runsDir, '{execution_id}'),
    schema: 'v1',
    mode: 'mock',
    inputs: { text: 'hello processor kit' },
  });
}

function post(agent: Agent, port: number, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path: '/run',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.once('end', () => {
          if (res.statusCode !== 200) {
            reject(new Error(`bench request failed: HTTP ${res.statusCode}`));
            return;
          }
          resolve(performance.now() - t0);
        });
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/** One request at a time over one keep-alive connection: latency without queueing. */
async function sequential(port: number, n: number, runsDir: string): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      samples.push(await post(agent, port, runBody(runsDir)));
    }
    return samples;
  } finally {
    agent.destroy();
  }
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}

async function throughput(port: number, runsDir: string) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/run`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: CONNECTIONS,
    duration: DURATION_S,
    // A fresh execution_id (so a fresh prefix directory) per request, as in production.
    setupClient: (client) => {
      client.setBody(runBody(runsDir));
      client.on('response', () => client.setBody(runBody(runsDir)));
    },
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`bench request failed: non2xx=${result.non2xx} errors=${result.errors}`);
  }
  return {
    req_per_s: round(result.requests.average, 0),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
  };
}

/**
 * /run overhead of the processor kit with a trivial handler (no output; one small output file)
 * against a bare express route doing the same trivial JSON work, all served in this process.
 * Sequential keep-alive requests, rounds interleaved so drift hits every target alike.
 */
export async function benchProcessorKitOverhead() {
  const runsDir = await mkdtemp(join(tmpdir(), 'bench-processor-kit-'));
  const targets = [
    await serve('bare_express', bareApp()),
    await serve('kit_no_output', kitApp(noOutput)),
    await serve('kit_one_output', kitApp(oneOutput)),
  ];
  try {
    for (const t of targets) {
      await sequential(t.port, WARMUP, runsDir);
    }
    const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const t of targets) {
        samples.get(t.name)?.push(...(await sequential(t.port, REQUESTS, runsDir)));
      }
    }
    const stats = Object.fromEntries(
      targets.map((t) => {
        const xs = samples.get(t.name) ?? [];
        return [t.name, { p50_ms: quantile(xs, 0.5), p99_ms: quantile(xs, 0.99) }];
      }),
    );
    const bare = stats.bare_express?.p50_ms ?? Number.NaN;
    const overhead = (name: string) => {
      const kit = stats[name]?.p50_ms ?? Number.NaN;
      return {
        p50_overhead_ms: round(kit - bare, 3),
        p50_ratio: round(kit / bare),
        meets_target: kit - bare <= TARGET_MS,
      };
    };
    const concurrent: Record<string, Awaited<ReturnType<typeof throughput>>> = {};
    for (const t of targets) {
      concurrent[t.name] = await throughput(t.port, runsDir);
    }
    return {
      name: 'processors.kit-overhead',
      unit: 'ms',
      requests: ROUNDS * REQUESTS,
      rounds: ROUNDS,
      target: `kit p50 - bare p50 <= ${TARGET_MS} ms`,
      meets_target:
        overhead('kit_no_output').meets_target && overhead('kit_one_output').meets_target,
      sequential: Object.fromEntries(
        Object.entries(stats).map(([name, s]) => [
          name,
          { p50_ms: round(s.p50_ms, 3), p99_ms: round(s.p99_ms, 3) },
        ]),
      ),
      kit_no_output: overhead('kit_no_output'),
      kit_one_output: overhead('kit_one_output'),
      concurrent: { connections: CONNECTIONS, duration_s: DURATION_S, ...concurrent },
    };
  } finally {
    await Promise.all(targets.map((t) => t.close()));
    await rm(runsDir, { recursive: true, force: true });
  }
}

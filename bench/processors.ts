import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ColdRunTimings,
  createLocalAdapter,
  dockerFromHost,
  hostPlatform,
  loadRegistryFor,
  type ProcessorTarget,
  targetFromRegistry,
} from '@agentplane/processor-adapters';
import { median, percentile, round } from './harness.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 10);

/** text/summarize's image, built (or reused when unchanged) without touching registry.yaml. */
function summarizeImage(): string {
  const out = execFileSync(
    'bash',
    ['scripts/build-processor-image.sh', 'text_summarize', '--no-write'],
    { cwd: repo, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return out.toString().trim().split('\n').at(-1) as string;
}

interface Cycle {
  timings: ColdRunTimings;
  teardownMs: number;
}

/** One cold run: a fresh adapter and container, create → envelope, then stop + remove. */
async function cycle(
  target: ProcessorTarget,
  dir: string,
  id: string,
  networkMode: string | undefined,
): Promise<Cycle> {
  let timings: ColdRunTimings | undefined;
  const adapter = createLocalAdapter({
    docker: dockerFromHost(process.env.DOCKER_HOST),
    target,
    networkMode,
    logger: {
      info: (fields) => {
        timings = fields as ColdRunTimings;
      },
      warn: (fields, message) => process.stderr.write(`${message} ${JSON.stringify(fields)}\n`),
    },
  });
  const envelope = await adapter.run({
    execution_id: id,
    write_prefix: join(dir, '{execution_id}/'),
    schema: 'v1',
    mode: 'mock',
    inputs: { text: 'A container starts. It answers one run. Then it is removed.' },
  });
  const t0 = performance.now();
  await adapter.close();
  if (envelope.status !== 'success' || timings === undefined) {
    throw new Error(`cold run failed: ${JSON.stringify(envelope)}`);
  }
  return { timings, teardownMs: performance.now() - t0 };
}

function summarise(cycles: Cycle[]) {
  const p50 = (pick: (t: ColdRunTimings) => number) =>
    round(median(cycles.map((c) => pick(c.timings))), 1);
  const total = cycles.map((c) => c.timings.total_ms);
  return {
    cold_start_p50: round(median(total), 1),
    cold_start_p95: round(percentile(total, 95), 1),
    phases_p50: {
      create: p50((t) => t.create_ms),
      start: p50((t) => t.start_ms),
      read_port: p50((t) => t.port_ms),
      boot_to_healthy: p50((t) => t.healthy_ms - t.create_ms - t.start_ms - t.port_ms),
      run: p50((t) => t.run_ms),
    },
    teardown_p50: round(median(cycles.map((c) => c.teardownMs)), 1),
  };
}

/**
 * LocalAdapter cold start: one container per run, from create to the first envelope (a mock
 * text/summarize run); stop + remove timed apart. The default (bridge network, port published on
 * 127.0.0.1) and host networking run interleaved, so machine noise hits both alike. limits.md §3:
 * a container answers HTTP about 200 ms p50 after create here, 90 ms less without a network
 * namespace.
 */
export async function benchProcessorColdStart() {
  const name = 'processors.local-cold-start';
  if (!process.env.DOCKER_HOST) {
    return { name, skipped: 'DOCKER_HOST not set (e.g. unix:///run/podman/podman.sock)' };
  }
  const image = summarizeImage();
  const registry = loadRegistryFor('text/summarize@1', join(repo, 'apps/processors'));
  const platform = hostPlatform() ?? 'amd64';
  const target = targetFromRegistry(
    { ...registry, image: { platforms: { [platform]: image }, default_platform: platform } },
    platform,
  );
  const dir = mkdtempSync(join(tmpdir(), 'bench-processors-'));
  const bridge: Cycle[] = [];
  const host: Cycle[] = [];
  try {
    // The first pair warms the engine's caches and is not recorded.
    for (let i = -1; i < RUNS; i++) {
      const b = await cycle(target, dir, `bench-bridge-${i + 1}`, undefined);
      const h = await cycle(target, dir, `bench-host-${i + 1}`, 'host');
      if (i >= 0) {
        bridge.push(b);
        host.push(h);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const byDefault = summarise(bridge);
  return {
    name,
    unit: 'ms',
    runs: RUNS,
    image,
    bridge_published_port: byDefault,
    host_network: summarise(host),
    target: 'create -> first envelope <= 400 ms p50 (default networking)',
    meets_target: byDefault.cold_start_p50 <= 400,
  };
}

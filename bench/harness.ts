import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { percentile } from '@agentplane/testkit/percentile';

/** A server under test, run in its own process so the load generator never shares its event loop. */
export interface BenchServer {
  port: number;
  stop(): Promise<void>;
}

export async function startServer(file: string): Promise<BenchServer> {
  const path = fileURLToPath(new URL(`./servers/${file}`, import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  if (!child.stdout) {
    throw new Error('no stdout');
  }
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  const { port } = JSON.parse(line) as { port: number };
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) {
        await once(child, 'exit');
      }
    },
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

// The one percentile of tests and benches (nearest rank), re-exported as the benches' own.
export { percentile };

/**
 * How every latency figure is shown: the count, p50, one high percentile (`p95` by default,
 * `p99` where a tail matters), min and max, rounded to `digits`.
 *
 * ```ts
 * summary(times)                          // { n, p50, p95, min, max }, 1 digit
 * summary(times, { high: 99, digits: 3 }) // { n, p50, p99, min, max }
 * ```
 */
export function summary(xs: number[], opts: { high?: number; digits?: number } = {}) {
  const { high = 95, digits = 1 } = opts;
  if (xs.length === 0) {
    return { n: 0 };
  }
  return {
    n: xs.length,
    p50: round(median(xs), digits),
    [`p${high}`]: round(percentile(xs, high), digits),
    min: round(Math.min(...xs), digits),
    max: round(Math.max(...xs), digits),
  };
}

/** A process's resident memory in MB: all of it, its private (anonymous) part, file-backed pages. */
export interface Memory {
  rss_mb: number;
  anon_mb: number;
  file_mb: number;
}

export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field: string) =>
    round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024, 1);
  return { rss_mb: mb('VmRSS'), anon_mb: mb('RssAnon'), file_mb: mb('RssFile') };
}

/**
 * The same figures for a bare `node:http` server of this node binary, idle for `settleMs`: the
 * baseline of every RSS figure. File-backed pages (the node binary's text) are shared by every
 * node process and depend on the page cache: this kernel maps the binary in 2 MB pages when its
 * page cache holds large folios (bare node: ~75 MB RSS then, ~43 MB after the cache is dropped).
 */
export async function bareNodeMemory(settleMs = 2000): Promise<Memory> {
  const child = spawn(
    process.execPath,
    ['-e', "require('node:http').createServer((q,s)=>s.end('ok')).listen(0,'127.0.0.1')"],
    { stdio: 'ignore' },
  );
  try {
    await new Promise((r) => setTimeout(r, settleMs));
    return memoryOf(child.pid as number);
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) {
      await once(child, 'exit');
    }
  }
}

/**
 * The node flags of an app's `start` script (`node --max-semi-space-size=… dist/main.js`): how
 * production runs it, so benches run its bundle the same way.
 */
export function startFlags(app: string): string[] {
  const pkg = JSON.parse(
    readFileSync(new URL(`../apps/${app}/package.json`, import.meta.url), 'utf8'),
  ) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((arg) => arg.startsWith('--'));
}

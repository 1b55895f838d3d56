import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import {
  ProcessorOutputsIndex,
  ProcessorReceipt,
  type ProcessorRegistry,
  ProcessorSuccessEnvelope,
} from '@agentplane/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envFingerprint } from '../envelopes.js';
import { canonicalJson, sha256Hex } from '../hashing.js';
import { contractEdgeCases } from './contract-edges.js';
import { contractStreamCases } from './contract-stream.js';
import type { StartedProcessor } from './spawn-processor.js';
import {
  expectError,
  IMAGE_DIGEST,
  post,
  type SuiteContext,
  secretNames,
} from './suite-support.js';

export interface ContractSuiteOptions {
  /** Shown in the describe block, e.g. `text/summarize@1`. */
  name: string;
  registry: ProcessorRegistry;
  /** A valid `inputs` object (the processor's examples/inputs.json). */
  exampleInputs: Record<string, unknown>;
  /** Inputs the schema refuses with at least one issue; default `{}` (every required field missing). */
  invalidInputs?: Record<string, unknown>;
  /**
   * Starts the processor as a child process with these variables over its environment
   * (`undefined` removes one), e.g. `(env) => spawnProcessor({ entry, env })`.
   */
  start: (env: Record<string, string | undefined>) => Promise<StartedProcessor>;
}

const BODY_LIMIT = 256 * 1024;

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => !e.isDirectory()).map((e) => join(e.parentPath, e.name));
}

/**
 * An NDJSON file written shortly after a reply: retried briefly while it is missing or caught
 * between its creation and its last line.
 */
async function readNdjsonSoon(path: string, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') {
        throw err;
      }
      return '';
    });
    if (text.endsWith('\n') || Date.now() > deadline) {
      return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The processor HTTP contract (seeds/processors-http-contract.md) as vitest tests, for one
 * processor. Two child processes: one with CI set (most cases), one without CI and without the
 * processor's secrets, with a short deadline and a long mock delay (secrets, timeout).
 *
 * @example
 * processorContractSuite({ name: 'text/summarize@1', registry, exampleInputs,
 *   start: (env) => spawnProcessor({ entry: mainTs, env }) });
 */
export function processorContractSuite(opts: ContractSuiteOptions): void {
  const { registry } = opts;
  describe(`processor contract: ${opts.name}`, () => {
    let tmp: string;
    let ci: StartedProcessor;
    let local: StartedProcessor;
    let seq = 0;
    const nextId = () => `exec-${process.pid}-${++seq}`;
    const body = (over: Record<string, unknown> = {}) =>
      JSON.stringify({
        execution_id: nextId(),
        write_prefix: join(tmp, 'runs', '{execution_id}'),
        schema: 'v1',
        mode: 'mock',
        inputs: opts.exampleInputs,
        ...over,
      });

    beforeAll(async () => {
      tmp = await mkdtemp(join(tmpdir(), 'processor-contract-'));
      const base = { IMAGE_DIGEST, BODY_LIMIT_BYTES: String(BODY_LIMIT) };
      const noSecrets = Object.fromEntries(secretNames(registry).map((n) => [n, undefined]));
      [ci, local] = await Promise.all([
        opts.start({ ...base, CI: 'true' }),
        opts.start({
          ...base,
          ...noSecrets,
          CI: undefined,
          PROCESSOR_TIMEOUT_MS: '300',
          PROCESSOR_MOCK_DELAY_MS: '20000',
        }),
      ]);
    });

    afterAll(async () => {
      await Promise.all([ci?.stop(), local?.stop()]);
      if (tmp !== undefined) {
        await rm(tmp, { recursive: true, force: true });
      }
    });

    it('GET /healthz answers {ok: true}', async () => {
      const res = await fetch(`${ci.baseUrl}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
    });

    it('POST /run answers a success envelope, outputs index and receipt with true hashes', async () => {
      const executionId = nextId();
      const prefix = join(tmp, 'runs', executionId);
      const reply = await post(ci.baseUrl, '/run', body({ execution_id: executionId }));
      expect(reply.status, JSON.stringify(reply.envelope)).toBe(200);
      const envelope = ProcessorSuccessEnvelope.parse(reply.envelope);
      expect(envelope.execution_id).toBe(executionId);
      expect(envelope.meta.image_digest).toBe(IMAGE_DIGEST);
      expect(envelope.meta.env_fingerprint).toBe(envFingerprint(registry));
      expect(envelope.meta.duration_ms).toBeGreaterThanOrEqual(0);

      // Every declared output was written, under the prefix.
      const written = envelope.outputs.map((o) => relative(prefix, o.path));
      for (const declared of registry.outputs) {
        expect(written).toContain(declared.path);
      }
      // Artifacts only under the prefix: nothing else appeared in the temp dir.
      for (const file of await listFiles(tmp)) {
        const rel = relative(join(tmp, 'runs'), file);
        expect(rel.startsWith('..') || isAbsolute(rel), file).toBe(false);
      }
      for (const file of await listFiles(prefix)) {
        expect(relative(prefix, file).startsWith(`..${sep}`)).toBe(false);
      }

      const index = ProcessorOutputsIndex.parse(
        JSON.parse(await readFile(envelope.index_path, 'utf8')),
      );
      expect(dirname(envelope.index_path)).toBe(prefix);
      expect(index.outputs.map((o) => o.path)).toEqual(envelope.outputs.map((o) => o.path));

      expect(envelope.receipt_path).toBeDefined();
      const receipt = ProcessorReceipt.parse(
        JSON.parse(await readFile(envelope.receipt_path ?? '', 'utf8')),
      );
      expect(receipt.execution_id).toBe(executionId);
      expect(receipt.image_digest).toBe(IMAGE_DIGEST);
      expect(receipt.inputs_sha256).toBe(sha256Hex(canonicalJson(opts.exampleInputs)));
      expect(receipt.outputs.length).toBe(envelope.outputs.length);
      for (const out of receipt.outputs) {
        const bytes = await readFile(out.path);
        expect(out.sha256, out.path).toBe(sha256Hex(bytes));
        expect(out.size_bytes).toBe(bytes.byteLength);
      }

      // The mirror is written just after the reply (best-effort, off the response's path).
      const trace = await readNdjsonSoon(join(prefix, 'logs', 'trace.ndjson'));
      const events = trace
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(events).toContain('http.run.start');
      expect(events).toContain('http.run.settle');
    });

    it('refuses inputs that fail the schema with ERR_INPUTS_INVALID listing every problem', async () => {
      const invalid = opts.invalidInputs ?? {};
      const reply = await post(ci.baseUrl, '/run', body({ inputs: invalid }));
      expect(reply.status).toBe(400);
      const envelope = expectError(reply, 'ERR_INPUTS_INVALID');
      const required = (registry.inputs.required as string[] | undefined) ?? [];
      const missing = required.filter((name) => !(name in invalid));
      expect(envelope.error.issues?.length ?? 0).toBeGreaterThanOrEqual(
        Math.max(1, missing.length),
      );
      for (const name of missing) {
        expect(envelope.error.issues?.map((i) => i.path)).toContain(`/inputs/${name}`);
      }
    });

    it('refuses a request that is not a run request (ERR_REQUEST_INVALID)', async () => {
      const reply = await post(ci.baseUrl, '/run', body({ mode: 'fast', schema: 1 }));
      expect(reply.status).toBe(400);
      const envelope = expectError(reply, 'ERR_REQUEST_INVALID');
      expect(envelope.error.issues?.map((i) => i.path).sort()).toEqual(['/mode', '/schema']);
    });

    it('refuses relative and .. write prefixes (ERR_WRITE_PREFIX)', async () => {
      // Built by hand: path.join would normalize the .. away.
      for (const prefix of ['relative/{execution_id}', `${tmp}/runs/../../escape`]) {
        const reply = await post(ci.baseUrl, '/run', body({ write_prefix: prefix }));
        expect(reply.status).toBe(400);
        expectError(reply, 'ERR_WRITE_PREFIX');
      }
    });

    it('refuses symlinks planted under the prefix (ERR_WRITE_PREFIX), writing nothing outside', async () => {
      const outside = join(tmp, 'outside');
      await mkdir(outside, { recursive: true });
      const first = registry.outputs[0]?.path ?? 'outputs/x';
      const firstSegment = first.split('/')[0] ?? first;
      // One link where the handler writes its first output, one where the kit writes the index.
      const plants = [firstSegment, 'outputs.json'];
      for (const plant of plants) {
        const executionId = nextId();
        const prefix = join(tmp, 'runs', executionId);
        await mkdir(prefix, { recursive: true });
        await symlink(join(outside, plant), join(prefix, plant));
        if (plant === firstSegment && first.includes('/')) {
          await mkdir(join(outside, plant), { recursive: true });
        }
        const reply = await post(ci.baseUrl, '/run', body({ execution_id: executionId }));
        expect(reply.status).toBe(400);
        expectError(reply, 'ERR_WRITE_PREFIX');
        expect((await lstat(join(prefix, plant))).isSymbolicLink()).toBe(true);
      }
      expect(await listFiles(outside)).toEqual([]);
    });

    it('refuses mode=real in CI (ERR_CI_SAFETY)', async () => {
      const reply = await post(ci.baseUrl, '/run', body({ mode: 'real' }));
      expect(reply.status).toBe(403);
      expectError(reply, 'ERR_CI_SAFETY');
    });

    // Only a processor that declares secrets can miss them; for one that declares none the case
    // does not exist (registered conditionally, so CI never reports a skip).
    if (secretNames(registry).length > 0) {
      it('refuses mode=real without its secrets (ERR_SECRETS_MISSING)', async () => {
        const reply = await post(local.baseUrl, '/run', body({ mode: 'real' }));
        expect(reply.status).toBe(503);
        const envelope = expectError(reply, 'ERR_SECRETS_MISSING');
        const text = JSON.stringify(envelope.error.issues);
        for (const name of registry.secrets.required) {
          expect(text).toContain(name);
        }
      });
    }

    it('ends a run past its deadline with ERR_TIMEOUT', async () => {
      const reply = await post(local.baseUrl, '/run', body());
      expect(reply.status).toBe(504);
      expectError(reply, 'ERR_TIMEOUT');
    });

    it('answers malformed JSON with ERR_MALFORMED_JSON', async () => {
      const reply = await post(ci.baseUrl, '/run', '{"execution_id": ');
      expect(reply.status).toBe(400);
      expectError(reply, 'ERR_MALFORMED_JSON');
    });

    it('answers an oversized body with ERR_PAYLOAD_TOO_LARGE', async () => {
      const reply = await post(
        ci.baseUrl,
        '/run',
        body({ inputs: { pad: 'x'.repeat(BODY_LIMIT) } }),
      );
      expect(reply.status).toBe(413);
      expectError(reply, 'ERR_PAYLOAD_TOO_LARGE');
    });

    it('answers an unknown route with an envelope (ERR_NOT_FOUND)', async () => {
      const reply = await post(ci.baseUrl, '/nope', '{}');
      expect(reply.status).toBe(404);
      expectError(reply, 'ERR_NOT_FOUND');
    });

    const context: SuiteContext = {
      registry,
      exampleInputs: opts.exampleInputs,
      invalidInputs: opts.invalidInputs ?? {},
      ci: () => ci,
      local: () => local,
      body,
    };
    contractStreamCases(context);
    contractEdgeCases(context);

    it('logs NDJSON on stderr with the run events, never anything on stdout, and exits 0 on SIGTERM', async () => {
      const events = ci
        .stderr()
        .map((line) => JSON.parse(line) as { msg?: string; reason?: string });
      const names = events.map((e) => e.msg);
      expect(names).toContain('http.run.start');
      expect(names).toContain('http.run.settle');
      expect(events.some((e) => e.msg === 'http.run.error' && e.reason === 'ERR_CI_SAFETY')).toBe(
        true,
      );
      const [ciCode, localCode] = await Promise.all([ci.stop(), local.stop()]);
      expect(ci.stdout()).toBe('');
      expect(local.stdout()).toBe('');
      expect([ciCode, localCode]).toEqual([0, 0]);
    });
  });
}

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type ProcessorEnvelope, ProcessorRunRequestBody } from '@agentplane/contracts';
import type { AdapterLogger, ProcessorAdapter } from '../adapter.js';
import { dockerFromHost } from '../docker-connection.js';
import { createLocalAdapter } from '../local-adapter.js';
import { findRepoRoot, loadRegistryFor } from '../registry-file.js';
import { createRemoteAdapter } from '../remote-adapter.js';
import { hostPlatform, targetFromRegistry } from '../target.js';

export const USAGE = `usage: run-processor --ref ns/name@1 --adapter local|remote --mode mock|real
         --write-prefix /abs/dir/{execution_id}/ --inputs-json '{…}'|@file.json [--json]
       [--schema v1] [--execution-id id] [--url https://…] [--image repo@sha256:…|repo:tag]
       [--timeout-s n] [--processors-dir dir]
       [--mount /host/dir:/container/dir]… [--env NAME=value]…   (local adapter only)
--mount binds a host directory read-only (e.g. doc/extract's inputs, with
--env DOC_EXTRACT_INPUT_DIR=/container/dir).
Prints the envelope (--json: as JSON on stdout). Exit 0 on success, 1 on an error envelope, 2 on
bad usage. Logs are NDJSON on stderr. Local runs need DOCKER_HOST (e.g. unix:///run/podman/podman.sock).
`;

export interface CliIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  logger: AdapterLogger;
  signal?: AbortSignal;
}

class UsageError extends Error {}

function readInputs(raw: string, cwd: string): unknown {
  const text = raw.startsWith('@') ? readFileSync(join(cwd, raw.slice(1)), 'utf8') : raw;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--inputs-json is not JSON: ${(error as Error).message}`);
  }
}

function processorsDir(explicit: string | undefined, cwd: string): string {
  if (explicit) {
    return join(cwd, explicit);
  }
  // Inside a checkout, its processors; elsewhere, those of the checkout this CLI lives in.
  const root = findRepoRoot(cwd) ?? findRepoRoot(fileURLToPath(new URL('.', import.meta.url)));
  if (!root) {
    throw new UsageError('no checkout found: pass --processors-dir');
  }
  return join(root, 'apps', 'processors');
}

function parse(io: CliIo) {
  const { values } = parseArgs({
    args: io.argv,
    options: {
      ref: { type: 'string' },
      adapter: { type: 'string', default: 'local' },
      mode: { type: 'string', default: 'mock' },
      'write-prefix': { type: 'string' },
      'inputs-json': { type: 'string' },
      schema: { type: 'string', default: 'v1' },
      'execution-id': { type: 'string' },
      url: { type: 'string' },
      image: { type: 'string' },
      'timeout-s': { type: 'string' },
      'processors-dir': { type: 'string' },
      mount: { type: 'string', multiple: true, default: [] },
      env: { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    return undefined;
  }
  if (!values.ref || !values['write-prefix'] || !values['inputs-json']) {
    throw new UsageError('--ref, --write-prefix and --inputs-json are required');
  }
  if (values.adapter !== 'local' && values.adapter !== 'remote') {
    throw new UsageError(`--adapter must be local or remote, got ${values.adapter}`);
  }
  if (values.adapter === 'remote' && !values.url) {
    throw new UsageError('--adapter remote needs --url');
  }
  if (values.adapter === 'remote' && (values.mount.length > 0 || values.env.length > 0)) {
    throw new UsageError('--mount and --env apply to the local adapter only');
  }
  const mounts = values.mount.map((m) => {
    const colon = m.indexOf(':');
    if (colon < 1) {
      throw new UsageError(`--mount ${m}: expected /host/dir:/container/dir`);
    }
    return { hostDir: resolve(io.cwd, m.slice(0, colon)), containerDir: m.slice(colon + 1) };
  });
  const env: Record<string, string> = {};
  for (const pair of values.env) {
    const eq = pair.indexOf('=');
    if (eq < 1) {
      throw new UsageError(`--env ${pair}: expected NAME=value`);
    }
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const timeoutS = values['timeout-s'] === undefined ? undefined : Number(values['timeout-s']);
  if (timeoutS !== undefined && !(timeoutS > 0)) {
    throw new UsageError('--timeout-s must be a positive number');
  }
  const request = ProcessorRunRequestBody.safeParse({
    execution_id: values['execution-id'] ?? randomUUID(),
    write_prefix: values['write-prefix'],
    schema: values.schema,
    mode: values.mode,
    inputs: readInputs(values['inputs-json'], io.cwd),
  });
  if (!request.success) {
    const issues = request.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new UsageError(`invalid run request:\n${issues.join('\n')}`);
  }
  return {
    ref: values.ref,
    adapter: values.adapter,
    url: values.url,
    image: values.image,
    runTimeoutMs: timeoutS === undefined ? undefined : timeoutS * 1000,
    processorsDir: processorsDir(values['processors-dir'], io.cwd),
    mounts,
    env,
    json: values.json,
    request: request.data,
  };
}

function summary(ref: string, envelope: ProcessorEnvelope): string {
  if (envelope.status === 'success') {
    const lines = envelope.outputs.map((o) => `  ${o.path}`);
    return `${ref} ${envelope.execution_id}: success in ${envelope.meta.duration_ms ?? '?'} ms\n${lines.join('\n')}\n  index: ${envelope.index_path}\n`;
  }
  const issues = (envelope.error.issues ?? []).map((i) => `  ${i.path || '/'}: ${i.message}`);
  return `${ref} ${envelope.execution_id}: ${envelope.error.code} ${envelope.error.message}\n${issues.join('\n')}\n`;
}

/** `run-processor …`: one run through an adapter; answers the exit code. */
export async function runProcessorCommand(io: CliIo): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(io);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      io.stderr(`${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (args === undefined) {
    io.stdout(USAGE);
    return 0;
  }
  let adapter: ProcessorAdapter;
  try {
    const registry = loadRegistryFor(args.ref, args.processorsDir);
    adapter =
      args.adapter === 'local'
        ? createLocalAdapter({
            docker: dockerFromHost(io.env.DOCKER_HOST),
            target: targetFromRegistry(registry, hostPlatform()),
            image: args.image,
            hostEnv: io.env,
            mounts: args.mounts,
            env: args.env,
            runTimeoutMs: args.runTimeoutMs,
            logger: io.logger,
          })
        : createRemoteAdapter({
            url: args.url as string,
            target: targetFromRegistry(registry, 'amd64'),
            runTimeoutMs: args.runTimeoutMs,
            logger: io.logger,
          });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    return 2;
  }
  try {
    const envelope = await adapter.run(args.request, { signal: io.signal });
    io.stdout(args.json ? `${JSON.stringify(envelope, null, 2)}\n` : summary(args.ref, envelope));
    return envelope.status === 'success' ? 0 : 1;
  } finally {
    await adapter.close();
  }
}

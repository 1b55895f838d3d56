import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ProcessorEnvelope,
  ProcessorErrorEnvelope,
  ProcessorOutput,
  ProcessorOutputsIndex,
  ProcessorProgressEvent,
  ProcessorReceipt,
  ProcessorRunRequestBody,
} from '@agentplane/contracts';
import type { Logger } from '@agentplane/http-kit';
import { type BaseMeta, errorEnvelope } from './envelopes.js';
import type { ProcessorDefinition } from './handler.js';
import { canonicalJson, sha256Hex } from './hashing.js';
import type { InputsValidator } from './inputs-validator.js';
import { isProcessorError, ProcessorError } from './processor-error.js';
import { checkMode, executionIdOf, parseRunRequest } from './run-guards.js';
import { createRunLog, type RunLog } from './run-log.js';
import { processorStatusFor } from './status-for.js';
import { type ArtifactDir, expandWritePrefix, openArtifactDir } from './write-prefix.js';

export const INDEX_FILE = 'outputs.json';
export const RECEIPT_FILE = 'receipt.json';
export const TRACE_FILE = 'logs/trace.ndjson';

export interface RunSettings {
  ci: boolean;
  imageDigest: string;
  artifactsRoot: string | undefined;
  timeoutMs: number;
  mockDelayMs: number;
}

export interface RunDeps {
  definition: ProcessorDefinition;
  settings: RunSettings;
  meta: BaseMeta;
  validateInputs: InputsValidator;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
}

/** What /run-stream listens to while an accepted run goes. */
export interface RunListener {
  progress(event: ProcessorProgressEvent): void;
}

/**
 * The request guards' verdict. Refused: the error envelope (nothing ran, so /run-stream answers it
 * with its status and opens no stream). Accepted: `execute` runs the handler and settles.
 */
export type Admission =
  | { accepted: false; envelope: ProcessorErrorEnvelope }
  | {
      accepted: true;
      executionId: string;
      execute(listener?: RunListener): Promise<ProcessorEnvelope>;
    };

const HANDLER_ERROR_MESSAGE_MAX = 500;
const DEADLINE = Symbol('deadline');

/**
 * `err` as a ProcessorError; anything else is `unexpected`: ERR_HANDLER once the handler runs (its
 * message is the handler's, passed on), ERR_INTERNAL before (a bug of ours: only in the log).
 */
function failureOf(err: unknown, unexpected: 'ERR_HANDLER' | 'ERR_INTERNAL'): ProcessorError {
  if (isProcessorError(err)) {
    return err;
  }
  if (unexpected === 'ERR_INTERNAL') {
    return new ProcessorError('ERR_INTERNAL');
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ProcessorError('ERR_HANDLER', [
    { path: '', message: message.slice(0, HANDLER_ERROR_MESSAGE_MAX) },
  ]);
}

/** Runs the handler until it settles or the deadline passes (then aborts its signal). */
async function runWithDeadline(
  deps: RunDeps,
  work: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof DEADLINE>((resolve) => {
    timer = setTimeout(() => resolve(DEADLINE), deps.settings.timeoutMs);
  });
  try {
    const outcome = await Promise.race([work(controller.signal), deadline]);
    if (outcome === DEADLINE) {
      controller.abort(new ProcessorError('ERR_TIMEOUT'));
      throw new ProcessorError('ERR_TIMEOUT', [
        { path: '', message: `deadline of ${deps.settings.timeoutMs} ms passed` },
      ]);
    }
  } finally {
    clearTimeout(timer);
  }
}

interface Prepared {
  request: ProcessorRunRequestBody;
  dir: ArtifactDir;
}

/** The guards, in order: request shape, mode (CI, secrets), inputs, write_prefix. */
async function prepare(deps: RunDeps, body: unknown, log: () => RunLog): Promise<Prepared> {
  const request = parseRunRequest(body);
  log().info('http.run.start', {
    ref: deps.definition.registry.ref,
    mode: request.mode,
    schema: request.schema,
  });
  checkMode(request, deps.definition.registry, deps.settings.ci, deps.env);
  const issues = deps.validateInputs(request.inputs);
  if (issues.length > 0) {
    throw new ProcessorError('ERR_INPUTS_INVALID', issues);
  }
  const prefix = expandWritePrefix(
    request.write_prefix,
    request.execution_id,
    deps.settings.artifactsRoot,
  );
  const dir = await openArtifactDir(prefix, deps.settings.artifactsRoot);
  return { request, dir };
}

function mimeFor(deps: RunDeps, relPath: string): string {
  const declared = deps.definition.registry.outputs.find((o) => o.path === relPath);
  return declared?.mime ?? 'application/octet-stream';
}

/** What one run carries from its guards to its envelope. */
interface RunScope {
  readonly t0: number;
  readonly startedAt: Date;
  executionId: string;
  dir: ArtifactDir | undefined;
  log(): RunLog;
}

/** The error envelope of a failed run, logged as `http.run.error` with its reason. */
function fail(
  deps: RunDeps,
  scope: RunScope,
  err: unknown,
  unexpected: 'ERR_HANDLER' | 'ERR_INTERNAL',
): ProcessorErrorEnvelope {
  const failure = failureOf(err, unexpected);
  const log = scope.log();
  if (!isProcessorError(err)) {
    log.error(unexpected === 'ERR_HANDLER' ? 'handler.error' : 'http.run.internal_error', { err });
  }
  log.warn('http.run.error', { reason: failure.code, issues: failure.issues });
  log.info('http.run.settle', {
    status: 'error',
    duration_ms: Math.round(performance.now() - scope.t0),
  });
  // A refusal of the client's request (a handler's ERR_INPUTS_INVALID…) writes nothing: an earlier
  // run under the same execution_id keeps its trace. A failure of ours leaves its trace behind.
  if (scope.dir !== undefined && processorStatusFor(failure.code) >= 500) {
    mirrorTraceAfterReply(scope.dir, log);
  }
  return errorEnvelope(deps.meta, scope.executionId, failure.code, failure.issues);
}

/**
 * The guards, before anything runs: request shape, mode (CI, secrets), inputs, write_prefix
 * (expanded and created). Never throws: a refusal is an error envelope. `correlationId` is bound
 * to every line of the run's log.
 */
export async function admitRun(
  deps: RunDeps,
  body: unknown,
  correlationId: string,
): Promise<Admission> {
  let runLog: RunLog | undefined;
  const scope: RunScope = {
    t0: performance.now(),
    startedAt: new Date(),
    executionId: executionIdOf(body),
    dir: undefined,
    log: () => {
      runLog ??= createRunLog(deps.logger, scope.executionId, correlationId);
      return runLog;
    },
  };
  try {
    const prepared = await prepare(deps, body, scope.log);
    scope.executionId = prepared.request.execution_id;
    scope.dir = prepared.dir;
    return {
      accepted: true,
      executionId: scope.executionId,
      execute: (listener) => runAdmitted(deps, scope, prepared, listener),
    };
  } catch (err) {
    return { accepted: false, envelope: fail(deps, scope, err, 'ERR_INTERNAL') };
  }
}

/**
 * One run, start to envelope (what /run answers): the guards, then the handler within the
 * deadline, then the outputs index and the receipt (written side by side, before the envelope)
 * and, after the reply, the trace mirror. Never throws: every failure is an error envelope.
 */
export async function executeRun(
  deps: RunDeps,
  body: unknown,
  correlationId: string,
): Promise<ProcessorEnvelope> {
  const admission = await admitRun(deps, body, correlationId);
  return admission.accepted ? admission.execute() : admission.envelope;
}

async function runAdmitted(
  deps: RunDeps,
  scope: RunScope,
  prepared: Prepared,
  listener: RunListener | undefined,
): Promise<ProcessorEnvelope> {
  const { request, dir: artifacts } = prepared;
  const { executionId, log } = scope;
  try {
    const outputs: ProcessorOutput[] = [];
    await runWithDeadline(deps, async (signal) => {
      if (request.mode === 'mock' && deps.settings.mockDelayMs > 0) {
        await sleep(deps.settings.mockDelayMs, undefined, { signal }).catch(() => undefined);
      }
      if (signal.aborted) {
        return;
      }
      await deps.definition.handler({
        executionId,
        mode: request.mode,
        schema: request.schema,
        inputs: request.inputs,
        writePrefix: artifacts.root,
        signal,
        env: deps.env,
        log: log(),
        progress: (stage, detail) => listener?.progress({ event: 'progress', stage, ...detail }),
        async writeOutput(relPath, data, mime) {
          signal.throwIfAborted();
          // Encoded once: the bytes written are the bytes hashed and counted (no re-read, no
          // second UTF-8 pass). The hash runs here while the write is in flight.
          const bytes = typeof data === 'string' ? Buffer.from(data) : data;
          const written = artifacts.write(relPath, bytes);
          const sha256 = sha256Hex(bytes);
          const path = await written;
          outputs.push({
            path,
            mime: mime ?? mimeFor(deps, relPath),
            sha256,
            size_bytes: bytes.byteLength,
          });
          return path;
        },
      });
    });

    const duration_ms = Math.round((performance.now() - scope.t0) * 1000) / 1000;
    const index: ProcessorOutputsIndex = {
      execution_id: executionId,
      ref: deps.definition.registry.ref,
      outputs,
    };
    // The index goes to disk while the receipt is built (inputs_sha256 walks the inputs).
    const indexWritten = artifacts.write(INDEX_FILE, `${JSON.stringify(index, null, 2)}\n`);
    const receipt: ProcessorReceipt = {
      execution_id: executionId,
      ref: deps.definition.registry.ref,
      mode: request.mode,
      schema: request.schema,
      inputs_sha256: sha256Hex(canonicalJson(request.inputs)),
      outputs: outputs.map((o) => ({
        path: o.path,
        sha256: o.sha256 ?? '',
        size_bytes: o.size_bytes ?? 0,
      })),
      started_at: scope.startedAt.toISOString(),
      finished_at: new Date().toISOString(),
      duration_ms,
      image_digest: deps.meta.image_digest,
      env_fingerprint: deps.meta.env_fingerprint,
    };
    log().info('http.run.settle', { status: 'success', duration_ms, outputs: outputs.length });
    // The index and the receipt are on disk before the envelope leaves: a client reads them next.
    const [index_path, receipt_path] = await Promise.all([
      indexWritten,
      artifacts.write(RECEIPT_FILE, `${JSON.stringify(receipt, null, 2)}\n`),
    ]);
    mirrorTraceAfterReply(artifacts, log());
    return {
      status: 'success',
      execution_id: executionId,
      outputs,
      index_path,
      receipt_path,
      meta: { ...deps.meta, duration_ms },
    };
  } catch (err) {
    return fail(deps, scope, err, 'ERR_HANDLER');
  }
}

/**
 * Best-effort, off the reply's path: the mirror is written once the envelope is on its way (the
 * caller sends it in the same tick; setImmediate runs after). A planted symlink or a full disk
 * must not change the run's outcome, so failures are only logged.
 */
function mirrorTraceAfterReply(dir: ArtifactDir, log: RunLog): void {
  setImmediate(() => {
    dir.write(TRACE_FILE, log.ndjson()).catch((err: unknown) => {
      log.warn('http.run.trace_mirror_failed', { error: (err as Error).message });
    });
  });
}

import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ProcessorEnvelope } from '@agentplane/contracts';
import {
  type AdapterLogger,
  createRemoteAdapter,
  type ProcessorAdapter,
  unpinnedTarget,
} from '@agentplane/processor-adapters';
import { newId } from '../../ids.js';

const TEXT_OUTPUT = 'outputs/text.txt';

export type ExtractViaProcessorOptions = {
  /**
   * The write_prefix root: each call's outputs go to `<dir>/<execution id>/`. The processor
   * writes there and this process reads there, so it must be the same directory, at the same
   * absolute path, on both sides (a volume mounted into both containers).
   */
  dir: string;
  logger?: AdapterLogger;
} & (
  | {
      /** A running doc/extract, e.g. `http://doc-extract:8102`. */
      url: string;
      /** Its id, e.g. `doc/extract@1` (the adapter's envelopes carry it). */
      processorId: string;
      /** Bound on one POST /run; the answer is then an ERR_ADAPTER_TIMEOUT envelope. */
      timeoutMs: number;
    }
  | {
      /** An adapter the caller owns (and closes); it carries its own deadline. */
      adapter: ProcessorAdapter;
    }
);

/** What extractText takes as `deps.processor`, and a way to stop it. */
export interface ProcessorExtractor {
  extract(bytes: Uint8Array, contentType: string | undefined): Promise<string>;
  /** Aborts calls in flight, waits for them to clean up, and frees the adapter it made. */
  close(): Promise<void>;
}

function failure(ref: string, envelope: Extract<ProcessorEnvelope, { status: 'error' }>): Error {
  const { code, message, issues } = envelope.error;
  // The specifics (which document, why pdf.js refused it) are in the issues, not the message.
  const details = (issues ?? []).map((issue) => `${issue.path || '/'}: ${issue.message}`);
  const suffix = details.length > 0 ? ` (${details.join('; ')})` : '';
  return new Error(`${ref} answered ${code}: ${message}${suffix}`, { cause: envelope.error });
}

function isPdf(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/pdf';
}

/**
 * Text extraction by doc/extract (`POST /run`, one document per run). The processor writes
 * `outputs/text.txt` under `<dir>/<execution id>/`; it is read back (sha256 checked against the
 * envelope) and the execution's folder is removed, whatever the outcome.
 *
 * ```ts
 * const extractor = extractViaProcessor({ url, processorId: 'doc/extract@1', dir, timeoutMs });
 * await runIngestJob(jobId, { ...deps, processor: extractor.extract }, signal);
 * await extractor.close();
 * ```
 */
export function extractViaProcessor(options: ExtractViaProcessorOptions): ProcessorExtractor {
  const dir = resolve(options.dir);
  const owned = !('adapter' in options);
  const adapter =
    'adapter' in options
      ? options.adapter
      : createRemoteAdapter({
          url: options.url,
          target: unpinnedTarget(options.processorId, options.timeoutMs),
          runTimeoutMs: options.timeoutMs,
          ...(options.logger ? { logger: options.logger } : {}),
        });
  const ref = adapter.target.ref;
  const closing = new AbortController();
  const inFlight = new Set<Promise<unknown>>();

  async function readText(folder: string, envelope: ProcessorEnvelope): Promise<string> {
    if (envelope.status === 'error') {
      throw failure(ref, envelope);
    }
    const listed = envelope.outputs.find((o) =>
      o.path.replaceAll('\\', '/').endsWith(`/${TEXT_OUTPUT}`),
    );
    if (listed === undefined) {
      throw new Error(`${ref} succeeded but listed no ${TEXT_OUTPUT}`);
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(join(folder, TEXT_OUTPUT));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new Error(
        `${ref} wrote ${listed.path} on its side, but this process cannot read it here (${code}): ` +
          `the processor's write_prefix root (AM_RAG_EXTRACT_DIR, ${dir}) must be a directory ` +
          'both processes share at the same path, e.g. a volume mounted into both containers',
        { cause: err },
      );
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (listed.sha256 !== undefined && listed.sha256 !== sha256) {
      throw new Error(
        `${ref}'s ${TEXT_OUTPUT} has sha256 ${sha256}, its envelope says ${listed.sha256}`,
      );
    }
    // The processor ends its text with a newline; the built-in extractors return trimmed text.
    return bytes.toString('utf8').trimEnd();
  }

  async function run(bytes: Uint8Array, contentType: string | undefined): Promise<string> {
    closing.signal.throwIfAborted();
    const executionId = newId('extract');
    const folder = join(dir, executionId);
    try {
      const envelope = await adapter.run(
        {
          execution_id: executionId,
          write_prefix: `${dir}/{execution_id}/`,
          schema: 'v1',
          mode: 'real',
          inputs: {
            documents: [
              {
                name: 'document',
                content_base64: Buffer.from(bytes).toString('base64'),
                ...(isPdf(contentType) ? { format: 'pdf' } : {}),
              },
            ],
          },
        },
        { signal: closing.signal },
      );
      return await readText(folder, envelope);
    } finally {
      await rm(folder, { recursive: true, force: true }).catch((err: unknown) => {
        // Left behind, not fatal: a processor running as another user may own the files.
        options.logger?.warn({ err, folder }, 'could not remove an extraction folder');
      });
    }
  }

  return {
    extract(bytes, contentType) {
      const call = run(bytes, contentType);
      const settled = call.catch(() => {});
      inFlight.add(settled);
      void settled.finally(() => inFlight.delete(settled));
      return call;
    },
    async close() {
      closing.abort(new Error('the extractor was closed'));
      await Promise.all(inFlight);
      if (owned) {
        await adapter.close();
      }
    },
  };
}

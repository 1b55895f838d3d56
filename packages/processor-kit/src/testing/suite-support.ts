import {
  ProcessorEnvelope,
  type ProcessorErrorCode,
  ProcessorErrorEnvelope,
  type ProcessorRegistry,
} from '@agentplane/contracts';
import { expect } from 'vitest';
import type { StartedProcessor } from './spawn-processor.js';

/** The digest the suite starts processors with; every envelope must report it. */
export const IMAGE_DIGEST = `sha256:${'c0ffee'.repeat(10)}abcd`;

/** What the suite's case groups share (resolved once the suite's beforeAll ran). */
export interface SuiteContext {
  registry: ProcessorRegistry;
  exampleInputs: Record<string, unknown>;
  /** Inputs the schema refuses. */
  invalidInputs: Record<string, unknown>;
  /** The processor started with CI set. */
  ci(): StartedProcessor;
  /** The processor started without CI, its secrets, with a short deadline and a long mock delay. */
  local(): StartedProcessor;
  /** A valid run request as JSON text, with fields replaced by `over`. */
  body(over?: Record<string, unknown>): string;
}

export interface Reply {
  status: number;
  envelope: ProcessorEnvelope;
}

export async function post(base: string, path: string, body: string): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const envelope = ProcessorEnvelope.parse(await res.json());
  return { status: res.status, envelope };
}

export function expectError(reply: Reply, code: ProcessorErrorCode): ProcessorErrorEnvelope {
  const envelope = ProcessorErrorEnvelope.parse(reply.envelope);
  expect(envelope.error.code, JSON.stringify(envelope.error)).toBe(code);
  expect(envelope.meta.image_digest).toBe(IMAGE_DIGEST);
  expect(envelope.meta.env_fingerprint).not.toBe('');
  return envelope;
}

export function secretNames(registry: ProcessorRegistry): string[] {
  return [...registry.secrets.required, ...registry.secrets.one_of];
}

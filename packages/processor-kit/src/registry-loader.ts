import { readFileSync } from 'node:fs';
import { ProcessorRegistry } from '@agentplane/contracts';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { compileInputsSchema } from './inputs-validator.js';

/** A registry.yaml that cannot be used; the message names the file and every bad field. */
export class RegistryError extends Error {
  constructor(file: string, problems: readonly string[]) {
    super(`${file}: invalid registry.yaml\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RegistryError';
  }
}

function fieldOf(issue: z.core.$ZodIssue): string {
  return issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
}

/**
 * Parses registry.yaml text: YAML syntax, then the ProcessorRegistry schema, then the inputs JSON
 * Schema itself (compiled by ajv). Each problem names its field, e.g. `runtime.timeout_s: …`.
 */
export function parseRegistry(text: string, file = 'registry.yaml'): ProcessorRegistry {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new RegistryError(
      file,
      doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`),
    );
  }
  const result = ProcessorRegistry.safeParse(doc.toJS());
  if (!result.success) {
    throw new RegistryError(
      file,
      result.error.issues.map((i) => `${fieldOf(i)}: ${i.message}`),
    );
  }
  try {
    compileInputsSchema(result.data.inputs);
  } catch (err) {
    throw new RegistryError(file, [`inputs: not a valid JSON Schema: ${(err as Error).message}`]);
  }
  return result.data;
}

/** Reads and parses a registry.yaml at start-up (sync: it runs once, before listening). */
export function loadRegistry(path: string): ProcessorRegistry {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RegistryError(path, [`cannot read: ${(err as NodeJS.ErrnoException).code ?? err}`]);
  }
  return parseRegistry(text, path);
}

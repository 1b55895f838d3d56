import type { ToolDefinition } from '@agentplane/contracts';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { LlmToolSpec } from './llm/types.js';

/** What a tool's `run` receives besides its (already validated) input. */
export interface ToolContext {
  /** Aborted on cancel and when the tool's `timeout_ms` passes: stop work, the result is dropped. */
  signal: AbortSignal;
  /** The model's id for this call: stable across re-runs, the key for idempotent side effects. */
  toolCallId: string;
}

/** A tool implementation; its output is given to the model as JSON (a string as is). */
export type ToolRun = (input: Record<string, unknown>, ctx: ToolContext) => Promise<unknown>;

export interface ToolEntry {
  definition: ToolDefinition;
  run: ToolRun;
}

export interface RegisteredTool extends ToolEntry {
  /**
   * Checks arguments against `definition.input_schema`; `undefined` when they are valid.
   * Fills in the schema's `default`s in place, so `run` sees them.
   */
  validate(input: unknown): string | undefined;
}

/** The tools one run may use, by name, in the order the model is shown them. */
export type ToolRegistry = ReadonlyMap<string, RegisteredTool>;

function describeErrors(errors: readonly ErrorObject[]): string {
  return errors
    .map((error) => `${error.instancePath || '(arguments)'} ${error.message ?? 'is invalid'}`)
    .join('; ');
}

/**
 * Builds a registry, compiling every input schema once (a bad schema throws here, at start-up,
 * not in the middle of a run). Later entries with the same name replace earlier ones.
 *
 * ```ts
 * const tools = createToolRegistry([{ definition, run: async (input) => search(input.query) }]);
 * ```
 */
export function createToolRegistry(entries: Iterable<ToolEntry>): ToolRegistry {
  const registry = new Map<string, RegisteredTool>();
  for (const entry of entries) {
    const check = compiledCheck(entry.definition.input_schema);
    registry.set(entry.definition.name, {
      ...entry,
      validate(input) {
        return check(input) ? undefined : describeErrors(check.errors ?? []);
      },
    });
  }
  return registry;
}

let sharedAjv: Ajv | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * One compiled validator per schema object, shared by every registry built from it: a host that
 * builds a registry per run (agent-manager) would otherwise compile every tool's schema again
 * for each run, milliseconds a run.
 */
function compiledCheck(schema: ToolEntry['definition']['input_schema']): ValidateFunction {
  const known = compiled.get(schema);
  if (known) {
    return known;
  }
  if (sharedAjv === undefined) {
    // strict: false — catalog schemas may carry annotations ajv does not know (e.g. `examples`
    // variants); logger: false — ajv would otherwise warn on the console.
    sharedAjv = new Ajv({ allErrors: true, strict: false, logger: false, useDefaults: true });
    // ajv-formats is CommonJS: under NodeNext its default export sits on `.default` (the
    // function also carries itself there at runtime).
    formats.default(sharedAjv);
  }
  const check = sharedAjv.compile(schema);
  compiled.set(schema, check);
  return check;
}

/** The registry as the model sees it. */
export function toolSpecs(tools: ToolRegistry): LlmToolSpec[] {
  return [...tools.values()].map(({ definition }) => ({
    name: definition.name,
    description: definition.description,
    parameters: definition.input_schema,
  }));
}

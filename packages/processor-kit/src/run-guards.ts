import {
  type ProcessorIssue,
  type ProcessorRegistry,
  ProcessorRunRequestBody,
} from '@agentplane/contracts';
import { ProcessorError } from './processor-error.js';

function present(env: Readonly<Record<string, string | undefined>>, name: string): boolean {
  const value = env[name];
  return value !== undefined && value.trim() !== '';
}

/** The body as a run request, or ERR_REQUEST_INVALID listing every problem. */
export function parseRunRequest(body: unknown): ProcessorRunRequestBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProcessorError('ERR_REQUEST_INVALID', [
      { path: '', message: 'the body must be a JSON object' },
    ]);
  }
  const result = ProcessorRunRequestBody.safeParse(body);
  if (!result.success) {
    throw new ProcessorError(
      'ERR_REQUEST_INVALID',
      result.error.issues.map((i) => ({ path: `/${i.path.join('/')}`, message: i.message })),
    );
  }
  // The inputs as sent, not zod's copy: the record parse rebuilds the object key by key and drops
  // an own `__proto__` key that JSON.parse keeps, so the inputs schema (additionalProperties:
  // false) never saw it. ajv and the handler get the same object, every key included.
  result.data.inputs = (body as { inputs: Record<string, unknown> }).inputs;
  return result.data;
}

/** The execution_id of a body that failed parsing, when it has a usable one (for the envelope). */
export function executionIdOf(body: unknown): string {
  const id = (body as { execution_id?: unknown } | null)?.execution_id;
  return typeof id === 'string' && id.length <= 128 ? id : '';
}

/**
 * mode=real guards: refused in CI (ERR_CI_SAFETY), then every `secrets.required` and one of
 * `secrets.one_of` must be set (ERR_SECRETS_MISSING naming them — names only, never values).
 * mode=mock needs nothing.
 */
export function checkMode(
  request: Pick<ProcessorRunRequestBody, 'mode'>,
  registry: ProcessorRegistry,
  ci: boolean,
  env: Readonly<Record<string, string | undefined>>,
): void {
  if (request.mode === 'mock') {
    return;
  }
  if (ci) {
    throw new ProcessorError('ERR_CI_SAFETY', [
      { path: '/mode', message: 'CI is set in the processor environment; use mode=mock' },
    ]);
  }
  const issues: ProcessorIssue[] = registry.secrets.required
    .filter((name) => !present(env, name))
    .map((name) => ({ path: `/env/${name}`, message: 'required secret is not set' }));
  const oneOf = registry.secrets.one_of;
  if (oneOf.length > 0 && !oneOf.some((name) => present(env, name))) {
    issues.push({ path: '/env', message: `one of ${oneOf.join(', ')} must be set` });
  }
  if (issues.length > 0) {
    throw new ProcessorError('ERR_SECRETS_MISSING', issues);
  }
}

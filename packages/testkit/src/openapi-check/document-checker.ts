import type { ValidateFunction } from 'ajv/dist/2020.js';
import { matchingTemplates, type PathTemplate, pathTemplate } from './path-match.js';
import { createSchemaCompiler, formatErrors } from './schema-compiler.js';

/** The parts of an OpenAPI 3.1 document the check reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, unknown>;
}

interface MediaObject {
  schema?: object;
  /** OpenAPI 3.2's per-event schema of a stream; ours put the event union in `schema`. */
  itemSchema?: object;
  /** A last `data:` of a stream that is not an event (OpenAI's `[DONE]`). */
  'x-sse-terminator'?: unknown;
}

interface ResponseObject {
  content?: Record<string, MediaObject>;
}

/** A response as seen on the wire, before its body. */
export interface ResponseHead {
  method: string;
  /** Raw (undecoded) path, without the query. */
  path: string;
  status: number;
  header(name: string): string | undefined;
}

/** What a response's body must be; `operation` names what it was checked against. */
export type BodyRule =
  | { kind: 'none' }
  | { kind: 'unchecked' }
  | { kind: 'json'; validate?: ValidateFunction }
  | { kind: 'sse'; validate?: ValidateFunction; terminator?: string };

export type ResponsePlan =
  | { kind: 'skip' }
  | { kind: 'problem'; operation: string; problem: string }
  | { kind: 'check'; operation: string; body: BodyRule };

/** A problem with one body (or one stream event). */
export interface BodyProblem {
  problem: string;
  errors?: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Kit routes outside the documents: every service serves them, none documents them. Other
 * methods on them are 405s like any other path.
 */
const UNDOCUMENTED_KIT_PATHS = new Set(['/openapi.json', '/metrics']);
// Test hooks no document describes (Pact's provider-states call, only under ORCH_TEST_HOOKS=1).
const TEST_HOOK_PREFIX = '/_pact/';

/** Whether `value` is shaped like a document this check can use. */
export function isOpenApiDocument(value: unknown): value is OpenApiDocument {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { openapi, paths } = value as Record<string, unknown>;
  return typeof openapi === 'string' && typeof paths === 'object' && paths !== null;
}

function mediaTypeOf(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
}

function isJsonMedia(media: string): boolean {
  return media === 'application/json' || media.endsWith('+json');
}

/** Resolves a local `$ref` (`#/components/responses/X`) in the document. */
function deref<T>(doc: OpenApiDocument, value: unknown): T | undefined {
  let current = value;
  for (let hops = 0; hops < 8; hops++) {
    const ref = (current as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) {
      return current as T | undefined;
    }
    current = ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
  }
  return undefined;
}

/**
 * The schema the document (or the path items given) uses most for its error responses
 * (ErrorEnvelope, or the processors' ProcessorErrorEnvelope): kit-level answers (404, 405, 431)
 * have no operation, but their body is still the service's error envelope.
 */
function errorEnvelopeSchema(
  doc: OpenApiDocument,
  items: readonly (Record<string, unknown> | undefined)[] = Object.values(doc.paths),
): object | undefined {
  const counts = new Map<string, { schema: object; n: number }>();
  for (const item of items) {
    if (item === undefined) {
      continue;
    }
    for (const method of METHODS) {
      const responses = (item[method] as { responses?: Record<string, unknown> } | undefined)
        ?.responses;
      for (const [status, raw] of Object.entries(responses ?? {})) {
        const schema = deref<ResponseObject>(doc, raw)?.content?.['application/json']?.schema;
        if (Number(status) >= 400 && schema !== undefined) {
          const key = JSON.stringify(schema);
          const entry = counts.get(key) ?? { schema, n: 0 };
          entry.n++;
          counts.set(key, entry);
        }
      }
    }
  }
  let best: { schema: object; n: number } | undefined;
  for (const entry of counts.values()) {
    if (best === undefined || entry.n > best.n) {
      best = entry;
    }
  }
  return best?.schema;
}

/** Plans and checks the responses of one service against its document. */
export interface DocumentChecker {
  plan(head: ResponseHead): ResponsePlan;
  checkBody(rule: BodyRule, body: string): BodyProblem | undefined;
}

/**
 * Builds the checker of one document. Schemas compile on first use, once per document.
 *
 * Answers without an operation that the kit gives on every service (decided here, as the
 * documents cannot say it per operation): 404 for a path no operation has, 405 (with `Allow`) for
 * a documented path with another method, 431 anywhere (headers are judged before routing). Their
 * body must be the service's error envelope. GET/HEAD /openapi.json and /metrics are not checked.
 */
export function createDocumentChecker(doc: OpenApiDocument): DocumentChecker {
  const compiler = createSchemaCompiler(doc.components);
  const templates: PathTemplate[] = Object.keys(doc.paths).map(pathTemplate);
  const envelope = errorEnvelopeSchema(doc);
  const validator = (schema: object | undefined) =>
    schema === undefined ? undefined : compiler.validator(schema);

  const kitAnswer = (
    head: ResponseHead,
    operation: string,
    why: string,
    schema = envelope,
  ): ResponsePlan => {
    if (schema === undefined) {
      return {
        kind: 'problem',
        operation,
        problem: `${why}, and the document has no error schema`,
      };
    }
    if (!isJsonMedia(mediaTypeOf(head.header('content-type')) ?? '')) {
      return { kind: 'problem', operation, problem: `${why}, but the body is not JSON` };
    }
    return { kind: 'check', operation, body: { kind: 'json', validate: validator(schema) } };
  };

  const operationAnswer = (
    head: ResponseHead,
    operation: string,
    responses: Record<string, unknown>,
  ): ResponsePlan => {
    const status = String(head.status);
    const raw = responses[status] ?? responses[`${status[0]}XX`] ?? responses.default;
    if (raw === undefined) {
      if (head.status === 431) {
        return kitAnswer(head, operation, 'a kit-level 431');
      }
      const documented = Object.keys(responses).join(', ');
      return {
        kind: 'problem',
        operation,
        problem: `status ${status} is not documented (documented: ${documented})`,
      };
    }
    const content = deref<ResponseObject>(doc, raw)?.content ?? {};
    if (head.method === 'HEAD') {
      return { kind: 'check', operation, body: { kind: 'unchecked' } };
    }
    const declared = Object.keys(content);
    if (declared.length === 0) {
      return { kind: 'check', operation, body: { kind: 'none' } };
    }
    const media = mediaTypeOf(head.header('content-type'));
    const key =
      media === undefined
        ? declared[0]
        : declared.find((d) => {
            const m = d.toLowerCase();
            return m === media || m === '*/*' || m === `${media.split('/')[0]}/*`;
          });
    const entry = key === undefined ? undefined : content[key];
    if (key === undefined || entry === undefined) {
      return {
        kind: 'problem',
        operation,
        problem: `Content-Type ${media} is not documented for ${status} (documented: ${declared.join(', ')})`,
      };
    }
    const schema = entry.itemSchema ?? entry.schema;
    const mediaKey = key.toLowerCase();
    if (mediaKey === 'text/event-stream') {
      const end = entry['x-sse-terminator'];
      const terminator = typeof end === 'string' ? { terminator: end } : {};
      return {
        kind: 'check',
        operation,
        body: { kind: 'sse', validate: validator(schema), ...terminator },
      };
    }
    if (isJsonMedia(mediaKey) || (media !== undefined && isJsonMedia(media))) {
      return { kind: 'check', operation, body: { kind: 'json', validate: validator(schema) } };
    }
    return { kind: 'check', operation, body: { kind: 'unchecked' } };
  };

  // The kit's own answers on a request no operation describes.
  const noOperation = (
    head: ResponseHead,
    method: string,
    matches: readonly PathTemplate[],
  ): ResponsePlan => {
    const pathKnown = matches.length > 0;
    const bare = head.path.replace(/\/$/, '').toLowerCase();
    const kitPath = UNDOCUMENTED_KIT_PATHS.has(bare);
    if (!pathKnown && kitPath && (method === 'GET' || method === 'HEAD')) {
      return { kind: 'skip' };
    }
    if (!pathKnown && bare.startsWith(TEST_HOOK_PREFIX) && head.status !== 404) {
      return { kind: 'skip' };
    }
    const operation = `${method} ${head.path} (no operation)`;
    const problem = (text: string): ResponsePlan => ({ kind: 'problem', operation, problem: text });
    if (head.status === 431) {
      return kitAnswer(head, operation, 'a kit-level 431');
    }
    if (!pathKnown && !kitPath) {
      return head.status === 404
        ? kitAnswer(head, operation, 'a kit-level 404')
        : problem(`no documented path; expected 404, got ${head.status}`);
    }
    if (head.status !== 405) {
      return problem(`the path is documented without ${method}; expected 405, got ${head.status}`);
    }
    if ((head.header('allow') ?? '') === '') {
      return problem('a kit-level 405 without an Allow header');
    }
    // Routed: the envelope of the path's own operations, where a service answers in several
    // (orchestratord: its control plane's, llama-orch's flat one under /v1/, OpenAI's for chat).
    const own = errorEnvelopeSchema(
      doc,
      matches.map((t) => doc.paths[t.template]),
    );
    return kitAnswer(head, operation, 'a kit-level 405', own ?? envelope);
  };

  return {
    plan(head) {
      const method = head.method.toUpperCase();
      const lower = method.toLowerCase();
      const matches = matchingTemplates(templates, head.path);
      const find = (m: string) =>
        matches
          .map((t) => ({ t, op: doc.paths[t.template]?.[m] }))
          .find((candidate) => candidate.op !== undefined);
      // express answers HEAD with the GET route (operationAnswer leaves its body unchecked).
      const item = find(lower) ?? (method === 'HEAD' ? find('get') : undefined);
      if (item !== undefined) {
        const operation = `${method} ${item.t.template}`;
        const responses = (item.op as { responses?: Record<string, unknown> }).responses ?? {};
        return operationAnswer(head, operation, responses);
      }
      return noOperation(head, method, matches);
    },

    checkBody(rule, body) {
      if (rule.kind === 'unchecked') {
        return undefined;
      }
      if (rule.kind === 'none') {
        return body === '' ? undefined : { problem: 'a body on a response documented without one' };
      }
      if (body === '') {
        return { problem: rule.kind === 'sse' ? 'an event without data' : 'an empty JSON body' };
      }
      if (rule.kind === 'sse' && body === rule.terminator) {
        return undefined;
      }
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        return { problem: rule.kind === 'sse' ? 'event data is not JSON' : 'the body is not JSON' };
      }
      if (rule.validate === undefined || rule.validate(value)) {
        return undefined;
      }
      return {
        problem:
          rule.kind === 'sse'
            ? 'event data does not match the stream schema'
            : 'the body does not match the schema',
        errors: formatErrors(rule.validate.errors),
      };
    },
  };
}

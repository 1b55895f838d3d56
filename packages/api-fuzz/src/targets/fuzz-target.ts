import type { ApiDocument } from '../openapi/api-document.js';
import type { Json } from '../openapi/minimal-instance.js';

/** State a rejected request must leave as it was: named lists of rows, compared as JSON. */
export type StateSnapshot = Record<string, unknown>;

/** Values the fuzz cannot guess from a schema: where a valid request for an operation differs. */
export interface BaseOverride {
  /** Merged over the schema's minimal body (top-level members). */
  body?: Record<string, Json>;
  /** Query parameters (decoded), over the minimal required ones. */
  query?: Record<string, string>;
  /**
   * Path parameters (decoded), over the target's `pathParams`: where operations share a
   * parameter name (`{id}`) but aim at different resources (a task, a session, a pool).
   */
  path?: Record<string, string>;
}

/** One running service and what a valid request to it needs. */
export interface FuzzTarget {
  /** `engine`, `orchestratord`, `text_summarize`, … */
  name: string;
  doc: ApiDocument;
  /**
   * The surface whose error envelope the service answers in before any route (431, a 404 on a
   * path of no surface), when it serves several and `doc` is not that one (orchestratord's /v1
   * surfaces: its control plane). Default: `doc`.
   */
  kitDoc?: ApiDocument;
  port: number;
  /** A valid credential per security scheme name of the document. */
  credentials: Record<string, string>;
  /** Existing resources to aim at, by path parameter name (`user_id` → a provisioned user). */
  pathParams: Record<string, string>;
  /** Per operationId. */
  overrides: Record<string, BaseOverride>;
  /** BODY_LIMIT_BYTES the service was started with. */
  bodyLimitBytes: number;
  /** Cheap observable state (rows, files) that background work does not touch. */
  snapshot(): Promise<StateSnapshot>;
  /** Stops the service and removes what it created. */
  close(): Promise<void>;
}

/** The body limit every fuzzed service is started with: small, so 413 cases stay cheap. */
export const FUZZ_BODY_LIMIT_BYTES = 256 * 1024;

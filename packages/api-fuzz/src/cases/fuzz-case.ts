import type fc from 'fast-check';
import type { RawRequest } from '../http/send.js';
import type { ApiDocument, Operation } from '../openapi/api-document.js';
import type { Json } from '../openapi/minimal-instance.js';
import type { SchemaValidator } from '../openapi/schema-validator.js';

/** What a response to a case must be. */
export interface Expectation {
  /**
   * The statuses that are the right refusal for this defect. Undefined: any documented status
   * below 500 (for cases that are odd but not invalid, such as a body on a GET).
   */
  statuses?: readonly number[];
}

/** One defective request before the per-case dimensions (correlation id, Accept-Encoding). */
export interface Draft {
  /** What is wrong with the request, for the report (short, no huge values). */
  defect: string;
  expect: Expectation;
  method?: string;
  /** Raw (encoded) path instead of the base's. */
  rawPath?: string;
  /** Raw query string (without `?`) instead of the base's. */
  rawQuery?: string;
  /** Header parameters instead of the base's. */
  headerParams?: ReadonlyArray<readonly [string, string]>;
  /** Credential headers instead of the base's valid one. */
  auth?: ReadonlyArray<readonly [string, string]>;
  /** Body bytes instead of the base's JSON body; null sends none. */
  body?: Buffer | null;
  /** Content-Type: undefined = application/json when there is a body; null = none. */
  contentType?: string | null;
  /** More headers, sent last. */
  headers?: ReadonlyArray<readonly [string, string]>;
  /** Send no Host header. */
  omitHost?: boolean;
}

/** A case is built when it is sent (huge bodies are not kept for every sample). */
export type DraftThunk = () => Draft | undefined;

export type CorrelationChoice =
  | { kind: 'none' }
  | { kind: 'well-formed'; id: string }
  | { kind: 'malformed'; values: readonly string[] };

export interface Dimensions {
  correlation: CorrelationChoice;
  acceptEncoding: string | undefined;
}

/** A valid request of an operation, which every draft changes in one way. */
export interface BaseRequest {
  /** Decoded path parameter values. */
  pathParams: Readonly<Record<string, string>>;
  query: ReadonlyArray<readonly [string, string]>;
  headerParams: ReadonlyArray<readonly [string, string]>;
  body: Json | undefined;
  /** Headers of a valid credential (empty for open operations). */
  auth: ReadonlyArray<readonly [string, string]>;
}

export interface CaseContext {
  doc: ApiDocument;
  op: Operation;
  base: BaseRequest;
  validator: SchemaValidator;
  /** A valid credential per security scheme name. */
  credentials: Readonly<Record<string, string>>;
  /** The body limit the services were started with (BODY_LIMIT_BYTES). */
  bodyLimitBytes: number;
}

/** A family of defects: which operations it applies to, and its generator. */
export interface Category {
  name: string;
  applies(ctx: CaseContext): boolean;
  drafts(ctx: CaseContext): fc.Arbitrary<DraftThunk>;
}

/** A case ready to send. */
export interface FuzzCase {
  category: string;
  defect: string;
  expect: Expectation;
  request: RawRequest;
  correlation: CorrelationChoice;
}

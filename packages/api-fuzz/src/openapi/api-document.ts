import { buildDocument, type Surface } from '@agentplane/contracts';
import type { OpenApiDocument } from '@agentplane/testkit';

/** A JSON Schema object as it appears in a document (refs unresolved). */
export type Schema = Record<string, unknown>;

export interface ParamSpec {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

/** One way to authenticate an operation: an apiKey header of the document's schemes. */
export interface SecurityHeader {
  scheme: string;
  header: string;
}

/** One operation of a document, with what the fuzz needs to build requests for it. */
export interface Operation {
  id: string;
  /** Upper case, as sent. */
  method: string;
  /** The path template, e.g. `/engines/{user_id}/admit`. */
  path: string;
  params: ParamSpec[];
  body: { required: boolean; schema: Schema } | undefined;
  /** Any one of these authenticates; empty means the operation is open. */
  security: SecurityHeader[];
  /** Documented response statuses (`200`, `4XX`, `default`…). */
  statuses: ReadonlySet<string>;
}

export interface ApiDocument {
  /** The surface's name, e.g. `orchestratord-control`. */
  name: string;
  raw: OpenApiDocument;
  operations: Operation[];
  /** Every apiKey-in-header and bearer scheme of the document. */
  schemes: SecurityHeader[];
  /** Documented methods (upper case) per path template. */
  methodsByPath: ReadonlyMap<string, readonly string[]>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Resolves local `$ref`s (`#/components/…`) until a non-ref object. */
export function deref(doc: OpenApiDocument, value: unknown): Schema {
  let current = value;
  for (let hops = 0; hops < 16; hops++) {
    const ref = (current as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) {
      break;
    }
    current = ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
  }
  return (typeof current === 'object' && current !== null ? current : {}) as Schema;
}

function schemesOf(doc: OpenApiDocument): SecurityHeader[] {
  const schemes = (doc.components?.securitySchemes ?? {}) as Record<string, Schema>;
  // A bearer scheme is a header too: Authorization, whose credential carries the `Bearer ` prefix.
  return Object.entries(schemes).flatMap(([scheme, s]) => {
    if (s.type === 'apiKey' && s.in === 'header' && typeof s.name === 'string') {
      return [{ scheme, header: String(s.name).toLowerCase() }];
    }
    return s.type === 'http' && s.scheme === 'bearer' ? [{ scheme, header: 'authorization' }] : [];
  });
}

function operationOf(
  doc: OpenApiDocument,
  path: string,
  method: string,
  raw: Schema,
  schemes: SecurityHeader[],
): Operation {
  const params = ((raw.parameters ?? []) as unknown[]).map((p) => deref(doc, p));
  const requestBody = raw.requestBody === undefined ? undefined : deref(doc, raw.requestBody);
  const content = requestBody?.content as Record<string, { schema?: Schema }> | undefined;
  const bodySchema = content?.['application/json']?.schema;
  const global = (doc as { security?: unknown }).security;
  const requirements = (raw.security ?? global ?? []) as Record<string, unknown>[];
  const names = new Set(requirements.flatMap((r) => Object.keys(r)));
  return {
    id: String(raw.operationId ?? `${method} ${path}`),
    method: method.toUpperCase(),
    path,
    params: params.map((p) => ({
      name: String(p.name),
      in: p.in as ParamSpec['in'],
      required: p.required === true,
      schema: (p.schema ?? {}) as Schema,
    })),
    body:
      bodySchema === undefined
        ? undefined
        : { required: requestBody?.required === true, schema: bodySchema },
    security: schemes.filter((s) => names.has(s.scheme)),
    statuses: new Set(Object.keys((raw.responses ?? {}) as object)),
  };
}

/** The operations of a document, in document order. */
export function readDocument(name: string, raw: OpenApiDocument): ApiDocument {
  const schemes = schemesOf(raw);
  const operations: Operation[] = [];
  const methodsByPath = new Map<string, string[]>();
  for (const [path, item] of Object.entries(raw.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op !== undefined) {
        operations.push(operationOf(raw, path, method, op as Schema, schemes));
        methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), method.toUpperCase()]);
      }
    }
  }
  return { name, raw, operations, schemes, methodsByPath };
}

/** A surface's document as the generator builds it (the same object the service serves). */
export function surfaceDocument(surface: Surface): ApiDocument {
  // Through JSON: the generator's output type is zod-to-openapi's; the fuzz reads plain JSON.
  const raw = JSON.parse(JSON.stringify(buildDocument(surface))) as OpenApiDocument;
  return readDocument(surface.name, raw);
}

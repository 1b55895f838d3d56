import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { ResponseDef, RouteDef } from '../common/route.js';

/** OpenAPI security scheme objects by name, e.g. `{ engineKey: { type: 'apiKey', … } }`. */
export type SecuritySchemes = Record<
  string,
  | { type: 'apiKey'; in: 'header'; name: string; description?: string }
  | { type: 'http'; scheme: 'bearer'; description?: string }
>;

function toResponse(def: ResponseDef): ResponseConfig {
  if (def.kind === 'empty') {
    return { description: def.description };
  }
  if (def.kind === 'sse') {
    // OpenAPI 3.1 has no per-item schema for streams; the union documents one `data:` payload.
    return {
      description: def.description,
      content: { 'text/event-stream': { schema: def.events } },
    };
  }
  const json = { 'application/json': { schema: def.schema } };
  if (def.stream === undefined) {
    return { description: def.description, content: json };
  }
  const stream = {
    schema: def.stream.events,
    ...(def.stream.terminator === undefined ? {} : { 'x-sse-terminator': def.stream.terminator }),
  };
  return { description: def.description, content: { ...json, 'text/event-stream': stream } };
}

export interface RegisterOptions {
  /**
   * Responses every operation with a JSON body gets, e.g. 415 where the HTTP kit refuses a
   * non-JSON content type (the processor kit reads any body as JSON, so its surface has none).
   */
  bodyResponses?: Readonly<Record<number, ResponseDef>>;
  /** Responses every operation gets, under its own (the server's refusals before routing). */
  anyRequestResponses?: Readonly<Record<number, ResponseDef>>;
  /** Tag name → description; every route must carry at least one, and only these. */
  tags?: Readonly<Record<string, string>>;
}

/**
 * A route answers 413 only if it declares a body: the HTTP kit reads no other route's body.
 * (Every route may answer 400: the server refuses a request without Host before routing.)
 */
function answerable(route: RouteDef, status: number): boolean {
  return status !== 413 || route.request?.body !== undefined;
}

function checkTags(route: RouteDef, tags: Readonly<Record<string, string>>): void {
  if (route.tags === undefined || route.tags.length === 0) {
    throw new Error(`${route.operationId}: every operation needs a tag`);
  }
  for (const tag of route.tags) {
    if (!(tag in tags)) {
      throw new Error(`${route.operationId}: tag ${tag} is not declared on its surface`);
    }
  }
}

/**
 * Turn route definitions into `registry.registerPath` calls and register the security schemes
 * they reference. Throws on a route naming an unknown scheme or tag, so a typo fails generation.
 */
export function registerRoutes(
  registry: OpenAPIRegistry,
  routes: Readonly<Record<string, RouteDef>>,
  securitySchemes: SecuritySchemes,
  options: RegisterOptions = {},
): void {
  for (const [name, scheme] of Object.entries(securitySchemes)) {
    registry.registerComponent('securitySchemes', name, scheme);
  }
  for (const route of Object.values(routes)) {
    if (route.security !== undefined && !(route.security in securitySchemes)) {
      throw new Error(`${route.operationId}: unknown security scheme ${route.security}`);
    }
    if (options.tags !== undefined) {
      checkTags(route, options.tags);
    }
    // A route's own declaration wins (/v1/chat/completions answers 415 in OpenAI's shape).
    const declared = {
      ...options.anyRequestResponses,
      ...(route.request?.body === undefined ? {} : options.bodyResponses),
      ...route.responses,
    };
    const responses: RouteConfig['responses'] = {};
    for (const [status, def] of Object.entries(declared)) {
      if (answerable(route, Number(status))) {
        responses[status] = toResponse(def);
      }
    }
    const req = route.request;
    registry.registerPath({
      method: route.method,
      path: route.path,
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description === undefined ? {} : { description: route.description }),
      ...(route.tags === undefined ? {} : { tags: [...route.tags] }),
      security: route.security === undefined ? [] : [{ [route.security]: [] }],
      request: {
        ...(req?.params === undefined ? {} : { params: req.params }),
        ...(req?.query === undefined ? {} : { query: req.query }),
        ...(req?.headers === undefined ? {} : { headers: req.headers }),
        ...(req?.body === undefined
          ? {}
          : {
              body: {
                // An optional body schema (POST /agents/{id}/start) may be left out: the kit
                // reads an empty body as missing and the schema accepts that.
                required: !req.body.safeParse(undefined).success,
                content: { 'application/json': { schema: req.body } },
              },
            }),
      },
      responses,
    });
  }
}

import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { ResponseDef, RouteDef } from '../common/route.js';

/** OpenAPI security scheme objects by name, e.g. `{ engineKey: { type: 'apiKey', … } }`. */
export type SecuritySchemes = Record<
  string,
  { type: 'apiKey'; in: 'header'; name: string; description?: string }
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
  return { description: def.description, content: { 'application/json': { schema: def.schema } } };
}

/**
 * Turn route definitions into `registry.registerPath` calls and register the security schemes
 * they reference. Throws on a route naming an unknown scheme, so a typo fails generation.
 */
export function registerRoutes(
  registry: OpenAPIRegistry,
  routes: Readonly<Record<string, RouteDef>>,
  securitySchemes: SecuritySchemes,
): void {
  for (const [name, scheme] of Object.entries(securitySchemes)) {
    registry.registerComponent('securitySchemes', name, scheme);
  }
  for (const route of Object.values(routes)) {
    if (route.security !== undefined && !(route.security in securitySchemes)) {
      throw new Error(`${route.operationId}: unknown security scheme ${route.security}`);
    }
    const responses: RouteConfig['responses'] = {};
    for (const [status, def] of Object.entries(route.responses)) {
      responses[status] = toResponse(def);
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
          : { body: { required: true, content: { 'application/json': { schema: req.body } } } }),
      },
      responses,
    });
  }
}

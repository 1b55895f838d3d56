import type { OpenApiDocument } from './surface.js';

type Components = NonNullable<OpenApiDocument['components']>;

/**
 * One document for a service that serves several surfaces (orchestratord: control + /v1 data):
 * the first's info and servers, every surface's paths and tags, and their components merged
 * (shared schemas such as ErrorCode are the same object in each, so either copy serves).
 */
export function mergeDocuments(
  first: OpenApiDocument,
  ...rest: OpenApiDocument[]
): OpenApiDocument {
  const components: Record<string, Record<string, unknown>> = {};
  const paths: Record<string, unknown> = {};
  const tags: NonNullable<OpenApiDocument['tags']> = [];
  for (const doc of [first, ...rest]) {
    Object.assign(paths, doc.paths);
    tags.push(...(doc.tags ?? []));
    for (const [kind, map] of Object.entries((doc.components ?? {}) as Components)) {
      components[kind] = { ...components[kind], ...(map as Record<string, unknown>) };
    }
  }
  return { ...first, paths: paths as OpenApiDocument['paths'], tags, components };
}

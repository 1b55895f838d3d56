/** One documented path (`/engines/{user_id}`) and the request paths it matches. */
export interface PathTemplate {
  template: string;
  pattern: RegExp;
  /** Templated segments; fewer wins when several templates match (`/engines/provision`). */
  params: number;
}

/**
 * Matches as the HTTP kit's router does (route-table.ts): raw path, any case, optional trailing
 * slash, a `{param}` is one non-empty segment. Answering like the router is the point: a request
 * the service routes to an operation is checked against that operation.
 */
export function pathTemplate(template: string): PathTemplate {
  const parts = template.split(/\{[^}]+\}/);
  const source = parts
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return { template, pattern: new RegExp(`^${source}/?$`, 'i'), params: parts.length - 1 };
}

/** The templates matching `path`, most literal first. */
export function matchingTemplates(
  templates: readonly PathTemplate[],
  path: string,
): PathTemplate[] {
  return templates.filter((t) => t.pattern.test(path)).sort((a, b) => a.params - b.params);
}

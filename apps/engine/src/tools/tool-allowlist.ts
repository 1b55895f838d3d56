/**
 * Whether `name` matches one of the gateway config's `tools.allowlist` patterns: an exact name,
 * a namespace wildcard `ns.*` (every tool under `ns.`, at any depth) or `*`. An empty list allows
 * nothing (the contract: "Empty = no tools at all").
 */
export function isToolAllowed(name: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    if (pattern === '*') {
      return true;
    }
    if (pattern.endsWith('.*')) {
      return name.startsWith(pattern.slice(0, -1));
    }
    return pattern === name;
  });
}

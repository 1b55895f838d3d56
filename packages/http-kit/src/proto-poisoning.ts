/**
 * Prototype poisoning in parsed JSON: `JSON.parse` turns a `"__proto__"` key into an own property,
 * which a later `Object.assign`, spread or deep merge copies onto an object's prototype; a
 * `constructor: {prototype: …}` pair reaches `Object.prototype` the same way through naive merges.
 * Refused like fastify's default (`onProtoPoisoning: 'error'`).
 */

// A key can be spelled with escapes (`"\u005f_proto__"`): any `\u` in the text forces the walk.
const SUSPECT = /__proto__|constructor|\\u/;

/**
 * The path (`['inputs', '__proto__']`) of the first `__proto__` key, or of the first `constructor`
 * key whose value has a `prototype` key, at any depth of `value`; undefined when there is none.
 * Pass the raw JSON `text` too and a text without a suspect token is cleared without a walk.
 * The walk is iterative, so a deeply nested body cannot overflow the stack.
 *
 * @example
 * const body = JSON.parse(text);
 * const path = protoPoisoningPath(body, text);
 * if (path !== undefined) refuse(`forbidden key at ${path.join('.')}`);
 */
export function protoPoisoningPath(
  value: unknown,
  text?: string,
): Array<string | number> | undefined {
  if (text !== undefined && !SUSPECT.test(text)) {
    return undefined;
  }
  // Each entry links to its parent instead of copying its path: a 1 MB body nested 500k deep
  // stays linear.
  const stack: Visit[] = [{ node: value, key: '', parent: undefined }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const node = visit.node;
    if (typeof node !== 'object' || node === null) {
      continue;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        stack.push({ node: node[i], key: i, parent: visit });
      }
      continue;
    }
    for (const key of Object.keys(node)) {
      const child: unknown = (node as Record<string, unknown>)[key];
      if (key === '__proto__') {
        return pathOf({ node: child, key, parent: visit });
      }
      if (
        key === 'constructor' &&
        typeof child === 'object' &&
        child !== null &&
        Object.hasOwn(child, 'prototype')
      ) {
        return [...pathOf({ node: child, key, parent: visit }), 'prototype'];
      }
      stack.push({ node: child, key, parent: visit });
    }
  }
  return undefined;
}

interface Visit {
  node: unknown;
  key: string | number;
  parent: Visit | undefined;
}

function pathOf(visit: Visit): Array<string | number> {
  const path: Array<string | number> = [];
  for (let v: Visit | undefined = visit; v?.parent !== undefined; v = v.parent) {
    path.push(v.key);
  }
  return path.reverse();
}

import type { StateSnapshot } from '../targets/fuzz-target.js';

function rowsOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** `field: before → after` for the members of two JSON object rows that differ. */
function changedFields(before: string, after: string): string {
  const a = JSON.parse(before) as unknown;
  const b = JSON.parse(after) as unknown;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return `${before.slice(0, 100)} → ${after.slice(0, 100)}`;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return [...new Set([...Object.keys(x), ...Object.keys(y)])]
    .filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k]))
    .map(
      (k) => `${k}: ${JSON.stringify(x[k])?.slice(0, 80)} → ${JSON.stringify(y[k])?.slice(0, 80)}`,
    )
    .join(', ');
}

/**
 * What differs between two snapshots, per named part (undefined when nothing does): rows added
 * or removed, and the first changed row, shortened.
 */
export function diffState(before: StateSnapshot, after: StateSnapshot): string | undefined {
  const parts: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = rowsOf(before[key]).map((r) => JSON.stringify(r));
    const b = rowsOf(after[key]).map((r) => JSON.stringify(r));
    if (a.join('\n') === b.join('\n')) {
      continue;
    }
    const kept = new Set(a);
    const added = b.filter((r) => !kept.has(r));
    const removed = a.length - (b.length - added.length);
    const gone = a.filter((r) => !new Set(b).has(r));
    const detail =
      added.length === 1 && gone.length === 1
        ? `, ${changedFields(gone[0] ?? '', added[0] ?? '')}`
        : added[0] === undefined
          ? ''
          : `, e.g. ${added[0].slice(0, 200)}`;
    parts.push(`${key}: ${added.length} new or changed, ${removed} gone${detail}`);
  }
  return parts.length === 0 ? undefined : parts.join('; ');
}

import { randomBytes } from 'node:crypto';

const PREFIXES = { agent: 'agt', run: 'run', extract: 'ext' } as const;
export type IdKind = keyof typeof PREFIXES;

/**
 * `agt_…`, `run_…`: a prefix that says what the id names (in logs, URLs, support threads), then
 * milliseconds in base 36 (sortable by creation) and 60 random bits.
 */
export function newId(kind: IdKind): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const random = randomBytes(8).readBigUInt64BE().toString(36).padStart(13, '0').slice(0, 12);
  return `${PREFIXES[kind]}_${time}${random}`;
}

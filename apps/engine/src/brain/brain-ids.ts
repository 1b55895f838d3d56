import { randomBytes } from 'node:crypto';

const PREFIXES = { conversation: 'conv', message: 'msg', turn: 'turn', memory: 'mem' } as const;
type BrainIdKind = keyof typeof PREFIXES;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
// One randomBytes call per 341 ids: a call per id cost ~3 µs, a tenth of a memory row's write.
let pool = Buffer.alloc(0);
let poolOffset = 0;

/**
 * `msg_` + 10 chars of millisecond time + 12 random chars (Crockford base32). Time first so ids
 * sort by creation in logs and in the database; 60 random bits make a same-millisecond clash in
 * one user's brain practically impossible. Matches the contracts' MessageId pattern.
 */
export function newBrainId(kind: BrainIdKind, now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD.charAt(t % 32) + time;
    t = Math.floor(t / 32);
  }
  if (poolOffset + 12 > pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  let rand = '';
  for (let i = poolOffset; i < poolOffset + 12; i++) {
    rand += CROCKFORD.charAt((pool[i] ?? 0) & 31);
  }
  poolOffset += 12;
  return `${PREFIXES[kind]}_${time}${rand}`;
}

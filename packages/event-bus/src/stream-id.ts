// Stream ids as Redis assigns them: `<ms>-<seq>`, both decimal integers. Both logs accept only
// full ids as positions, so a client's Last-Event-ID means the same thing on either.

const ID = /^(\d{1,16})-(\d{1,19})$/;

/** Thrown for a position that is not a `<ms>-<seq>` id (e.g. a forged Last-Event-ID). */
export class InvalidStreamIdError extends RangeError {
  override readonly name = 'InvalidStreamIdError';
  constructor(readonly id: string) {
    super(`Not a stream id (<ms>-<seq>): ${JSON.stringify(id.slice(0, 64))}`);
  }
}

export interface StreamId {
  ms: number;
  seq: bigint;
}

export function parseStreamId(id: string): StreamId {
  const match = ID.exec(id);
  if (match === null) {
    throw new InvalidStreamIdError(id);
  }
  const ms = Number(match[1]);
  if (!Number.isSafeInteger(ms)) {
    throw new InvalidStreamIdError(id);
  }
  return { ms, seq: BigInt(match[2] ?? '0') };
}

export function isStreamId(id: string): boolean {
  try {
    parseStreamId(id);
    return true;
  } catch {
    return false;
  }
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareStreamIds(a: string, b: string): number {
  const x = parseStreamId(a);
  const y = parseStreamId(b);
  if (x.ms !== y.ms) {
    return x.ms < y.ms ? -1 : 1;
  }
  return x.seq === y.seq ? 0 : x.seq < y.seq ? -1 : 1;
}

export function formatStreamId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

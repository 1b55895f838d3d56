import { randomBytes } from 'node:crypto';

/** 16 hex characters: short enough for identifiers, wide enough that parallel runs never collide. */
export function randomSuffix(): string {
  return randomBytes(8).toString('hex');
}

export interface BackoffPolicy {
  baseMs: number;
  factor: number;
  capMs: number;
  maxAttempts: number;
}

/** Delay before restart attempt `attempt` (1-based): base · factor^(attempt-1), capped. */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  return Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.max(0, attempt - 1));
}

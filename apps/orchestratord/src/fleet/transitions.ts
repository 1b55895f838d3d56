import type { EngineState, EngineStatus } from '@agentplane/contracts';
import { ApiError } from '@agentplane/http-kit';

/**
 * The lifecycle state machine. A row is born `provisioning` (the insert); `destroyed` is not a
 * status but the row's end: reached from `destroying` (a destroy's last step) or straight from
 * `provisioning` (a provision that failed or was abandoned; nothing outlived it). Every other
 * move is an IllegalTransition.
 */
const LEGAL: Record<EngineStatus, readonly EngineState[]> = {
  provisioning: ['running', 'failed', 'destroying', 'destroyed'],
  running: ['running', 'stopped', 'sleeping', 'failed', 'destroying'],
  sleeping: ['running', 'stopped', 'failed', 'destroying'],
  stopped: ['running', 'failed', 'destroying'],
  failed: ['running', 'stopped', 'failed', 'destroying'],
  destroying: ['destroying', 'destroyed'],
};

export function canTransition(from: EngineStatus, to: EngineState): boolean {
  return LEGAL[from].includes(to);
}

/** A move the table forbids: answered 409 INVALID_STATE, and nothing was written. */
export class IllegalTransition extends ApiError {
  readonly from: EngineStatus;
  readonly to: EngineState;
  constructor(from: EngineStatus, to: EngineState, action: string) {
    super({
      code: 'INVALID_STATE',
      message:
        from === to
          ? `The engine is already ${from}`
          : `Cannot ${action} an engine that is ${from}`,
      details: { status: from, action },
    });
    this.from = from;
    this.to = to;
  }
}

export function assertTransition(from: EngineStatus, to: EngineState, action: string): void {
  if (!canTransition(from, to)) {
    throw new IllegalTransition(from, to, action);
  }
}

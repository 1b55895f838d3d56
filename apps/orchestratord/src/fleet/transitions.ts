import type { EngineStatus } from '@agentplane/contracts';
import { ApiError } from '@agentplane/http-kit';

/** The lifecycle state machine: every other move is a 409 INVALID_STATE. */
const LEGAL: Record<EngineStatus, readonly EngineStatus[]> = {
  provisioning: ['running', 'failed', 'destroying'],
  running: ['running', 'stopped', 'sleeping', 'failed', 'destroying'],
  sleeping: ['running', 'stopped', 'failed', 'destroying'],
  stopped: ['running', 'failed', 'destroying'],
  failed: ['running', 'stopped', 'failed', 'destroying'],
  destroying: ['destroying'],
};

export function canTransition(from: EngineStatus, to: EngineStatus): boolean {
  return LEGAL[from].includes(to);
}

export function assertTransition(from: EngineStatus, to: EngineStatus, action: string): void {
  if (!canTransition(from, to)) {
    throw new ApiError({
      code: 'INVALID_STATE',
      message: `Cannot ${action} an engine that is ${from}`,
      details: { status: from, action },
    });
  }
}

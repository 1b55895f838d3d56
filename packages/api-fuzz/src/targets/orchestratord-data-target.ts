import { randomUUID } from 'node:crypto';
import { surfaceByName } from '@agentplane/contracts';
import { surfaceDocument } from '../openapi/api-document.js';
import type { FuzzTarget } from './fuzz-target.js';
import { call, FUZZ_USER, type FuzzFleet, startFleetTarget } from './orchestratord-fleet.js';
import { settledV1State, v1State } from './orchestratord-v1-state.js';

/** A TaskRequest for FUZZ_USER's running engine (a new task id each time). */
function taskRequest(sessionId: string) {
  return {
    task_id: randomUUID(),
    session_id: sessionId,
    user_id: FUZZ_USER,
    workload: 'completion',
    model_ref: 'default',
    engine: 'agentplane',
    ctx: 8192,
    priority: 'interactive',
    prompt: 'fuzz',
    max_tokens: 256,
    deadline_ms: 600_000,
  };
}

/** Submits a task in `sessionId` and reads its stream to the end; its id. */
async function runTask(fleet: FuzzFleet, sessionId: string): Promise<string> {
  const headers = { 'x-platform-key': fleet.platformKey };
  const body = taskRequest(sessionId);
  await call(fleet.base, '/v1/tasks', headers, body);
  const res = await fetch(`${fleet.base}/v1/tasks/${body.task_id}/stream`, {
    headers,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('event: end')) {
    throw new Error(`task ${body.task_id} did not end: ${res.status} ${text.slice(-300)}`);
  }
  return body.task_id;
}

/**
 * The /v1 task data plane on the fleet (startFleetTarget). Two tasks run to their end in set-up:
 * the first leaves a finished task (streamed; cancel and delete of it are no-ops) and a live
 * session (read), the second a session of its own for deleteSession. createTask aims at a new
 * task id in the live session. The process driver has one pool, FUZZ_USER's: drainPool names it
 * (no case is valid, so none drains it; a drain that went through shows in pool_drains).
 * State: tasks, sessions, pool drains and catalog entries (v1State).
 */
export function startOrchestratordDataTarget(): Promise<FuzzTarget> {
  return startFleetTarget('orch-data', async (fleet) => {
    const live = randomUUID();
    const spare = randomUUID();
    const finished = await runTask(fleet, live);
    await runTask(fleet, spare);
    const snapshot = v1State(fleet, [live, spare]);
    await settledV1State(snapshot);
    const pool = { path: { id: fleet.pool } };
    return {
      name: 'orchestratord-data',
      doc: surfaceDocument(surfaceByName('orchestratord-data')),
      credentials: { platformKey: fleet.platformKey, adminKey: fleet.adminKey },
      pathParams: { id: finished },
      overrides: {
        createTask: { body: taskRequest(live) },
        getSession: { path: { id: live } },
        deleteSession: { path: { id: spare } },
        getPoolHealth: pool,
        drainPool: { ...pool, body: { deadline_ms: 600_000 } },
        resumePool: pool,
        // The pool's engines already run the default image: a valid reload moves none.
        reloadPool: { ...pool, body: { new_model_ref: 'default' } },
        createChatCompletion: {
          body: {
            model: 'default',
            messages: [{ role: 'user', content: 'fuzz' }],
            user: FUZZ_USER,
          },
        },
      },
      snapshot,
    };
  });
}

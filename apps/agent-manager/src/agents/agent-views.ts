import type { AgentRunView, AgentStep, AgentSummary, AgentView } from '@agentplane/contracts';
import type { Kysely, Selectable } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { AgentsTable, Database, RunsTable, StepsTable } from '../db/schema.js';

type AgentRow = Selectable<AgentsTable>;
/** A row as selected, or as nested JSON (its timestamps then arrive as strings). */
type Row<T> = {
  [K in keyof T]: T[K] extends Date
    ? Date | string
    : T[K] extends Date | null
      ? Date | string | null
      : T[K];
};
type RunRow = Row<Selectable<RunsTable>>;
type StepRow = Row<Selectable<StepsTable>>;

const iso = (date: Date | string): string => new Date(date).toISOString();
const isoOrNull = (date: Date | string | null): string | null => (date === null ? null : iso(date));

export function toSummary(row: AgentRow): AgentSummary {
  return {
    agent_id: row.id,
    status: row.status,
    goal: row.goal,
    capabilities: row.capabilities,
    max_steps: row.max_steps,
    resources: row.resources,
    agent: row.agent,
    model: row.model,
    runs: row.run_count,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    usage: row.usage,
    error: row.error,
  };
}

export function toRunView(row: RunRow): AgentRunView {
  return {
    run_id: row.id,
    run_no: row.run_no,
    status: row.status,
    attempt: row.attempt,
    queued_at: iso(row.queued_at),
    started_at: isoOrNull(row.started_at),
    ended_at: isoOrNull(row.ended_at),
    output: row.output,
    stop_reason: row.stop_reason,
    cancelled_by: row.cancelled_by,
  };
}

export function toStep(row: StepRow): AgentStep {
  return {
    step_id: row.step_id,
    run_id: row.run_id,
    status: row.status,
    output: row.output,
    tool_calls: row.tool_calls,
    usage: row.usage,
    started_at: iso(row.started_at),
    duration_ms: row.duration_ms,
  };
}

export function toView(agent: AgentRow, run: RunRow | undefined, steps: StepRow[]): AgentView {
  return { ...toSummary(agent), run: run ? toRunView(run) : null, steps: steps.map(toStep) };
}

/** The agent with its current run and that run's steps, in one statement (a hot read). */
export async function selectView(
  db: Kysely<Database>,
  agentId: string,
): Promise<AgentView | undefined> {
  const row = await db
    .selectFrom('agents')
    .selectAll('agents')
    .select((eb) => [
      jsonObjectFrom(
        eb.selectFrom('runs').selectAll('runs').whereRef('runs.id', '=', 'agents.current_run_id'),
      ).as('current_run'),
      jsonArrayFrom(
        eb
          .selectFrom('steps')
          .selectAll('steps')
          .whereRef('steps.agent_id', '=', 'agents.id')
          .whereRef('steps.run_id', '=', 'agents.current_run_id')
          .orderBy('steps.step_id'),
      ).as('current_steps'),
    ])
    .where('agents.id', '=', agentId)
    .executeTakeFirst();
  if (!row) {
    return undefined;
  }
  const { current_run, current_steps, ...agent } = row;
  return toView(agent, current_run ?? undefined, current_steps);
}

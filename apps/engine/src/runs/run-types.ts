import type { Approve, LlmClient, ReasoningEffort, ToolRegistry } from '@agentplane/agent-loop';
import type {
  AgentDefinition,
  ExecuteRequestBody,
  GatewayConfig,
  ThreadCancelledEvent,
} from '@agentplane/contracts/engine';
import type { Logger, Metrics, ShutdownRegistry } from '@agentplane/http-kit';
import type { ConversationStore } from '../brain/conversation-store.js';
import type { RerunPoint } from '../brain/history-types.js';
import type { Catalog } from '../catalog/load-catalog.js';
import type { ConfigHolder } from '../gateway/config-holder.js';
import type { HitlEvent } from '../hitl/hitl-registry.js';
import type { EngineReadiness } from '../readiness.js';
import type { UsageStore } from '../usage/usage-store.js';
import type { EventLog } from './event-log.js';

export type CancelReason = ThreadCancelledEvent['reason'];

/** Events a run's collaborators (HITL) add to its stream; the log stamps the envelope. */
export type RunHostEvent = HitlEvent;

/** What tool and approver factories get about the run they serve. */
export interface RunContext {
  taskId: string;
  turnId: string;
  conversationId: string;
  /** Aborted when the run is cancelled (any reason). */
  signal: AbortSignal;
  log: Logger;
  /** Appends an event to the run's stream, in order with the loop's events. */
  emit(event: RunHostEvent): void;
}

/** Collaborators of the run manager; the tools and the approver are injected by the lead's wiring. */
export interface RunDeps {
  logger: Logger;
  metrics: Metrics;
  shutdown: ShutdownRegistry;
  readiness: EngineReadiness;
  gateway: ConfigHolder;
  /** Absent when the brain did not open (→ 503 NOT_READY). */
  conversations: ConversationStore | undefined;
  usage: UsageStore | undefined;
  /** Absent when the catalog did not load (→ 503 NOT_READY). */
  catalog: Catalog | undefined;
  /** Chosen once at start-up (agent-loop `selectLlm`). */
  llm: LlmClient;
  /** The tools one run may use; default none. Called once per run, with the run's config. */
  tools?: (config: GatewayConfig, agent: AgentDefinition, ctx: RunContext) => ToolRegistry;
  /** Decides tool calls that need approval (HITL); absent = such calls are denied. */
  approver?: (ctx: RunContext) => Approve;
  /** Finished turns stay replayable this long (ms). */
  replayTtlMs: number;
  /** At most this many finished turns are kept for replay (oldest dropped first). */
  maxFinishedRuns: number;
  /** Interval of the `heartbeat` event while a turn runs. */
  heartbeatMs: number;
  /** Events a turn may stream before it ends with EVENT_LIMIT (ENGINE_MAX_EVENTS_PER_TURN). */
  maxEventsPerTurn: number;
  /** Parse every event with EngineEvent before it is stored (tests, development). */
  validateEvents?: boolean;
}

/** Everything a turn needs, fixed when the request is accepted. */
export interface RunPlan {
  body: ExecuteRequestBody;
  conversationId: string;
  turnId: string;
  /** Pre-minted so thread.started can name it before the turn is written. */
  userMessageId: string;
  /** The gateway config taken once at the start; a later set_config does not affect this run. */
  config: GatewayConfig;
  agent: AgentDefinition;
  model: string;
  reasoningEffort: ReasoningEffort | undefined;
  maxTurns: number;
  /** performance.now() when the request arrived (time-to-first-event/token). */
  receivedAt: number;
  /** The edit/retry re-run point, when it was written before the stream opened. */
  rerun?: RerunPoint;
}

/** A registered turn: running, or queued behind another turn of its conversation. */
export interface Run {
  readonly plan: RunPlan;
  readonly log: EventLog;
  /** Aborts the run (a queued run ends at once, writing nothing); false if already over. */
  cancel(reason: CancelReason): boolean;
  /** Resolves when the terminal event is in the log and the turn is stored. */
  readonly done: Promise<void>;
}

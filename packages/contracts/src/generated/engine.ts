// generated — do not edit. Source: contracts/openapi/engine.yaml; run `pnpm gen`.

export interface paths {
    "/execute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run one agent turn and stream its events
         * @description One task_id runs at most one turn at a time (409 TASK_BUSY); another turn of the same conversation in flight follows multitask_strategy. Quotas are checked before the stream opens (429). A dropped client does not lose the turn unless on_disconnect is `cancel`; reconnect with GET /execute/replay?task_id=… and Last-Event-ID (or `after`).
         */
        post: operations["execute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/execute/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Replay (and follow) the events of a task’s turn
         * @description Streams the buffered events of the task’s latest turn (or `turn_id`) with seq greater than Last-Event-ID (or `after`; default 0 = all), then follows it live until its terminal event. Heartbeats are not replayed. A turn stays buffered for ENGINE_REPLAY_TTL_S (default 300 s) after its terminal event.
         */
        get: operations["replayExecution"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/execute/{task_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel the running turn of a task
         * @description The turn ends with thread.cancelled (reason cancel_request).
         */
        post: operations["cancelExecution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness of the engine and its subsystems
         * @description No auth. 200 only when status is `ok`; 503 with the same body otherwise.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hitl/pending": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tool calls waiting for a human decision */
        get: operations["listHitlPending"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hitl/respond": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve or deny paused tool calls */
        post: operations["respondHitl"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rpc": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Control and telemetry operations, dispatched on subsystem + op */
        post: operations["rpc"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        CacheState: {
            enabled: boolean;
            calls: number;
            input_tokens: number;
            cache_hit_tokens: number;
            /** @description cache_hit_tokens / input_tokens; 0 if none */
            hit_ratio: number;
            /** Format: date-time */
            since: string;
        };
        CacheStateRpc: {
            /** @enum {string} */
            subsystem: "telemetry";
            /** @enum {string} */
            op: "cache_state";
        };
        CancelResponseBody: {
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @enum {string} */
            status: "cancelling" | "already_finished";
        };
        ConfigState: {
            config: components["schemas"]["GatewayConfig"];
            /** @description Increments on every successful swap */
            generation: number;
            /** @enum {string} */
            source: "default" | "file" | "rpc";
            /** Format: date-time */
            applied_at: string;
        };
        /** @description One event of a /execute stream: SSE `event:` = `event`, `id:` = `seq`, `data:` = this object as JSON. Order: first `thread.started`; then any data events (text_delta, thinking_delta, tool_call, tool_result, usage, heartbeat, hitl_*, error), where a tool_call precedes its tool_result and a hitl_request precedes its hitl_resolved or hitl_expired; last exactly one terminal event (thread.completed | thread.errored | thread.cancelled), after which the stream closes. `error` is not terminal. Requests rejected before the turn starts get an HTTP error status instead of a stream. Clients must ignore event names they do not know (new event types are minor additions). */
        EngineEvent: components["schemas"]["ThreadStartedEvent"] | components["schemas"]["TextDeltaEvent"] | components["schemas"]["ThinkingDeltaEvent"] | components["schemas"]["ToolCallEvent"] | components["schemas"]["ToolResultEvent"] | components["schemas"]["UsageEvent"] | components["schemas"]["HeartbeatEvent"] | components["schemas"]["HitlRequestEvent"] | components["schemas"]["HitlResolvedEvent"] | components["schemas"]["HitlExpiredEvent"] | components["schemas"]["ErrorEvent"] | components["schemas"]["ThreadCompletedEvent"] | components["schemas"]["ThreadErroredEvent"] | components["schemas"]["ThreadCancelledEvent"];
        /** @enum {string} */
        ErrorCode: "VALIDATION_ERROR" | "MALFORMED_JSON" | "MALFORMED_REQUEST" | "UNSUPPORTED_MEDIA_TYPE" | "UNAUTHORIZED" | "FORBIDDEN" | "CAPABILITY_DENIED" | "SOURCE_NOT_ALLOWED" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "CONFLICT" | "IDEMPOTENCY_MISMATCH" | "TOOL_FAILED" | "RESOURCE_LIMIT" | "INVALID_STATE" | "TASK_BUSY" | "REQUEST_TIMEOUT" | "PAYLOAD_TOO_LARGE" | "HEADERS_TOO_LARGE" | "RATE_LIMITED" | "QUOTA_EXCEEDED" | "UNKNOWN_OPERATION" | "CONFIG_INVALID" | "NOT_READY" | "BOOT_TIMEOUT" | "IMAGE_NOT_FOUND" | "DRIVER_ERROR" | "PORT_EXHAUSTION" | "UPSTREAM_ERROR" | "UPSTREAM_TIMEOUT" | "SERVICE_UNAVAILABLE" | "INTERNAL_ERROR" | "INVALID_PARAMS" | "DEADLINE_UNMET" | "ADMISSION_REJECT" | "QUEUE_FULL_DROP_LRU" | "POOL_UNREADY" | "POOL_UNAVAILABLE" | "REPLICA_EXHAUSTED" | "DECODE_TIMEOUT" | "WORKER_RESET" | "INTERNAL" | "MODEL_DEPRECATED" | "UNTRUSTED_ARTIFACT";
        ErrorEnvelope: {
            error: {
                code: components["schemas"]["ErrorCode"];
                message: string;
                correlation_id: string;
                details?: unknown;
            };
        };
        ErrorEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "error";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
            code: components["schemas"]["StreamErrorCode"];
            message: string;
            /** @description Whether the engine retries (true) or gives up on this step */
            retriable: boolean;
        };
        GatewayConfig: {
            /**
             * @description Schema version of this file
             * @default 1
             * @enum {number}
             */
            version: 1;
            models: components["schemas"]["GatewayModels"];
            super_thinking: components["schemas"]["GatewaySuperThinking"];
            quotas: components["schemas"]["GatewayQuotas"];
            tools: components["schemas"]["GatewayTools"];
            prompt_cache: components["schemas"]["GatewayPromptCache"];
            http_fetch: components["schemas"]["GatewayHttpFetch"];
        };
        /** @default {} */
        GatewayHttpFetch: {
            /**
             * @description Empty = http.fetch denied
             * @default []
             */
            allowed_hosts: string[];
            /** @default 1000000 */
            max_response_bytes: number;
            /** @default 10000 */
            timeout_ms: number;
        };
        /** @default {} */
        GatewayModels: {
            /** @default mock */
            default: string;
            /** @description Planning sub-steps; falls back to `default` */
            planner?: string;
            /** @description Compaction and summaries; falls back to `default` */
            light?: string;
            /**
             * @description Tried in order when a call fails
             * @default []
             */
            fallback: string[];
        };
        /** @default {} */
        GatewayPromptCache: {
            /** @default true */
            enabled: boolean;
            /**
             * @description Shorter prefixes are not marked
             * @default 1024
             */
            min_prefix_tokens: number;
        };
        /** @default {} */
        GatewayQuotas: {
            /**
             * @description null = unlimited
             * @default null
             */
            tokens_per_day: number | null;
            /**
             * @description null = unlimited
             * @default null
             */
            requests_per_minute: number | null;
        };
        /** @default {} */
        GatewaySuperThinking: {
            /** @description Model used when super_thinking is on; default `default` */
            model?: string;
            /**
             * @default high
             * @enum {string}
             */
            reasoning_effort: "low" | "medium" | "high";
            max_thinking_tokens?: number;
        };
        /** @default {} */
        GatewayTools: {
            /**
             * @description Empty = no tools at all
             * @default [
             *       "*"
             *     ]
             */
            allowlist: string[];
        };
        GetConfigRpc: {
            /** @enum {string} */
            subsystem: "control";
            /** @enum {string} */
            op: "get_config";
        };
        HealthResponseBody: {
            status: components["schemas"]["HealthStatus"];
            uptime_seconds: number;
            /** @description Engine version (semver) */
            version?: string;
            /** @description Every subsystem the engine needs to serve /execute; more may be added */
            subsystems: {
                brain: components["schemas"]["SubsystemHealth"];
                migrations: components["schemas"]["SubsystemHealth"];
                catalog: components["schemas"]["SubsystemHealth"];
            } & {
                [key: string]: components["schemas"]["SubsystemHealth"];
            };
        };
        /**
         * @description `ok`: ready for /execute. `starting`: booting (brain, migrations, catalog). `degraded`: up but a subsystem failed. `draining`: SIGTERM received, in-flight turns finishing.
         * @enum {string}
         */
        HealthStatus: "ok" | "degraded" | "starting" | "draining";
        HeartbeatEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "heartbeat";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
        };
        /** @enum {string} */
        HitlDecision: "approve" | "deny";
        HitlExpiredEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "hitl_expired";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
            request_id: string;
        };
        HitlPendingRequest: {
            request_id: string;
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            tool: string;
            arguments: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            created_at: string;
            /**
             * Format: date-time
             * @description After this the call is denied and hitl_expired sent
             */
            expires_at: string;
        };
        HitlPendingResponseBody: {
            pending: components["schemas"]["HitlPendingRequest"][];
        };
        HitlRequestEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "hitl_request";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
            request_id: string;
            tool_call_id: string;
            tool: string;
            arguments: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            expires_at: string;
        };
        HitlResolvedEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "hitl_resolved";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
            request_id: string;
            /** @enum {string} */
            decision: "approve" | "deny";
            reason?: string;
        };
        HitlRespondRequestBody: {
            responses: components["schemas"]["HitlResponse"][];
        };
        HitlRespondResponseBody: {
            results: components["schemas"]["HitlRespondResult"][];
        };
        HitlRespondResult: {
            request_id: string;
            /** @enum {string} */
            status: "resolved" | "not_found" | "expired" | "already_resolved";
        };
        HitlResponse: {
            request_id: string;
            decision: components["schemas"]["HitlDecision"];
            /** @description Given to the model on deny */
            reason?: string;
        };
        KeyHash: string;
        KeyHashesResult: {
            accepted_hashes: number;
        };
        /** @description An attachment: exactly one of `url` or `data`. */
        MediaItem: {
            /** @enum {string} */
            type: "image" | "pdf" | "audio" | "video" | "file";
            mime_type: string;
            /** Format: uri */
            url?: string;
            /** @description Base64, no data: prefix */
            data?: string;
            name?: string;
        };
        /** @description Id of the stored user message (for edit/retry) */
        MessageId: string;
        /**
         * @description What a new turn does while another turn of the same conversation is in flight: `reject` (default): 409 TASK_BUSY; `enqueue`: the stream opens at once and the turn starts when the running one (and any queued before it) has finished; `interrupt`: the running turn ends with thread.cancelled (reason `interrupted`), its partial output kept in the history and marked interrupted, then this turn runs.
         * @default reject
         * @enum {string}
         */
        MultitaskStrategy: "reject" | "enqueue" | "interrupt";
        /**
         * @description `continue` (default): a dropped client does not stop the turn; its events stay replayable. `cancel`: the turn is cancelled and ends with thread.cancelled.
         * @default continue
         * @enum {string}
         */
        OnDisconnect: "continue" | "cancel";
        QuotaState: {
            /**
             * Format: date
             * @description UTC day the token counter covers
             */
            day: string;
            tokens_used: number;
            tokens_per_day: number | null;
            requests_last_minute: number;
            requests_per_minute: number | null;
            /** Format: date-time */
            resets_at: string;
        };
        QuotaStateRpc: {
            /** @enum {string} */
            subsystem: "telemetry";
            /** @enum {string} */
            op: "quota_state";
        };
        /** @description Re-read the gateway config file; on a parse/validation error the active config stays. */
        ReloadRpc: {
            /** @enum {string} */
            subsystem: "control";
            /** @enum {string} */
            op: "reload";
        };
        RpcResponseBody: {
            /** @enum {string} */
            subsystem: "control";
            /** @enum {string} */
            op: "set_config";
            result: components["schemas"]["ConfigState"];
        } | {
            /** @enum {string} */
            subsystem: "control";
            /** @enum {string} */
            op: "get_config";
            result: components["schemas"]["ConfigState"];
        } | {
            /** @enum {string} */
            subsystem: "control";
            /** @enum {string} */
            op: "reload";
            result: components["schemas"]["ConfigState"];
        } | {
            /** @enum {string} */
            subsystem: "control";
            /** @enum {string} */
            op: "set_key_hashes";
            result: components["schemas"]["KeyHashesResult"];
        } | {
            /** @enum {string} */
            subsystem: "telemetry";
            /** @enum {string} */
            op: "quota_state";
            result: components["schemas"]["QuotaState"];
        } | {
            /** @enum {string} */
            subsystem: "telemetry";
            /** @enum {string} */
            op: "cache_state";
            result: components["schemas"]["CacheState"];
        };
        /** @description Replace the set of accepted X-Engine-Key hashes (key rotation: send old and new, later only new). Every hash in the set is accepted. The engine persists the set under /data so a restart keeps it; ENGINE_KEY_HASH only seeds it when nothing is stored. */
        SetKeyHashesRpc: {
            /** @enum {string} */
            subsystem: "control";
            /** @enum {string} */
            op: "set_key_hashes";
            hashes: components["schemas"]["KeyHash"][];
        };
        /** @enum {string} */
        StreamErrorCode: "LLM_ERROR" | "LLM_RATE_LIMITED" | "LLM_TIMEOUT" | "TOOL_ERROR" | "TOOL_TIMEOUT" | "TOOL_DENIED" | "CONTEXT_OVERFLOW" | "QUOTA_EXCEEDED" | "SHUTTING_DOWN" | "EVENT_LIMIT" | "INTERNAL_ERROR";
        SubsystemHealth: {
            ok: boolean;
            /** @description Why it is not ok; never contains secrets */
            detail?: string;
        };
        /** @example task_01J9Z3X4M5 */
        TaskId: string;
        TextDeltaEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "text_delta";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
            text: string;
        };
        ThinkingDeltaEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "thinking_delta";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
            text: string;
        };
        ThreadCancelledEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "thread.cancelled";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
            /**
             * @description `interrupted`: a newer turn of the conversation took over (multitask interrupt)
             * @enum {string}
             */
            reason: "client_disconnect" | "cancel_request" | "shutdown" | "interrupted";
        };
        ThreadCompletedEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "thread.completed";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
            /** @enum {string} */
            stop_reason: "end_turn" | "max_turns";
            assistant_message_id: components["schemas"]["MessageId"];
            usage: components["schemas"]["TokenUsage"];
            duration_ms: number;
        };
        ThreadErroredEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "thread.errored";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
            code: components["schemas"]["StreamErrorCode"];
            message: string;
            /** @description Whether re-sending the same request may succeed */
            retriable: boolean;
        };
        ThreadStartedEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "thread.started";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
            agent: string;
            model: string;
            user_message_id: components["schemas"]["MessageId"];
            /** Format: date-time */
            started_at: string;
        };
        /** @description Sum over the turn */
        TokenUsage: {
            input_tokens: number;
            output_tokens: number;
            /** @description Part of input_tokens billed at cache rate */
            cache_hit_tokens: number;
        };
        ToolCallEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "tool_call";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
            tool_call_id: string;
            tool: string;
            arguments: {
                [key: string]: unknown;
            };
        };
        ToolResultEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "tool_result";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
            tool_call_id: string;
            tool: string;
            /** @description The tool output given to the model (absent on error) */
            output?: unknown;
            /** @default null */
            error: {
                code: components["schemas"]["StreamErrorCode"];
                message: string;
            } | null;
            duration_ms: number;
        };
        UsageEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "usage";
            task_id: components["schemas"]["TaskId"];
            turn_id: string;
            /** @description Strictly increasing within a turn, starting at 1 */
            seq: number;
            model: string;
            input_tokens: number;
            output_tokens: number;
            /** @description Part of input_tokens billed at cache rate */
            cache_hit_tokens: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    execute: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    message: string;
                    task_id: components["schemas"]["TaskId"];
                    /**
                     * @description Model calls allowed in this turn
                     * @default 50
                     */
                    max_turns?: number;
                    /**
                     * @description Extended thinking (gateway super_thinking)
                     * @default false
                     */
                    super_thinking?: boolean;
                    /** @default [] */
                    media?: components["schemas"]["MediaItem"][];
                    /**
                     * @description No tools and no planning: one model call
                     * @default false
                     */
                    direct?: boolean;
                    /**
                     * @description Replace that user message with `message`; later history is dropped, then re-run
                     * @default null
                     */
                    edit_message_id?: string | null;
                    /**
                     * @description Keep history; re-run the turn from that message with the state it had then
                     * @default null
                     */
                    retry_message_id?: string | null;
                    on_disconnect?: components["schemas"]["OnDisconnect"];
                    multitask_strategy?: components["schemas"]["MultitaskStrategy"];
                    /** @description The conversation (history) this turn continues; default: task_id. Several task_ids may share one conversation; multitask_strategy says what happens when one is in flight. */
                    conversation_id?: string;
                    /** @description Catalog agent id (e.g. `researcher`); the default agent when absent */
                    agent?: string;
                };
            };
        };
        responses: {
            /** @description The turn as a text/event-stream of EngineEvent, ending with one terminal event */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["EngineEvent"];
                };
            };
            /** @description The request is malformed or fails validation (VALIDATION_ERROR, MALFORMED_JSON, MALFORMED_REQUEST) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description edit_message_id, retry_message_id or agent does not exist (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description A turn of this task_id is running or queued, or (multitask_strategy `reject`) one of the same conversation is (TASK_BUSY); or the edited/retried message was superseded (CONFLICT) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The body is over the size limit (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The body is not sent as application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Gateway quota or rate limit reached (QUOTA_EXCEEDED, RATE_LIMITED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL_ERROR); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Booting or draining (NOT_READY); retry after /health is ok */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    replayExecution: {
        parameters: {
            query: {
                task_id: components["schemas"]["TaskId"];
                /** @description The turn to replay; default: latest */
                turn_id?: string;
                /** @description Replay only events whose seq is greater than this (Last-Event-ID wins when both are sent); default 0: everything buffered */
                after?: string;
            };
            header?: {
                /** @description Replay only events whose seq is greater than this */
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The turn as a text/event-stream of EngineEvent, ending with one terminal event */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["EngineEvent"];
                };
            };
            /** @description The request is malformed or fails validation (VALIDATION_ERROR, MALFORMED_JSON, MALFORMED_REQUEST) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description No buffered turn for this task (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL_ERROR); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    cancelExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: components["schemas"]["TaskId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancellation requested or already over */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelResponseBody"];
                };
            };
            /** @description The request is malformed or fails validation (VALIDATION_ERROR, MALFORMED_JSON, MALFORMED_REQUEST) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description No turn known for this task (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL_ERROR); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to serve /execute */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponseBody"];
                };
            };
            /** @description The request is not valid HTTP or has no Host header (MALFORMED_REQUEST) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL_ERROR); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Not ready; `subsystems` says which part */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponseBody"];
                };
            };
        };
    };
    listHitlPending: {
        parameters: {
            query?: {
                /** @description Only this task; all tasks when absent */
                task_id?: components["schemas"]["TaskId"] & unknown;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Open requests, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HitlPendingResponseBody"];
                };
            };
            /** @description The request is malformed or fails validation (VALIDATION_ERROR, MALFORMED_JSON, MALFORMED_REQUEST) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL_ERROR); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    respondHitl: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HitlRespondRequestBody"];
            };
        };
        responses: {
            /** @description One result per response, in order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HitlRespondResponseBody"];
                };
            };
            /** @description The request is malformed or fails validation (VALIDATION_ERROR, MALFORMED_JSON, MALFORMED_REQUEST) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The body is over the size limit (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The body is not sent as application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL_ERROR); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    rpc: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    subsystem: "control";
                    /** @enum {string} */
                    op: "set_config";
                    config: {
                        /**
                         * @description Schema version of this file
                         * @default 1
                         * @enum {number}
                         */
                        version?: 1;
                        /** @default {} */
                        models?: {
                            /** @default mock */
                            default?: string;
                            /** @description Planning sub-steps; falls back to `default` */
                            planner?: string;
                            /** @description Compaction and summaries; falls back to `default` */
                            light?: string;
                            /**
                             * @description Tried in order when a call fails
                             * @default []
                             */
                            fallback?: string[];
                        };
                        /** @default {} */
                        super_thinking?: {
                            /** @description Model used when super_thinking is on; default `default` */
                            model?: string;
                            /**
                             * @default high
                             * @enum {string}
                             */
                            reasoning_effort?: "low" | "medium" | "high";
                            max_thinking_tokens?: number;
                        };
                        /** @default {} */
                        quotas?: {
                            /**
                             * @description null = unlimited
                             * @default null
                             */
                            tokens_per_day?: number | null;
                            /**
                             * @description null = unlimited
                             * @default null
                             */
                            requests_per_minute?: number | null;
                        };
                        /** @default {} */
                        tools?: {
                            /**
                             * @description Empty = no tools at all
                             * @default [
                             *       "*"
                             *     ]
                             */
                            allowlist?: string[];
                        };
                        /** @default {} */
                        prompt_cache?: {
                            /** @default true */
                            enabled?: boolean;
                            /**
                             * @description Shorter prefixes are not marked
                             * @default 1024
                             */
                            min_prefix_tokens?: number;
                        };
                        /** @default {} */
                        http_fetch?: {
                            /**
                             * @description Empty = http.fetch denied
                             * @default []
                             */
                            allowed_hosts?: string[];
                            /** @default 1000000 */
                            max_response_bytes?: number;
                            /** @default 10000 */
                            timeout_ms?: number;
                        };
                    };
                } | components["schemas"]["GetConfigRpc"] | components["schemas"]["ReloadRpc"] | components["schemas"]["SetKeyHashesRpc"] | components["schemas"]["QuotaStateRpc"] | components["schemas"]["CacheStateRpc"];
            };
        };
        responses: {
            /** @description The op’s result */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RpcResponseBody"];
                };
            };
            /** @description Invalid params (VALIDATION_ERROR) or unknown subsystem/op (UNKNOWN_OPERATION) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The body is over the size limit (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The body is not sent as application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description reload: the config file is unreadable or invalid (CONFIG_INVALID) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL_ERROR); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Booting or draining (NOT_READY); retry after /health is ok */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
}

// generated — do not edit. Source: contracts/openapi/orchestratord-data.yaml; run `pnpm gen`.

export interface paths {
    "/v1/chat/completions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * OpenAI-compatible chat completion: one turn on the user’s engine, through the queue
         * @description Admitted as an interactive task (the same queue, limits and metrics as POST /v1/tasks), then answered from the task’s log. X-Platform-Key, or `Authorization: Bearer <platform key>` (an OpenAI SDK’s apiKey). With `stream: true` the 200 is `text/event-stream`: `data:` lines of ChatCompletionChunk (the first with role assistant, the last with finish_reason; with stream_options.include_usage one more without choices carrying usage), then `data: [DONE]`; a failure mid-stream is one `data:` ChatErrorEnvelope and the end. A client that disconnects (streamed or not) cancels the task.
         */
        post: operations["createChatCompletion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pools/{id}/drain": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop admitting to the pool; in-flight tasks finish until deadline_ms, then are cancelled (and queued ones fail with POOL_UNAVAILABLE) */
        post: operations["drainPool"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pools/{id}/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pool health and readiness */
        get: operations["getPoolHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pools/{id}/reload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rolling upgrade: move the pool’s engines to another catalog image, one at a time, each brain kept; atomic (an engine that does not come up rolls the pool back: 409) */
        post: operations["reloadPool"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pools/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End a drain: the pool admits and dispatches again (beyond llama-orch) */
        post: operations["resumePool"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A session’s TTL, turns and budgets */
        get: operations["getSession"];
        put?: never;
        post?: never;
        /** End a session (idempotent); its engine conversation is kept in the brain */
        delete: operations["deleteSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enqueue a task (one agent turn on the user’s engine) */
        post: operations["createTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Cancel a queued or running task (idempotent; the seed’s wording) */
        delete: operations["deleteTask"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a queued or running task (idempotent; llama-orch v1) */
        post: operations["cancelTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The task’s events as SSE, from the start or after Last-Event-ID */
        get: operations["streamTask"];
        put?: never;
        post?: never;
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
        AdmissionResponse: {
            /** Format: uuid */
            task_id: string;
            /** @description Tasks of the pool dispatched before this one */
            queue_position: number;
            predicted_start_ms: number;
            backoff_ms: number;
            streams: components["schemas"]["StreamsLinks"];
            preparation?: {
                steps: components["schemas"]["PreparationStep"][];
            };
        };
        ChatCompletion: {
            /** @description `chatcmpl-<task_id>`: GET /v1/tasks/{id}/stream replays */
            id: string;
            /** @enum {string} */
            object: "chat.completion";
            /** @description Unix seconds */
            created: number;
            model: string;
            choices: {
                index: number;
                message: {
                    /** @enum {string} */
                    role: "assistant";
                    content: string;
                    refusal: null;
                };
                finish_reason: components["schemas"]["ChatFinishReason"];
                logprobs: null;
            }[];
            usage: components["schemas"]["ChatCompletionUsage"];
        };
        ChatCompletionChunk: {
            /** @description `chatcmpl-<task_id>`: GET /v1/tasks/{id}/stream replays */
            id: string;
            /** @enum {string} */
            object: "chat.completion.chunk";
            created: number;
            model: string;
            choices: {
                index: number;
                delta: {
                    /**
                     * @description On the first chunk only
                     * @enum {string}
                     */
                    role?: "assistant";
                    content?: string;
                };
                finish_reason: components["schemas"]["ChatFinishReason"] | null;
                logprobs: null;
            }[];
            /** @description With stream_options.include_usage: null, then a last chunk without choices */
            usage?: {
                /** @description Input tokens the engine reported (0 if none) */
                prompt_tokens: number;
                /** @description Tokens streamed (the task’s tokens_out) */
                completion_tokens: number;
                total_tokens: number;
            } | null;
        };
        /** @description Other OpenAI fields (temperature, top_p, stop, tools, …) are accepted and ignored: the engine’s own gateway config and tools decide them. */
        ChatCompletionRequest: {
            /** @description `default` (the pool’s engine image) or the engine image, as TaskRequest.model_ref */
            model: string;
            /** @description The last must be the user’s. With X-Session-Id the engine already holds the earlier turns and only the last is sent; on a new session the earlier ones go before it, labelled by role */
            messages: components["schemas"]["ChatMessage"][];
            /** @description The end user whose engine runs the turn (TaskRequest.user_id); required */
            user: string;
            stream?: boolean | null;
            stream_options?: {
                include_usage?: boolean;
            } | null;
            /** @description Tokens the turn may stream (default 4096); finish_reason length at it */
            max_tokens?: number | null;
            /** @description The same as max_tokens; wins when both are sent */
            max_completion_tokens?: number | null;
            seed?: number | null;
            /** @enum {number|null} */
            n?: 1 | null;
        };
        ChatCompletionStreamData: components["schemas"]["ChatCompletionChunk"] | components["schemas"]["ChatErrorEnvelope"];
        ChatCompletionUsage: {
            /** @description Input tokens the engine reported (0 if none) */
            prompt_tokens: number;
            /** @description Tokens streamed (the task’s tokens_out) */
            completion_tokens: number;
            total_tokens: number;
        };
        ChatErrorEnvelope: {
            error: {
                message: string;
                type: components["schemas"]["ChatErrorType"];
                /** @description Our ErrorCode, lower-cased (e.g. admission_reject) */
                code: string;
                /** @description The first invalid field (messages.0.role), or null */
                param: string | null;
                correlation_id: string;
                retry_after_ms?: number;
            };
        };
        /** @enum {string} */
        ChatErrorType: "invalid_request_error" | "authentication_error" | "permission_error" | "rate_limit_error" | "server_error";
        /**
         * @description length: max_tokens (or the agent’s max_turns)
         * @enum {string}
         */
        ChatFinishReason: "stop" | "length";
        ChatMessage: {
            /** @enum {string} */
            role: "system" | "user" | "assistant";
            content: string | components["schemas"]["ChatTextPart"][];
            name?: string;
        };
        ChatTextPart: {
            /** @enum {string} */
            type: "text";
            text: string;
        };
        DataErrorEnvelope: {
            code: components["schemas"]["ErrorCode"];
            message: string;
            correlation_id: string;
            engine?: string;
            retriable?: boolean;
            retry_after_ms?: number;
            /** @enum {string} */
            policy_label?: "reject" | "drop-lru";
            details?: unknown;
        };
        DrainRequest: {
            deadline_ms: number;
        };
        /** @enum {string} */
        ErrorCode: "VALIDATION_ERROR" | "MALFORMED_JSON" | "MALFORMED_REQUEST" | "UNSUPPORTED_MEDIA_TYPE" | "UNAUTHORIZED" | "FORBIDDEN" | "CAPABILITY_DENIED" | "SOURCE_NOT_ALLOWED" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "CONFLICT" | "IDEMPOTENCY_MISMATCH" | "TOOL_FAILED" | "RESOURCE_LIMIT" | "INVALID_STATE" | "TASK_BUSY" | "REQUEST_TIMEOUT" | "PAYLOAD_TOO_LARGE" | "HEADERS_TOO_LARGE" | "RATE_LIMITED" | "QUOTA_EXCEEDED" | "UNKNOWN_OPERATION" | "CONFIG_INVALID" | "NOT_READY" | "BOOT_TIMEOUT" | "IMAGE_NOT_FOUND" | "DRIVER_ERROR" | "PORT_EXHAUSTION" | "UPSTREAM_ERROR" | "UPSTREAM_TIMEOUT" | "SERVICE_UNAVAILABLE" | "INTERNAL_ERROR" | "INVALID_PARAMS" | "DEADLINE_UNMET" | "ADMISSION_REJECT" | "QUEUE_FULL_DROP_LRU" | "POOL_UNREADY" | "POOL_UNAVAILABLE" | "REPLICA_EXHAUSTED" | "DECODE_TIMEOUT" | "WORKER_RESET" | "INTERNAL" | "MODEL_DEPRECATED" | "UNTRUSTED_ARTIFACT";
        PlacementOverrides: {
            /** @enum {string} */
            mode?: "pin" | "prefer" | "auto";
            pin_pool_id?: string;
            prefer_pools?: string[];
            avoid_pools?: string[];
            require_device_mask?: string;
            allow_fallback?: boolean;
        };
        PoolHealth: {
            live: boolean;
            /** @description Live, not draining, and its driver answers */
            ready: boolean;
            draining: boolean;
            /** @description While draining: time left before in-flight tasks are cancelled */
            drain_deadline_ms?: number;
            metrics: {
                queue_depth: number;
                /** @description Running engines in the pool */
                engines: number;
                /** @description Dispatch slots free on this replica */
                slots_free: number;
            } & {
                [key: string]: unknown;
            };
            /** @description The last task failure in the pool (last hour) */
            last_error: string | null;
        };
        PoolStateResponse: {
            pool_id: string;
            draining: boolean;
        };
        PrepItem: {
            /** @enum {string} */
            status: "pending" | "running" | "completed" | "failed";
            /** @description provision | wake | boot */
            phase?: string;
            pct?: number;
            human?: string;
        };
        PreparationStep: {
            id: string;
            /** @enum {string} */
            kind: "engine_provision" | "model_fetch" | "pool_warmup";
            description?: string;
            estimated_ms?: number;
            group?: string;
            /** @enum {string} */
            status?: "pending" | "running" | "completed" | "failed";
        };
        ReloadRequest: {
            /** @description The catalog entry to move the pool’s engines to (as TaskRequest.model_ref) */
            new_model_ref: string;
        };
        ReloadResponse: {
            pool_id: string;
            model_ref: string;
            /** @description The engine image the pool’s engines now run */
            image: string;
            /** @description Engines moved (one at a time) */
            engines_reloaded: number;
        };
        SessionInfo: {
            ttl_ms_remaining: number;
            /** @description Tasks admitted in this session */
            turns: number;
            kv_bytes: number;
            kv_warmth: boolean;
            tokens_budget_remaining?: number;
            time_budget_remaining_ms?: number;
            cost_budget_remaining?: number;
        };
        StreamsLinks: {
            sse: string;
            sse_verbose: string;
        };
        TaskEndEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "end";
            tokens_out: number;
            decode_ms: number;
            /** @description The same as decode_ms (llama-orch’s code) */
            decode_time_ms: number;
            /** @enum {string} */
            stop_reason: "end_turn" | "max_turns" | "max_tokens" | "canceled";
            /** @description true when the task was cancelled */
            canceled?: boolean;
        };
        TaskErrorEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "error";
            code: components["schemas"]["ErrorCode"];
            message: string;
            engine?: string;
            retriable: boolean;
        };
        /** @description One event of a task stream: SSE `event:` = `event`, `id:` = its position in the task’s log, `data:` = this object. `started` first; `token`s and `metrics` in any order; then exactly one terminal `end` or `error`, after which the stream closes. */
        TaskEvent: components["schemas"]["TaskStartedEvent"] | components["schemas"]["TaskTokenEvent"] | components["schemas"]["TaskMetricsEvent"] | components["schemas"]["TaskEndEvent"] | components["schemas"]["TaskErrorEvent"];
        TaskMetricsEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "metrics";
            queue_depth?: number;
            /** @description Preparation steps by step id */
            prep?: {
                [key: string]: components["schemas"]["PrepItem"];
            };
            /** @description The engine called a tool (additive) */
            tool_call?: {
                tool: string;
                tool_call_id: string;
            };
            tool_result?: {
                tool: string;
                tool_call_id: string;
                ok: boolean;
            };
            usage?: {
                input_tokens: number;
                output_tokens: number;
            };
            /** @description Narration (verbose streams only) */
            human?: string;
        } & {
            [key: string]: unknown;
        };
        /** @enum {string} */
        TaskPriority: "interactive" | "batch";
        TaskRequest: {
            /** Format: uuid */
            task_id: string;
            /**
             * Format: uuid
             * @description The engine conversation this turn continues
             */
            session_id: string;
            /** @description Whose engine runs the task (beyond llama-orch); default: the session’s user, or for a new session the session id itself */
            user_id?: string;
            workload: components["schemas"]["Workload"];
            /** @description A catalog entry (an engine image): its id, `default` (the pool’s image), or the image’s digest `sha256:<hex>` (a unique prefix of ≥ 3 hex will do) */
            model_ref: string;
            /** @description The engine family that image implements (recorded, reported back on errors) */
            engine: string;
            /** @description Context bound of the turn, in tokens */
            ctx: number;
            priority: components["schemas"]["TaskPriority"];
            seed?: number;
            /** @enum {string} */
            determinism?: "strict" | "best_effort";
            sampler_profile_version?: string;
            /** @description The user turn; with neither prompt nor inputs the turn continues the session */
            prompt?: string;
            /** @description User turn parts, joined by blank lines (when there is no prompt) */
            inputs?: string[];
            /** @description Tokens the turn may stream; the relay ends the turn there (end.stop_reason) */
            max_tokens: number;
            /** @description Latest start, from admission; an infeasible one is refused (DEADLINE_UNMET) */
            deadline_ms: number;
            expected_tokens?: number;
            /** @enum {string} */
            kv_hint?: "reuse" | "cold";
            placement?: components["schemas"]["PlacementOverrides"];
        };
        TaskStartedEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "started";
            queue_position: number;
            predicted_start_ms: number;
        };
        TaskTokenEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "token";
            /** @description Text of the engine’s text delta */
            t: string;
            /** @description Index of this token event, from 0 */
            i: number;
        };
        /** @enum {string} */
        Workload: "completion" | "embedding" | "rerank";
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    createChatCompletion: {
        parameters: {
            query?: never;
            header?: {
                /** @description Continue this session (engine conversation); default: a new session per request */
                "x-session-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChatCompletionRequest"];
            };
        };
        responses: {
            /** @description The completion (or, with stream: true, its chunks as SSE) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatCompletion"];
                    "text/event-stream": components["schemas"]["ChatCompletionStreamData"];
                };
            };
            /** @description Invalid request: a message role or content not served, no user, … */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatErrorEnvelope"];
                };
            };
            /** @description The platform key is missing or wrong (unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatErrorEnvelope"];
                };
            };
            /** @description The engine refused a tool (forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatErrorEnvelope"];
                };
            };
            /** @description No engine for this user and the product does not auto-provision (not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatErrorEnvelope"];
                };
            };
            /** @description The task was cancelled (conflict) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatErrorEnvelope"];
                };
            };
            /** @description The body is over the size limit (payload_too_large) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatErrorEnvelope"];
                };
            };
            /** @description The body is not sent as application/json (unsupported_media_type) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatErrorEnvelope"];
                };
            };
            /** @description The engine image cannot be run (image_not_found) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatErrorEnvelope"];
                };
            };
            /** @description The pool’s queue is full (admission_reject; Retry-After), or the model is limited */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatErrorEnvelope"];
                };
            };
            /** @description An unexpected error, or the engine failed mid-turn (internal, worker_reset) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatErrorEnvelope"];
                };
            };
            /** @description The engine or its model failed (upstream_error, driver_error) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatErrorEnvelope"];
                };
            };
            /** @description The pool is draining (pool_unavailable) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatErrorEnvelope"];
                };
            };
            /** @description The engine did not boot in time (boot_timeout) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatErrorEnvelope"];
                };
            };
        };
    };
    drainPool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DrainRequest"];
            };
        };
        responses: {
            /** @description Draining */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PoolStateResponse"];
                };
            };
            /** @description The request is malformed or invalid (INVALID_PARAMS) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description The key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description A platform key was sent where the admin key is required (FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description No pool with this id (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description The body is over the size limit (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description The body is not sent as application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
        };
    };
    getPoolHealth: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Health summary */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PoolHealth"];
                };
            };
            /** @description The request is malformed or invalid (INVALID_PARAMS) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description The key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description No pool with this id (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
        };
    };
    reloadPool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReloadRequest"];
            };
        };
        responses: {
            /** @description Every engine of the pool runs the new image */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReloadResponse"];
                };
            };
            /** @description new_model_ref names no catalog entry, or the body is invalid (INVALID_PARAMS) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description The key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description A platform key was sent where the admin key is required (FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description No pool with this id (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description An engine did not come up on the new image and the pool was rolled back, a reload of the pool is in progress (CONFLICT), or the entry is Retired (MODEL_DEPRECATED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description The body is over the size limit (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description The body is not sent as application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
        };
    };
    resumePool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Admitting */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PoolStateResponse"];
                };
            };
            /** @description The request is malformed or invalid (INVALID_PARAMS) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description The key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description A platform key was sent where the admin key is required (FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description No pool with this id (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionInfo"];
                };
            };
            /** @description The request is malformed or invalid (INVALID_PARAMS; details.issues lists why) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description X-Platform-Key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description No live session with this id for this product (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
        };
    };
    deleteSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done (idempotent) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed or invalid (INVALID_PARAMS; details.issues lists why) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description X-Platform-Key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
        };
    };
    createTask: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TaskRequest"];
            };
        };
        responses: {
            /** @description Admitted and queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdmissionResponse"];
                };
            };
            /** @description Invalid params (INVALID_PARAMS), or the deadline cannot be met (DEADLINE_UNMET), or the session’s budget is spent (INVALID_PARAMS, details.budget) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description X-Platform-Key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description This task_id was already used for another request (CONFLICT), or model_ref names a Retired catalog entry (MODEL_DEPRECATED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description The body is over the size limit (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description The body is not sent as application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description The pool’s queue is full: ADMISSION_REJECT (policy reject) or QUEUE_FULL_DROP_LRU (policy drop-lru, nothing to evict); Retry-After, X-Backoff-Ms and policy_label say more */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description The pool is draining or has no driver (POOL_UNAVAILABLE, POOL_UNREADY) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
        };
    };
    deleteTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done (idempotent) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed or invalid (INVALID_PARAMS; details.issues lists why) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description X-Platform-Key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description No task with this id for this product (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
        };
    };
    cancelTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done (idempotent) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed or invalid (INVALID_PARAMS; details.issues lists why) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description X-Platform-Key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description No task with this id for this product (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
        };
    };
    streamTask: {
        parameters: {
            query?: {
                /** @description Richer `metrics` frames (`human`, `phase`) */
                verbose?: "true" | "false";
            };
            header?: {
                "last-event-id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description started, token*, metrics*, then one end or error; closes after it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["TaskEvent"];
                };
            };
            /** @description The request is malformed or invalid (INVALID_PARAMS; details.issues lists why) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description X-Platform-Key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description No task with this id for this product (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description An unexpected error (INTERNAL); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
        };
    };
}

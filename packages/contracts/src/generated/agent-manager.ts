// generated — do not edit. Source: contracts/openapi/agent-manager.yaml; run `pnpm gen`.

export interface paths {
    "/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List agents, newest first, by status, a page at a time */
        get: operations["listAgents"];
        put?: never;
        /** Create a goal-driven agent (it starts with POST /agents/{agent_id}/start) */
        post: operations["createAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agents/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create up to 1,000 agents in one transaction: all or none */
        post: operations["batchCreateAgents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agents/{agent_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An agent: status, the current or last run with its steps, usage, error */
        get: operations["getAgent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agents/{agent_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel the queued or running run (its step stops within a second); idempotent */
        post: operations["cancelAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agents/{agent_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The events of the current or last run: replayed after Last-Event-ID, then live
         * @description Ends after the run’s terminal event. A finished run stays replayable for AM_EVENTS_RETENTION_S (default 3600 s).
         */
        get: operations["streamAgentEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agents/{agent_id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a run of the agent on a worker; stream its events or let it run alone
         * @description stream=true: the run’s events as SSE (a dropped client does not stop the run; resume with GET /agents/{agent_id}/events and Last-Event-ID). Otherwise 202 with the run id. A finished agent can be started again with a new `message`; its history is kept.
         */
        post: operations["startAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The platform’s event bus as SSE: agent.lifecycle, agent.trace, rag.events, engine.lifecycle
         * @description Each `id:` line holds every followed topic’s position; send it back as Last-Event-ID and each topic resumes exactly after what this client saw. A client that reads too slowly gets `stream_overflow` and the stream ends (resume from its id).
         */
        get: operations["streamBusEvents"];
        put?: never;
        post?: never;
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
        /** Liveness and readiness of the service */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/internal/workers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Worker processes of this instance */
        get: operations["listWorkers"];
        put?: never;
        /** Spawn a worker process */
        post: operations["spawnWorker"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/internal/workers/{pid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Drain a worker: it finishes its jobs, takes no new ones, then exits */
        delete: operations["drainWorker"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/memory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Memory entries ranked by hybrid search
         * @description Answered with `Cache-Control: max-age=60`; the service’s own cache is emptied by every write.
         */
        get: operations["readMemory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/memory/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Write up to 1,000 memory entries in one transaction
         * @description Session entries expire after AM_SESSION_TTL_S; long-term ones are kept.
         */
        post: operations["writeMemory"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/memory/{memory_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete one memory entry */
        delete: operations["deleteMemory"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rag/documents/{doc_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An ingested document: source, metadata, chunk count */
        get: operations["getRagDocument"];
        put?: never;
        post?: never;
        /** Delete a document and all its chunks, at once */
        delete: operations["deleteRagDocument"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rag/ingest/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ingest up to 1,000 documents as one background job (load, extract, chunk, embed, index)
         * @description Answers at once; follow the job with GET /rag/jobs/{job_id} or its /events stream. Each document becomes visible to queries all at once; ingesting a source again replaces its chunks atomically (unchanged content is kept as it is).
         */
        post: operations["ingestBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rag/jobs/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An ingest job’s progress: documents and chunks done, the error of each failed document */
        get: operations["getIngestJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rag/jobs/{job_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An ingest job’s progress as SSE, ending with `complete` */
        get: operations["streamIngestJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rag/query": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hybrid (vector + full text, reciprocal rank fusion), vector or text search, filtered
         * @description Filtered queries keep their recall: a selective filter is searched exactly, a broad one through the ANN index with over-fetch, falling back to exact when too few rows survive.
         */
        post: operations["queryRag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rag/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The store, its size, the ANN index lag, and recall@10 measured against exact search */
        get: operations["getRagStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tools/invoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run one tool directly with the agent’s capabilities and limits */
        post: operations["invokeTool"];
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
        AgentCancelledEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "agent_cancelled";
            agent_id: components["schemas"]["AgentId"];
            run_id: components["schemas"]["RunId"];
            /** @enum {string} */
            reason: "cancel_request" | "shutdown";
            /** @description Who cancelled: the API key’s name, or `system` */
            by: string;
        };
        AgentCompletedEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "agent_completed";
            agent_id: components["schemas"]["AgentId"];
            run_id: components["schemas"]["RunId"];
            output: string;
            /** @enum {string} */
            stop_reason: "end_turn" | "max_steps";
            steps: number;
            usage: components["schemas"]["TokenUsage"];
        };
        AgentError: {
            code: string;
            message: string;
        } | null;
        AgentEvent: components["schemas"]["AgentStepStartEvent"] | components["schemas"]["AgentTokenEvent"] | components["schemas"]["AgentToolCallEvent"] | components["schemas"]["AgentToolResultEvent"] | components["schemas"]["AgentStepEndEvent"] | components["schemas"]["AgentRunResumedEvent"] | components["schemas"]["AgentCompletedEvent"] | components["schemas"]["AgentFailedEvent"] | components["schemas"]["AgentCancelledEvent"] | components["schemas"]["AgentStreamOverflowEvent"];
        AgentFailedEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "agent_failed";
            agent_id: components["schemas"]["AgentId"];
            run_id: components["schemas"]["RunId"];
            code: string;
            message: string;
            retriable: boolean;
        };
        /** @example agt_01jbz3x4m5q7r8s9t0 */
        AgentId: string;
        AgentResources: {
            /** @description A concurrency weight on the worker; over AM_WORKER_MAX_CPU is refused */
            cpu?: string;
            /** @description Heap cap of a dedicated worker; over AM_WORKER_MAX_RAM_MB is refused */
            ram?: string;
        };
        AgentRunResumedEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "run_resumed";
            run_id: components["schemas"]["RunId"];
            attempt: number;
            /** @description The first step run again (the ones before are checkpointed) */
            from_step: number;
            reason: string;
        };
        /** @description The current or last run */
        AgentRunView: {
            run_id: components["schemas"]["RunId"];
            run_no: number;
            status: components["schemas"]["AgentStatus"];
            /** @description Workers that took this run (1 unless one died) */
            attempt: number;
            /** Format: date-time */
            queued_at: string;
            /** Format: date-time */
            started_at: string | null;
            /** Format: date-time */
            ended_at: string | null;
            output: string | null;
            /** @enum {string|null} */
            stop_reason: "end_turn" | "max_steps" | null;
            cancelled_by: string | null;
        } | null;
        /** @enum {string} */
        AgentStatus: "created" | "queued" | "running" | "completed" | "failed" | "cancelled";
        AgentStep: {
            step_id: number;
            run_id: components["schemas"]["RunId"];
            /** @enum {string} */
            status: "ok" | "error";
            output: string;
            tool_calls: components["schemas"]["ToolCallRecord"][];
            usage: components["schemas"]["TokenUsage"];
            /** Format: date-time */
            started_at: string;
            duration_ms: number;
        };
        AgentStepEndEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "step_end";
            /** @description 1-based, counted over the agent’s whole history */
            step_id: number;
            /** @enum {string} */
            status: "ok" | "error";
            /** @description The assistant text of this step */
            output: string;
            duration_ms: number;
            usage: components["schemas"]["TokenUsage"];
        };
        AgentStepStartEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "step_start";
            /** @description 1-based, counted over the agent’s whole history */
            step_id: number;
            /**
             * @description A step is one model call and the tools it asks for
             * @enum {string}
             */
            action: "think";
            run_id: components["schemas"]["RunId"];
        };
        AgentStreamOverflowEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "stream_overflow";
            /** @description This client read too slowly; reconnect with Last-Event-ID */
            reason: string;
        };
        AgentSummary: {
            agent_id: components["schemas"]["AgentId"];
            status: components["schemas"]["AgentStatus"];
            goal: string;
            capabilities: components["schemas"]["Capability"][];
            max_steps: number;
            resources: components["schemas"]["AgentResources"] | null;
            agent: string | null;
            model: string;
            runs: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            usage: components["schemas"]["TokenUsage"];
            error: components["schemas"]["AgentError"];
        };
        AgentTokenEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "token";
            content: string;
            /** @description 1-based, counted over the agent’s whole history */
            step_id: number;
        };
        AgentToolCallEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "tool_call";
            /** @description 1-based, counted over the agent’s whole history */
            step_id: number;
            tool_call_id: string;
            tool: string;
            arguments: {
                [key: string]: unknown;
            };
        };
        AgentToolResultEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            event: "tool_result";
            /** @description 1-based, counted over the agent’s whole history */
            step_id: number;
            tool_call_id: string;
            tool: string;
            output?: unknown;
            error: {
                code: string;
                message: string;
            } | null;
            duration_ms: number;
            /** @description true: a side-effecting call already recorded before a resume; not run again */
            reused: boolean;
        };
        AgentView: components["schemas"]["AgentSummary"] & {
            run: components["schemas"]["AgentRunView"];
            /** @description Checkpointed steps of the current or last run */
            steps: components["schemas"]["AgentStep"][];
        };
        /**
         * @description The audit action that recorded the transition
         * @enum {string}
         */
        AuditAction: "policy_register" | "policy_update" | "provision" | "provision_failed" | "provision_abandoned" | "adopt" | "start" | "start_fallback" | "start_failed" | "wake" | "wake_fallback" | "wake_failed" | "stop" | "sleep" | "destroy" | "rotate_key" | "key_overlap_ended" | "crash" | "health_failed" | "auto_restart_start" | "auto_restart" | "auto_restart_fallback" | "auto_restart_failed" | "auto_restart_gave_up" | "reload" | "reload_failed";
        BatchCreateAgentsResponseBody: {
            agent_ids: components["schemas"]["AgentId"][];
        };
        BusStreamEvent: components["schemas"]["BusStreamOverflow"] | {
            /** @enum {string} */
            event: "agent.created";
            payload: {
                agent_id: components["schemas"]["AgentId"];
                run_id?: components["schemas"]["RunId"];
                timestamp: number;
                status?: components["schemas"]["AgentStatus"];
                /** @description Why it failed or was cancelled */
                reason?: string;
                /** @description Who cancelled: the API key’s name, or `system` */
                by?: string;
            };
            /** @enum {string} */
            topic: "agent.lifecycle";
        } | {
            /** @enum {string} */
            event: "agent.started";
            payload: {
                agent_id: components["schemas"]["AgentId"];
                run_id?: components["schemas"]["RunId"];
                timestamp: number;
                status?: components["schemas"]["AgentStatus"];
                /** @description Why it failed or was cancelled */
                reason?: string;
                /** @description Who cancelled: the API key’s name, or `system` */
                by?: string;
            };
            /** @enum {string} */
            topic: "agent.lifecycle";
        } | {
            /** @enum {string} */
            event: "agent.completed";
            payload: {
                agent_id: components["schemas"]["AgentId"];
                run_id?: components["schemas"]["RunId"];
                timestamp: number;
                status?: components["schemas"]["AgentStatus"];
                /** @description Why it failed or was cancelled */
                reason?: string;
                /** @description Who cancelled: the API key’s name, or `system` */
                by?: string;
            };
            /** @enum {string} */
            topic: "agent.lifecycle";
        } | {
            /** @enum {string} */
            event: "agent.failed";
            payload: {
                agent_id: components["schemas"]["AgentId"];
                run_id?: components["schemas"]["RunId"];
                timestamp: number;
                status?: components["schemas"]["AgentStatus"];
                /** @description Why it failed or was cancelled */
                reason?: string;
                /** @description Who cancelled: the API key’s name, or `system` */
                by?: string;
            };
            /** @enum {string} */
            topic: "agent.lifecycle";
        } | {
            /** @enum {string} */
            event: "agent.cancelled";
            payload: {
                agent_id: components["schemas"]["AgentId"];
                run_id?: components["schemas"]["RunId"];
                timestamp: number;
                status?: components["schemas"]["AgentStatus"];
                /** @description Why it failed or was cancelled */
                reason?: string;
                /** @description Who cancelled: the API key’s name, or `system` */
                by?: string;
            };
            /** @enum {string} */
            topic: "agent.lifecycle";
        } | {
            /** @enum {string} */
            event: "step.start";
            payload: {
                agent_id: components["schemas"]["AgentId"];
                run_id: components["schemas"]["RunId"];
                step_id: number;
                timestamp: number;
            };
            /** @enum {string} */
            topic: "agent.trace";
        } | {
            /** @enum {string} */
            event: "step.complete";
            payload: {
                agent_id: components["schemas"]["AgentId"];
                run_id?: components["schemas"]["RunId"];
                step_id: number;
                duration_ms: number;
                /** @enum {string} */
                status?: "ok" | "error";
            };
            /** @enum {string} */
            topic: "agent.trace";
        } | {
            /** @enum {string} */
            event: "tool.complete";
            payload: {
                agent_id: components["schemas"]["AgentId"];
                run_id: components["schemas"]["RunId"];
                step_id: number;
                tool: string;
                tool_call_id: string;
                duration_ms: number;
                ok: boolean;
            };
            /** @enum {string} */
            topic: "agent.trace";
        } | {
            /** @enum {string} */
            event: "ingest.progress";
            payload: {
                job_id: string;
                docs_done: number;
                docs_total: number;
                chunks_done: number;
            };
            /** @enum {string} */
            topic: "rag.events";
        } | {
            /** @enum {string} */
            event: "ingest.complete";
            payload: {
                job_id: string;
                docs_indexed: number;
            };
            /** @enum {string} */
            topic: "rag.events";
        } | {
            /** @enum {string} */
            event: "engine.transition";
            payload: {
                engine_id: components["schemas"]["EngineId"];
                product_id: components["schemas"]["ProductId"];
                user_id: components["schemas"]["UserId"];
                from: components["schemas"]["EngineState"];
                to: components["schemas"]["EngineState"];
                action: components["schemas"]["AuditAction"];
                timestamp: number;
            };
            /** @enum {string} */
            topic: "engine.lifecycle";
        };
        BusStreamOverflow: {
            /** @enum {string} */
            event: "stream_overflow";
            topic: components["schemas"]["BusTopic"];
            /** @description This client read too slowly; reconnect with Last-Event-ID */
            reason: string;
        };
        /** @enum {string} */
        BusTopic: "agent.lifecycle" | "agent.trace" | "rag.events" | "engine.lifecycle";
        CancelAgentResponseBody: {
            agent_id: components["schemas"]["AgentId"];
            status: components["schemas"]["AgentStatus"];
            /** @description false: nothing was queued or running */
            cancelled: boolean;
        };
        /**
         * @description What an agent may touch: `fs` file.*, `db` db.query, `ai` ai.complete, `http` http.fetch, `processor` processor.run, `rag` rag.query, `memory` memory.*
         * @enum {string}
         */
        Capability: "fs" | "db" | "ai" | "http" | "processor" | "rag" | "memory";
        CreateAgentResponseBody: {
            agent_id: components["schemas"]["AgentId"];
            /** @enum {string} */
            status: "created";
        };
        DeleteDocumentResponseBody: {
            doc_id: string;
            /** @enum {boolean} */
            deleted: true;
        };
        DeleteMemoryResponseBody: {
            id: string;
            /** @enum {boolean} */
            deleted: true;
        };
        DrainWorkerResponseBody: {
            worker_pid: number;
            /** @enum {string} */
            status: "draining";
        };
        /** Format: uuid */
        EngineId: string;
        /**
         * @description null: the engine is new to its user (provision)
         * @enum {string|null}
         */
        EngineState: "provisioning" | "running" | "sleeping" | "stopped" | "failed" | "destroying" | "destroyed" | null;
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
        IngestBatchResponseBody: {
            job_id: string;
            status: components["schemas"]["IngestJobStatus"];
            count: number;
        };
        IngestDocument: {
            /** @description file:// (under AM_RAG_FILE_ROOT), http(s):// (public hosts), or a data: URL */
            source: string;
            metadata?: components["schemas"]["RagMetadata"];
            /**
             * Format: date
             * @description The document’s date, for `filters.date_range`
             */
            date?: string;
            /** @description Default: derived from `source`, so ingesting a source again replaces its chunks */
            id?: string;
        };
        IngestDocumentState: {
            /** @description The source as sent (data: URLs cut to 64 characters) */
            source: string;
            /** @enum {string} */
            status: "pending" | "done" | "failed";
            doc_id?: string;
            chunks?: number;
            /** @description Same content as its last ingest: kept as it was */
            unchanged?: boolean;
            error?: {
                code: string;
                message: string;
            };
        };
        IngestJobEvent: {
            /** @enum {string} */
            event: "progress";
            job_id: string;
            status: components["schemas"]["IngestJobStatus"];
            docs_total: number;
            docs_done: number;
            docs_failed: number;
            chunks_done: number;
        } | {
            /** @enum {string} */
            event: "complete";
            job_id: string;
            status: components["schemas"]["IngestJobStatus"];
            docs_total: number;
            docs_done: number;
            docs_failed: number;
            chunks_done: number;
        } | {
            /** @enum {string} */
            event: "error";
            job_id: string;
            code: components["schemas"]["ErrorCode"];
            message: string;
        };
        /** @enum {string} */
        IngestJobStatus: "queued" | "processing" | "completed" | "failed";
        IngestJobView: {
            job_id: string;
            status: components["schemas"]["IngestJobStatus"];
            docs_total: number;
            docs_done: number;
            docs_failed: number;
            chunks_done: number;
            /** @description Chunks whose embedding came from the SHA-256 cache */
            embed_cache_hits: number;
            documents: components["schemas"]["IngestDocumentState"][];
            created_at: string;
            updated_at: string;
            finished_at?: string;
        };
        InvokeToolRequestBody: {
            tool: string;
            inputs: {
                [key: string]: unknown;
            };
            agent_id: components["schemas"]["AgentId"];
            step_id?: string;
        };
        InvokeToolResponseBody: {
            tool: string;
            output: unknown;
            duration_ms: number;
        };
        ListAgentsResponseBody: {
            agents: components["schemas"]["AgentSummary"][];
            next_cursor: string | null;
        };
        ListWorkersResponseBody: {
            workers: components["schemas"]["WorkerInfo"][];
        };
        MemoryBatchRequestBody: {
            scope: components["schemas"]["MemoryScope"];
            /** @description Required with scope `session` */
            session_id?: string;
            entries: components["schemas"]["MemoryEntryInput"][];
        };
        MemoryBatchResponseBody: {
            ids: string[];
        };
        MemoryEntry: {
            id: string;
            content: string;
            score: number;
            scope: components["schemas"]["MemoryScope"];
            session_id?: string;
            tags: string[];
            metadata: components["schemas"]["RagMetadata"];
        };
        MemoryEntryInput: {
            content: string;
            tags?: string[];
            metadata?: components["schemas"]["RagMetadata"];
        };
        /** @enum {string} */
        MemoryScope: "session" | "longterm";
        /** Format: uuid */
        ProductId: string;
        RagDocumentView: {
            doc_id: string;
            source: string;
            metadata: components["schemas"]["RagMetadata"];
            date?: string;
            chunks: number;
            content_sha256: string;
            updated_at: string;
        };
        RagFilters: {
            /** @description Inclusive [from, to] on the documents’ `date` */
            date_range?: [
                string,
                string
            ];
            metadata?: components["schemas"]["RagMetadata"] & unknown;
            doc_id?: string;
        };
        RagMetadata: {
            [key: string]: string | number | boolean;
        };
        /** @enum {string} */
        RagQueryMode: "hybrid" | "vector" | "text";
        RagQueryResponseBody: {
            results: components["schemas"]["RagResult"][];
            latency_ms: number;
            mode: components["schemas"]["RagQueryMode"];
            /**
             * @description How the vector part ran: exact over the filtered rows, or the ANN index
             * @enum {string}
             */
            plan: "exact" | "ann" | "ann+exact" | "text";
            cached: boolean;
        };
        RagResult: {
            content: string;
            /** @description Hybrid: reciprocal-rank-fusion score; vector: cosine similarity */
            score: number;
            source: {
                doc_id: string;
                chunk_id: string;
                source?: string;
                metadata: components["schemas"]["RagMetadata"];
                date?: string;
            };
        };
        RagStatsResponseBody: {
            /** @enum {string} */
            store: "sqlite" | "pgvector";
            embedder: {
                id: string;
                dim: number;
            };
            chunks: number;
            index: {
                indexed: number;
                /** @description Rows the ANN index has not taken */
                lag: number;
            };
            recall: {
                unfiltered: {
                    samples: number;
                    /** @description null until sampled */
                    recall_at_10: number | null;
                };
                filtered: {
                    samples: number;
                    /** @description null until sampled */
                    recall_at_10: number | null;
                };
            };
            query_cache: {
                hits: number;
                misses: number;
                size: number;
            };
        };
        ReadMemoryResponseBody: {
            entries: components["schemas"]["MemoryEntry"][];
        };
        RunId: string;
        ServiceHealthResponseBody: {
            /** @enum {string} */
            status: "ok" | "starting" | "degraded" | "draining";
            service: string;
            version: string;
            uptime_seconds: number;
            /** @description Which implementation backs each dependency, e.g. {"database": "pglite"} */
            backends: {
                [key: string]: string;
            };
        };
        SpawnWorkerRequestBody: {
            type: components["schemas"]["WorkerType"];
            payload?: {
                agent_id?: components["schemas"]["AgentId"] & unknown;
            };
            /** @description Default AM_WORKER_CONCURRENCY */
            concurrency?: number;
        };
        SpawnWorkerResponseBody: {
            worker_pid: number;
        };
        StartAgentRequestBody: {
            /** @description The next goal message, for an agent that already ran (its history is kept) */
            message?: string;
        };
        StartAgentResponseBody: {
            agent_id: components["schemas"]["AgentId"];
            run_id: components["schemas"]["RunId"];
            /** @enum {string} */
            status: "queued";
        };
        TokenUsage: {
            input_tokens: number;
            output_tokens: number;
            /** @description Part of input_tokens billed at cache rate */
            cache_hit_tokens: number;
        };
        ToolCallRecord: {
            tool_call_id: string;
            tool: string;
            arguments: {
                [key: string]: unknown;
            };
            output?: unknown;
            error: {
                code: string;
                message: string;
            } | null;
            duration_ms: number;
        };
        /** @example user_42 */
        UserId: string;
        WorkerInfo: {
            pid: number;
            type: components["schemas"]["WorkerType"];
            /** @enum {string} */
            status: "starting" | "running" | "draining";
            concurrency: number;
            jobs_in_flight: number;
            /** @description Set on a dedicated worker */
            agent_id: components["schemas"]["AgentId"] | null;
            max_heap_mb: number | null;
            /** Format: date-time */
            started_at: string;
            /** Format: date-time */
            last_heartbeat_at: string | null;
        };
        /** @enum {string} */
        WorkerType: "agent_runtime" | "ingest";
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listAgents: {
        parameters: {
            query?: {
                status?: components["schemas"]["AgentStatus"];
                /** @description next_cursor of the previous page */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListAgentsResponseBody"];
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
    createAgent: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried create with the same key (and the same API key) returns the same agent */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    goal: string;
                    /** @default [] */
                    capabilities?: components["schemas"]["Capability"][];
                    /** @default 50 */
                    max_steps?: number;
                    resources?: components["schemas"]["AgentResources"];
                    /** @description A catalog agent whose system prompt and model the run uses */
                    agent?: string;
                    /** @description Default: the service’s model */
                    model?: string;
                };
            };
        };
        responses: {
            /** @description Created (or the agent of an earlier create with this Idempotency-Key) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateAgentResponseBody"];
                };
            };
            /** @description Invalid body (VALIDATION_ERROR), or resources over the workers’ limits (RESOURCE_LIMIT) */
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
            /** @description The Idempotency-Key was used with a different body (IDEMPOTENCY_MISMATCH) */
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
        };
    };
    batchCreateAgents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    agents: {
                        goal: string;
                        /** @default [] */
                        capabilities?: components["schemas"]["Capability"][];
                        /** @default 50 */
                        max_steps?: number;
                        resources?: components["schemas"]["AgentResources"];
                        /** @description A catalog agent whose system prompt and model the run uses */
                        agent?: string;
                        /** @description Default: the service’s model */
                        model?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description All created, ids in request order */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchCreateAgentsResponseBody"];
                };
            };
            /** @description Invalid body or over 1,000 agents (VALIDATION_ERROR), or resources over the limits (RESOURCE_LIMIT) */
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
    getAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agent_id: components["schemas"]["AgentId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The agent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentView"];
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
            /** @description No such agent (NOT_FOUND) */
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
    cancelAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agent_id: components["schemas"]["AgentId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancelled, or nothing to cancel */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelAgentResponseBody"];
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
            /** @description No such agent (NOT_FOUND) */
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
    streamAgentEvents: {
        parameters: {
            query?: never;
            header?: {
                /** @description Resume exactly after this event */
                "last-event-id"?: string;
            };
            path: {
                agent_id: components["schemas"]["AgentId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run’s AgentEvents; each `id:` line can be sent back as Last-Event-ID to resume */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["AgentEvent"];
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
            /** @description No such agent, or it never ran, or its events expired (NOT_FOUND) */
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
    startAgent: {
        parameters: {
            query?: {
                /** @description `true`: the run’s events as SSE; default `false`: 202 and the run goes on alone */
                stream?: "true" | "false";
            };
            header?: never;
            path: {
                agent_id: components["schemas"]["AgentId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["StartAgentRequestBody"];
            };
        };
        responses: {
            /** @description The run’s AgentEvents; each `id:` line can be sent back as Last-Event-ID to resume */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["AgentEvent"];
                };
            };
            /** @description Queued; the run goes on in the background */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StartAgentResponseBody"];
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
            /** @description No such agent (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The agent is already queued or running (CONFLICT) */
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
            /** @description An unexpected error (INTERNAL_ERROR); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The run queue refused the run (SERVICE_UNAVAILABLE); the run is recorded as failed */
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
    streamBusEvents: {
        parameters: {
            query: {
                /** @description Comma-separated: agent.lifecycle, agent.trace, rag.events, engine.lifecycle */
                topics: string;
                /** @description Without Last-Event-ID: only new messages (`now`, default) or all kept ones */
                from?: "now" | "beginning";
            };
            header?: {
                /** @description The `id:` last received: every followed topic resumes exactly after it */
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Bus messages, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["BusStreamEvent"];
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
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceHealthResponseBody"];
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
            /** @description An unexpected error (INTERNAL_ERROR); details are only in the log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Not ready (starting or draining) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceHealthResponseBody"];
                };
            };
        };
    };
    listWorkers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Workers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListWorkersResponseBody"];
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
            /** @description An API key was sent where the admin key is required (FORBIDDEN) */
            403: {
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
    spawnWorker: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SpawnWorkerRequestBody"];
            };
        };
        responses: {
            /** @description Spawned */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpawnWorkerResponseBody"];
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
            /** @description An API key was sent where the admin key is required (FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description payload.agent_id names no agent (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Workers of this type are not served yet (INVALID_STATE) */
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
    drainWorker: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                pid: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Draining */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DrainWorkerResponseBody"];
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
            /** @description An API key was sent where the admin key is required (FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description No worker with this pid (NOT_FOUND) */
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
    readMemory: {
        parameters: {
            query: {
                query: string;
                /** @description Absent: both scopes */
                scope?: components["schemas"]["MemoryScope"] & unknown;
                session_id?: string;
                /** @description Comma-separated: entries carrying every one */
                tags?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Entries, best first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadMemoryResponseBody"];
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
    writeMemory: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MemoryBatchRequestBody"];
            };
        };
        responses: {
            /** @description Written, ids in request order */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemoryBatchResponseBody"];
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
    deleteMemory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                memory_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeleteMemoryResponseBody"];
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
            /** @description No such entry (NOT_FOUND) */
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
    getRagDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                doc_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RagDocumentView"];
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
            /** @description No such document (NOT_FOUND) */
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
    deleteRagDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                doc_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeleteDocumentResponseBody"];
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
            /** @description No such document (NOT_FOUND) */
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
    ingestBatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    documents: components["schemas"]["IngestDocument"][];
                    options?: {
                        /**
                         * @description Tokens per chunk (cl100k)
                         * @default 512
                         */
                        chunk_size?: number;
                        /**
                         * @description Tokens shared by neighbour chunks
                         * @default 50
                         */
                        overlap?: number;
                    };
                };
            };
        };
        responses: {
            /** @description Accepted: the job runs on the ingest workers */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IngestBatchResponseBody"];
                };
            };
            /** @description Invalid body, or over 1,000 documents (VALIDATION_ERROR) */
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
            /** @description A source outside the allowed file root, a private host, or a scheme not served (SOURCE_NOT_ALLOWED) */
            403: {
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
    getIngestJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IngestJobView"];
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
            /** @description No such job (NOT_FOUND) */
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
    streamIngestJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `progress` on each change, then one `complete`; `error` (then the end) when the job cannot be read any more */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["IngestJobEvent"];
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
            /** @description No such job (NOT_FOUND) */
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
    queryRag: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    query: string;
                    /** @default 5 */
                    top_k?: number;
                    filters?: components["schemas"]["RagFilters"];
                    mode?: components["schemas"]["RagQueryMode"];
                };
            };
        };
        responses: {
            /** @description Results, best first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RagQueryResponseBody"];
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
    getRagStats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Stats */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RagStatsResponseBody"];
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
    invokeTool: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvokeToolRequestBody"];
            };
        };
        responses: {
            /** @description The tool’s output */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvokeToolResponseBody"];
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
            /** @description The agent lacks the tool’s capability (CAPABILITY_DENIED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description No such agent or tool (NOT_FOUND) */
            404: {
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
            /** @description The tool refused or failed (TOOL_FAILED); details.code says why, e.g. PATH_OUTSIDE_ROOT, HOST_NOT_ALLOWED, READ_ONLY, TIMEOUT */
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
        };
    };
}

// generated — do not edit. Source: contracts/openapi/orchestratord-control.yaml; run `pnpm gen`.

export interface paths {
    "/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The product’s append-only audit log, oldest first after `after` */
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/engines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The product’s engines, oldest first, with cursor pagination (never a key) */
        get: operations["listEngines"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/engines/provision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a user’s engine and wait until it is healthy
         * @description The engine key is returned here and by GET /engines/{user_id} and admit; the engine gets only its SHA-256.
         */
        post: operations["provisionEngine"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/engines/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One engine, with its current key */
        get: operations["getEngine"];
        put?: never;
        post?: never;
        /** Remove the engine, its volume (the brain), its port and its row */
        delete: operations["destroyEngine"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/engines/{user_id}/admit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The per-request entry point: an engine url and key, or a reasoned denial
         * @description Rate limit → lookup → provision when the policy has auto_provision → wake a sleeping or stopped engine unless auto_wake is false. Idempotent: call it on every user request.
         */
        post: operations["admitEngine"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/engines/{user_id}/rotate-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a new engine key; the old one stays valid for ORCH_KEY_ROTATION_OVERLAP_S */
        post: operations["rotateEngineKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/engines/{user_id}/sleep": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Put a running engine to sleep now (what the idle detector does); admit wakes it */
        post: operations["sleepEngine"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/engines/{user_id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a stopped, sleeping or failed engine; falls back to a fresh container on its volume */
        post: operations["startEngine"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/engines/{user_id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop a running engine: SIGTERM, grace, SIGKILL; the brain stays */
        post: operations["stopEngine"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/engines/{user_id}/wait": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Wait (without polling) until the engine reaches a state, or timeout_s passes */
        get: operations["waitEngine"];
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
    "/products/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register a product and get its platform key (shown once) */
        post: operations["registerProduct"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/products/{product_id}/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replace a product’s policy (applies from the next request) */
        put: operations["putProductPolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The product’s fleet: counts by status, health, the last hour’s events */
        get: operations["getFleetStatus"];
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
        /** @enum {string} */
        AdmitDenialReason: "engine_not_found" | "engine_sleeping" | "engine_unhealthy";
        AdmitResponse: {
            /** @enum {boolean} */
            admitted: true;
            engine_id: components["schemas"]["EngineId"];
            user_id: components["schemas"]["UserId"];
            /** @enum {string} */
            status: "running";
            url: string;
            engine_key: string;
            /** @description This admit created the engine */
            provisioned: boolean;
            /** @description This admit started a sleeping/stopped engine */
            woke: boolean;
        } | {
            /** @enum {boolean} */
            admitted: false;
            reason: components["schemas"]["AdmitDenialReason"];
            status: components["schemas"]["EngineStatus"] | null;
            message: string;
        };
        /** @enum {string} */
        AuditAction: "policy_register" | "policy_update" | "provision" | "provision_failed" | "provision_abandoned" | "adopt" | "start" | "start_fallback" | "start_failed" | "wake" | "wake_fallback" | "wake_failed" | "stop" | "sleep" | "destroy" | "rotate_key" | "key_overlap_ended" | "crash" | "health_failed" | "auto_restart_start" | "auto_restart" | "auto_restart_fallback" | "auto_restart_failed" | "auto_restart_gave_up" | "reload" | "reload_failed";
        /** @enum {string} */
        AuditActor: "api" | "admin" | "admit" | "health" | "events" | "reconcile" | "idle" | "rotation" | "warm_pool" | "shutdown";
        AuditEntry: {
            id: number;
            /** Format: date-time */
            at: string;
            engine_id: components["schemas"]["EngineId"] | null;
            user_id: string | null;
            actor: components["schemas"]["AuditActor"];
            action: components["schemas"]["AuditAction"];
            from: components["schemas"]["EngineState"];
            to: components["schemas"]["EngineState"] & unknown;
            duration_ms: number | null;
            metadata: {
                [key: string]: unknown;
            };
        };
        AuditResponse: {
            entries: components["schemas"]["AuditEntry"][];
            last_id: number;
        };
        DestroyResponse: {
            engine_id: components["schemas"]["EngineId"];
            user_id: components["schemas"]["UserId"];
            /** @enum {string} */
            status: "destroyed";
        };
        /** Format: uuid */
        EngineId: string;
        EngineInfo: {
            engine_id: components["schemas"]["EngineId"];
            user_id: components["schemas"]["UserId"];
            status: components["schemas"]["EngineStatus"];
            /** @description Where the product calls the engine (/execute, /rpc…) */
            url: string;
            engine_version: string;
            pool: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** Format: date-time */
            last_health_at: string | null;
            /** Format: date-time */
            last_admit_at: string | null;
            /** @description Create/start → /health ok, last boot */
            boot_ms: number | null;
            restart_count: number;
        };
        /**
         * @description The engine’s status before the action; null when the action changed no status
         * @enum {string|null}
         */
        EngineState: "provisioning" | "running" | "sleeping" | "stopped" | "failed" | "destroying" | "destroyed" | null;
        /** @enum {string} */
        EngineStatus: "provisioning" | "running" | "sleeping" | "stopped" | "failed" | "destroying";
        EngineWithKey: components["schemas"]["EngineInfo"] & {
            /** @description `sk-…`: the current X-Engine-Key */
            engine_key: string;
        };
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
        FleetStatus: {
            total: number;
            by_status: {
                provisioning?: number;
                running?: number;
                sleeping?: number;
                stopped?: number;
                failed?: number;
                destroying?: number;
            };
            health: {
                /** @description Running and its last probe was ok */
                healthy: number;
                /** @description Running with failed probes, or failed */
                unhealthy: number;
            };
            provisions_1h: number;
            crashes_1h: number;
            restarts_1h: number;
            avg_boot_ms: number | null;
            pools: {
                name: string;
                driver: string;
                engines: number;
            }[];
        };
        LifecycleResponse: {
            engine_id: components["schemas"]["EngineId"];
            user_id: components["schemas"]["UserId"];
            status: components["schemas"]["EngineStatus"];
            url: string;
        };
        ListEnginesResponse: {
            engines: components["schemas"]["EngineInfo"][];
            next_cursor: string | null;
        };
        Product: {
            product_id: components["schemas"]["ProductId"];
            slug: string;
            display_name: string;
            policy: components["schemas"]["ProductPolicy"];
            /** Format: date-time */
            created_at: string;
        };
        /** Format: uuid */
        ProductId: string;
        ProductPolicy: {
            /** @description Engines in every state but destroyed */
            max_engines?: number;
            /** @description Admits per minute across the product (sliding 60 s window) */
            rate_limit_rpm?: number;
            /** @description Admit provisions an engine for an unknown user (default false) */
            auto_provision?: boolean;
        };
        ProvisionBody: {
            user_id: components["schemas"]["UserId"];
            /** @description Image reference (pinned by digest); default ORCH_ENGINE_IMAGE */
            engine_version?: string;
        };
        RegisterProductBody: {
            slug: string;
            display_name: string;
            policy?: components["schemas"]["ProductPolicy"];
        };
        RegisterProductResponse: components["schemas"]["Product"] & {
            /** @description `pk-…`: shown once; the orchestrator keeps only its SHA-256 */
            platform_key: string;
        };
        RotateKeyResponse: {
            engine_id: components["schemas"]["EngineId"];
            user_id: components["schemas"]["UserId"];
            /** @description The new key; the old one works until previous_key_expires_at */
            engine_key: string;
            /** Format: date-time */
            previous_key_expires_at: string;
        };
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
        /** @example user_42 */
        UserId: string;
        WaitResponse: {
            engine_id: components["schemas"]["EngineId"];
            user_id: components["schemas"]["UserId"];
            status: components["schemas"]["EngineStatus"];
            /** @description false when timeout_s passed first */
            reached: boolean;
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
    listAudit: {
        parameters: {
            query?: {
                user_id?: components["schemas"]["UserId"];
                /** @description Only entries with id > after */
                after?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditResponse"];
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
    listEngines: {
        parameters: {
            query?: {
                status?: components["schemas"]["EngineStatus"];
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListEnginesResponse"];
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
    provisionEngine: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProvisionBody"];
            };
        };
        responses: {
            /** @description Running and healthy */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EngineWithKey"];
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
            /** @description The user already has an engine (CONFLICT), or the image is Retired in the catalog (MODEL_DEPRECATED) */
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
            /** @description The engine image does not exist on the host (IMAGE_NOT_FOUND); details.image names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Over the product’s rate_limit_rpm (RATE_LIMITED) or max_engines (QUOTA_EXCEEDED); Retry-After says when to retry */
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
            /** @description The container engine or process spawn failed (DRIVER_ERROR); details.cause has its words */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description No free port in [ORCH_PORT_MIN, ORCH_PORT_MAX] (PORT_EXHAUSTION) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The engine was not healthy within ORCH_BOOT_TIMEOUT_S (BOOT_TIMEOUT); it was cleaned up */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    getEngine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The engine */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EngineWithKey"];
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
            /** @description No engine for this user in this product (NOT_FOUND) */
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
    destroyEngine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Destroyed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DestroyResponse"];
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
            /** @description No engine for this user in this product (NOT_FOUND) */
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
    admitEngine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Start a sleeping or stopped engine (default true)
                     * @default true
                     */
                    auto_wake?: boolean;
                };
            };
        };
        responses: {
            /** @description Admitted, or denied with a reason */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdmitResponse"];
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
            /** @description auto_provision would start an image Retired in the catalog (MODEL_DEPRECATED) */
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
            /** @description The engine image does not exist on the host (IMAGE_NOT_FOUND); details.image names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Over the product’s rate_limit_rpm (RATE_LIMITED) or max_engines (QUOTA_EXCEEDED); Retry-After says when to retry */
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
            /** @description The container engine or process spawn failed (DRIVER_ERROR); details.cause has its words */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description No free port in [ORCH_PORT_MIN, ORCH_PORT_MAX] (PORT_EXHAUSTION) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The engine was not healthy within ORCH_BOOT_TIMEOUT_S (BOOT_TIMEOUT); it was cleaned up */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    rotateEngineKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotateKeyResponse"];
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
            /** @description No engine for this user in this product (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The engine’s state does not allow this operation now (INVALID_STATE); details.status says why */
            409: {
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
            /** @description The engine refused or failed the key swap (UPSTREAM_ERROR) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    sleepEngine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The engine after the transition */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LifecycleResponse"];
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
            /** @description No engine for this user in this product (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The engine’s state does not allow this operation now (INVALID_STATE); details.status says why */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The engine image does not exist on the host (IMAGE_NOT_FOUND); details.image names it */
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
            /** @description The container engine or process spawn failed (DRIVER_ERROR); details.cause has its words */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The engine was not healthy within ORCH_BOOT_TIMEOUT_S (BOOT_TIMEOUT); it was cleaned up */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    startEngine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The engine after the transition */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LifecycleResponse"];
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
            /** @description No engine for this user in this product (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The engine’s state does not allow this operation now (INVALID_STATE); details.status says why */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The engine image does not exist on the host (IMAGE_NOT_FOUND); details.image names it */
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
            /** @description The container engine or process spawn failed (DRIVER_ERROR); details.cause has its words */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The engine was not healthy within ORCH_BOOT_TIMEOUT_S (BOOT_TIMEOUT); it was cleaned up */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    stopEngine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The engine after the transition */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LifecycleResponse"];
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
            /** @description No engine for this user in this product (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The engine’s state does not allow this operation now (INVALID_STATE); details.status says why */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The engine image does not exist on the host (IMAGE_NOT_FOUND); details.image names it */
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
            /** @description The container engine or process spawn failed (DRIVER_ERROR); details.cause has its words */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The engine was not healthy within ORCH_BOOT_TIMEOUT_S (BOOT_TIMEOUT); it was cleaned up */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    waitEngine: {
        parameters: {
            query: {
                state: components["schemas"]["EngineStatus"];
                timeout_s?: number;
            };
            header?: never;
            path: {
                user_id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The state reached, or the current one with reached=false */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WaitResponse"];
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
            /** @description No engine for this user in this product (NOT_FOUND) */
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
    registerProduct: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterProductBody"];
            };
        };
        responses: {
            /** @description Registered */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisterProductResponse"];
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
            /** @description A platform key was sent where the admin key is required (FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The slug is taken (CONFLICT) */
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
    putProductPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product_id: components["schemas"]["ProductId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProductPolicy"];
            };
        };
        responses: {
            /** @description The product with its new policy */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
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
            /** @description A platform key was sent where the admin key is required (FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description No such product (NOT_FOUND) */
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
    getFleetStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Snapshot */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FleetStatus"];
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
}

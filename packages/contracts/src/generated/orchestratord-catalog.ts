// generated — do not edit. Source: contracts/openapi/orchestratord-catalog.yaml; run `pnpm gen`.

export interface paths {
    "/v1/capabilities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The API version and one entry per catalog image, with its limits and features */
        get: operations["getCapabilities"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/catalog/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every catalog entry, oldest first (beyond llama-orch v1) */
        get: operations["listCatalogModels"];
        put?: never;
        /** Add an engine image to the catalog, once its digest is found on every pool */
        post: operations["createCatalogModel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/catalog/models/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One catalog entry: digest, signatures, trust policy, state */
        get: operations["getCatalogModel"];
        put?: never;
        post?: never;
        /** Remove a catalog entry (the image stays on the hosts; engines keep running) */
        delete: operations["deleteCatalogModel"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/catalog/models/{id}/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Active or Retired: a Retired image admits no new engine (provision, or a task naming it: MODEL_DEPRECATED) */
        post: operations["setCatalogModelState"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/catalog/models/{id}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check that every pool holds the image with the entry’s digest (drift is a 422) */
        post: operations["verifyCatalogModel"];
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
        Capabilities: {
            /** @description The catalog and data planes’ contract version */
            api_version: string;
            /** @description One entry per catalog image */
            engines: components["schemas"]["EngineCapabilities"][];
        };
        CatalogEntry: components["schemas"]["CatalogModel"] & {
            engine: components["schemas"]["EngineFamily"];
            state: components["schemas"]["CatalogModelState"];
            created_ms: number;
            /** @description When the image was last found on every pool with this digest */
            last_verified_ms: number | null;
        };
        CatalogModel: {
            id: components["schemas"]["CatalogModelId"];
            digest: components["schemas"]["ImageDigest"];
            /** @description The image reference engines run (`repo@sha256:…` or `repo:tag`); default digest */
            source_url?: string;
            tags?: string[];
            manifests?: components["schemas"]["Manifest"][];
            signatures?: components["schemas"]["SignatureMeta"][];
            sbom?: components["schemas"]["SBOMRef"];
            trust_policy?: components["schemas"]["TrustPolicy"];
            engine?: components["schemas"]["EngineFamily"] & unknown;
        };
        CatalogModelId: string;
        CatalogModelList: {
            models: components["schemas"]["CatalogEntry"][];
        };
        /** @enum {string} */
        CatalogModelState: "Active" | "Retired";
        CatalogVerification: {
            id: components["schemas"]["CatalogModelId"];
            /** @enum {string} */
            status: "verified";
            digest: components["schemas"]["ImageDigest"];
            /** @description The pools whose container engine holds the image */
            pools: string[];
            last_verified_ms: number;
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
        EngineCapabilities: {
            id: components["schemas"]["CatalogModelId"] & unknown;
            engine: components["schemas"]["EngineFamily"];
            digest: components["schemas"]["ImageDigest"];
            state: components["schemas"]["CatalogModelState"];
            /** @description The largest `ctx` a task may ask for */
            ctx_max: number;
            /** @description The largest `max_tokens` a task may ask for */
            max_tokens: number;
            supported_workloads: components["schemas"]["Workload"][];
            rate_limits: {
                [key: string]: unknown;
            };
            features: {
                [key: string]: unknown;
            };
        };
        EngineFamily: string;
        /** @enum {string} */
        ErrorCode: "VALIDATION_ERROR" | "MALFORMED_JSON" | "MALFORMED_REQUEST" | "UNSUPPORTED_MEDIA_TYPE" | "UNAUTHORIZED" | "FORBIDDEN" | "CAPABILITY_DENIED" | "SOURCE_NOT_ALLOWED" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "CONFLICT" | "IDEMPOTENCY_MISMATCH" | "TOOL_FAILED" | "RESOURCE_LIMIT" | "INVALID_STATE" | "TASK_BUSY" | "REQUEST_TIMEOUT" | "PAYLOAD_TOO_LARGE" | "HEADERS_TOO_LARGE" | "RATE_LIMITED" | "QUOTA_EXCEEDED" | "UNKNOWN_OPERATION" | "CONFIG_INVALID" | "NOT_READY" | "BOOT_TIMEOUT" | "IMAGE_NOT_FOUND" | "DRIVER_ERROR" | "PORT_EXHAUSTION" | "UPSTREAM_ERROR" | "UPSTREAM_TIMEOUT" | "SERVICE_UNAVAILABLE" | "INTERNAL_ERROR" | "INVALID_PARAMS" | "DEADLINE_UNMET" | "ADMISSION_REJECT" | "QUEUE_FULL_DROP_LRU" | "POOL_UNREADY" | "POOL_UNAVAILABLE" | "REPLICA_EXHAUSTED" | "DECODE_TIMEOUT" | "WORKER_RESET" | "INTERNAL" | "MODEL_DEPRECATED" | "UNTRUSTED_ARTIFACT";
        /** @description The image’s ID or one of its manifest digests; checked on every pool at create */
        ImageDigest: string;
        Manifest: {
            digest?: string;
            size_bytes?: number;
        };
        SBOMRef: {
            uri?: string;
            digest?: string;
        };
        SetCatalogModelStateRequest: {
            state: components["schemas"]["CatalogModelState"];
            /** @description llama-orch’s drain deadline; accepted, not used: running engines keep running */
            deadline_ms?: number;
        };
        SignatureMeta: {
            signer?: string;
            algo?: string;
            verified?: boolean;
            timestamp_ms?: number;
        };
        TrustPolicy: {
            /** @enum {string} */
            mode?: "strict" | "permissive";
            allowed_registries?: string[];
            require_signature?: boolean;
            require_sbom?: boolean;
            ca_roots?: string[];
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
    getCapabilities: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Capability set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Capabilities"];
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
            /** @description The key is missing or wrong (UNAUTHORIZED) */
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
    listCatalogModels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The catalog */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogModelList"];
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
            /** @description The key is missing or wrong (UNAUTHORIZED) */
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
    createCatalogModel: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CatalogModel"];
            };
        };
        responses: {
            /** @description Created (Active) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogEntry"];
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
            /** @description An entry with this id exists (CONFLICT) */
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
            /** @description The image is missing on a pool (IMAGE_NOT_FOUND), has another digest there, or the trust policy refuses it (UNTRUSTED_ARTIFACT); details say which pool and what was found */
            422: {
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
            /** @description A pool’s container engine failed to answer (DRIVER_ERROR) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
        };
    };
    getCatalogModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["CatalogModelId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entry */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogEntry"];
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
            /** @description The key is missing or wrong (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description No catalog entry with this id (NOT_FOUND) */
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
    deleteCatalogModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["CatalogModelId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
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
            /** @description No catalog entry with this id (NOT_FOUND) */
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
    setCatalogModelState: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["CatalogModelId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetCatalogModelStateRequest"];
            };
        };
        responses: {
            /** @description The entry in its new state */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogEntry"];
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
            /** @description No catalog entry with this id (NOT_FOUND) */
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
    verifyCatalogModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["CatalogModelId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Verified (synchronously) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogVerification"];
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
            /** @description No catalog entry with this id (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataErrorEnvelope"];
                };
            };
            /** @description The image is missing on a pool (IMAGE_NOT_FOUND), has another digest there, or the trust policy refuses it (UNTRUSTED_ARTIFACT); details say which pool and what was found */
            422: {
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
            /** @description A pool’s container engine failed to answer (DRIVER_ERROR) */
            502: {
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

// generated — do not edit. Source: contracts/openapi/processor.yaml; run `pnpm gen`.

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness of the processor */
        get: operations["getProcessorHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run the processor once and answer exactly one envelope
         * @description Validates the request and inputs, expands and creates write_prefix, runs the handler within runtime.timeout_s, writes the outputs index and a receipt under write_prefix.
         */
        post: operations["runProcessor"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/run-stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run the processor, streaming progress; the last event is `done` with the envelope
         * @description The request guards run before the stream opens: a refused request (malformed JSON, oversized body, request shape, mode=real in CI, missing secrets, inputs, write_prefix) gets the error envelope and status `/run` would answer, and no stream. An accepted run answers 200 with `started`, `progress`…, then exactly one `done` whose data is the final envelope itself; failures during the run (ERR_HANDLER, ERR_UPSTREAM, ERR_TIMEOUT, a symlinked artifact path) arrive as that envelope.
         */
        post: operations["runProcessorStream"];
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
        ExecutionId: string;
        ProcessorEnvelopeMeta: {
            /** @description From registry runtime, e.g. cpu:1;memory:2Gi */
            env_fingerprint: string;
            /** @description sha256:… of the running image ("unknown" outside one) */
            image_digest: string;
            /** @description Present on success */
            duration_ms?: number;
        };
        /** @enum {string} */
        ProcessorErrorCode: "ERR_MALFORMED_JSON" | "ERR_PAYLOAD_TOO_LARGE" | "ERR_REQUEST_INVALID" | "ERR_INPUTS_INVALID" | "ERR_WRITE_PREFIX" | "ERR_CI_SAFETY" | "ERR_SECRETS_MISSING" | "ERR_TIMEOUT" | "ERR_NOT_FOUND" | "ERR_METHOD_NOT_ALLOWED" | "ERR_HEADERS_TOO_LARGE" | "ERR_UPSTREAM" | "ERR_HANDLER" | "ERR_INTERNAL" | "ERR_ADAPTER_TIMEOUT" | "ERR_ADAPTER_UNREACHABLE" | "ERR_ENVELOPE_INVALID" | "ERR_DIGEST_DRIFT";
        ProcessorErrorEnvelope: {
            /** @enum {string} */
            status: "error";
            /** @description Empty when the request had none */
            execution_id: string;
            error: {
                code: components["schemas"]["ProcessorErrorCode"];
                /** @description Stable per code; specifics are in issues */
                message: string;
                issues?: components["schemas"]["ProcessorIssue"][];
            };
            meta: components["schemas"]["ProcessorEnvelopeMeta"];
        };
        ProcessorHealthResponseBody: {
            /** @enum {boolean} */
            ok: true;
        };
        ProcessorIssue: {
            /** @description JSON pointer of the offending value, e.g. /inputs/text ("" = root) */
            path: string;
            message: string;
        };
        /** @enum {string} */
        ProcessorMode: "mock" | "real";
        ProcessorOutput: {
            /** @description Absolute path under the expanded write_prefix */
            path: string;
            mime?: string;
            sha256?: string;
            size_bytes?: number;
        };
        ProcessorProgressEvent: {
            /** @enum {string} */
            event: "progress";
            /** @description A short machine-readable step name, e.g. "parse" */
            stage: string;
            message?: string;
            fraction?: number;
        };
        ProcessorRunRequestBody: {
            execution_id: components["schemas"]["ExecutionId"];
            /** @description Absolute directory for every artifact of the run; `{execution_id}` is expanded, `..` segments are refused, and it must lie under PROCESSOR_ARTIFACTS_ROOT when the processor sets one (ERR_WRITE_PREFIX). */
            write_prefix: string;
            /** @description Version of the inputs shape, e.g. "v1" */
            schema: string;
            mode: components["schemas"]["ProcessorMode"];
            /** @description Validated against registry.yaml `inputs` (JSON Schema draft-07) */
            inputs: {
                [key: string]: unknown;
            };
        };
        ProcessorStartedEvent: {
            /** @enum {string} */
            event: "started";
            execution_id: string;
        };
        ProcessorStreamEvent: components["schemas"]["ProcessorStartedEvent"] | components["schemas"]["ProcessorProgressEvent"] | (components["schemas"]["ProcessorSuccessEnvelope"] & {
            /**
             * @description Absent on the wire (the data is the envelope); clients take it from `event: done`
             * @enum {string}
             */
            event?: "done";
        }) | (components["schemas"]["ProcessorErrorEnvelope"] & {
            /**
             * @description Absent on the wire (the data is the envelope); clients take it from `event: done`
             * @enum {string}
             */
            event?: "done";
        });
        ProcessorSuccessEnvelope: {
            /** @enum {string} */
            status: "success";
            execution_id: string;
            outputs: components["schemas"]["ProcessorOutput"][];
            /** @description The outputs index (outputs.json) under the write_prefix */
            index_path: string;
            /** @description The run receipt (receipt.json) */
            receipt_path?: string;
            meta: components["schemas"]["ProcessorEnvelopeMeta"];
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
    getProcessorHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorHealthResponseBody"];
                };
            };
            /** @description The request is not valid HTTP or has no Host header (ERR_REQUEST_INVALID) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorErrorEnvelope"];
                };
            };
        };
    };
    runProcessor: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProcessorRunRequestBody"];
            };
        };
        responses: {
            /** @description Success envelope */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorSuccessEnvelope"];
                };
            };
            /** @description ERR_MALFORMED_JSON, ERR_REQUEST_INVALID, ERR_INPUTS_INVALID (issues lists every problem) or ERR_WRITE_PREFIX */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorErrorEnvelope"];
                };
            };
            /** @description mode=real refused in CI (ERR_CI_SAFETY) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorErrorEnvelope"];
                };
            };
            /** @description The body is over the size limit (ERR_PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorErrorEnvelope"];
                };
            };
            /** @description The handler failed (ERR_HANDLER, ERR_INTERNAL) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorErrorEnvelope"];
                };
            };
            /** @description A service the handler calls failed (ERR_UPSTREAM) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorErrorEnvelope"];
                };
            };
            /** @description mode=real without its secrets (ERR_SECRETS_MISSING) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorErrorEnvelope"];
                };
            };
            /** @description The run passed runtime.timeout_s (ERR_TIMEOUT) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorErrorEnvelope"];
                };
            };
        };
    };
    runProcessorStream: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProcessorRunRequestBody"];
            };
        };
        responses: {
            /** @description started, progress…, done */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ProcessorStreamEvent"];
                };
            };
            /** @description ERR_MALFORMED_JSON, ERR_REQUEST_INVALID, ERR_INPUTS_INVALID (issues lists every problem) or ERR_WRITE_PREFIX */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorErrorEnvelope"];
                };
            };
            /** @description mode=real refused in CI (ERR_CI_SAFETY) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorErrorEnvelope"];
                };
            };
            /** @description The body is over the size limit (ERR_PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorErrorEnvelope"];
                };
            };
            /** @description An unexpected failure before the run started (ERR_INTERNAL) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorErrorEnvelope"];
                };
            };
            /** @description mode=real without its secrets (ERR_SECRETS_MISSING) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessorErrorEnvelope"];
                };
            };
        };
    };
}

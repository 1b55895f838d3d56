/** The bounds every tool enforces; see README.md for how each one is enforced. */
export interface ToolLimits {
  /** file.read: largest file returned. */
  fileReadBytes: number;
  /** file.write: largest content accepted. */
  fileWriteBytes: number;
  /** file.list: entries returned. */
  fileListEntries: number;
  /** db.query: statement_timeout. */
  dbTimeoutMs: number;
  /** db.query: rows returned. */
  dbMaxRows: number;
  /** http.fetch: body bytes kept. */
  httpMaxBytes: number;
  /** http.fetch: whole exchange, redirects included. */
  httpTimeoutMs: number;
  /** ai.complete: one completion. */
  aiTimeoutMs: number;
  /** processor.run: one POST /run. */
  processorTimeoutMs: number;
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  fileReadBytes: 1024 * 1024,
  fileWriteBytes: 1024 * 1024,
  fileListEntries: 1000,
  dbTimeoutMs: 5_000,
  dbMaxRows: 1000,
  httpMaxBytes: 1024 * 1024,
  httpTimeoutMs: 15_000,
  aiTimeoutMs: 120_000,
  processorTimeoutMs: 125_000,
};

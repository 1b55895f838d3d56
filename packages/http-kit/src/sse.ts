import type { Request, Response } from 'express';
import type { Logger } from 'pino';

export interface SseEvent {
  /** Absent: no `event:` line (the client sees `message`), as OpenAI's streams are written. */
  event?: string;
  id?: string | number;
  /** JSON-encoded on one `data:` line; a string is sent as is, one `data:` line per text line. */
  data: unknown;
}

/** Timer functions, injectable so tests can prove the heartbeat is cleared. */
export interface SseTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface OpenSseOptions {
  /** Interval of `: hb` comments that keep proxies from timing out idle streams; default 15000. */
  heartbeatMs?: number;
  log?: Logger;
  timers?: SseTimers;
}

/** A handle on one open SSE response. */
export interface SseWriter {
  /**
   * Writes one event. Resolves at once, or after 'drain' when the socket buffer is full, so a
   * producer that awaits it follows the slowest reader. On a closed stream it resolves and does
   * nothing (check `closed` or `signal` to stop producing).
   */
  send(event: SseEvent): Promise<void>;
  /** Writes `: text` (ignored by clients). */
  comment(text: string): void;
  /** Ends the response and releases timers and listeners. Idempotent. */
  close(): void;
  /** Aborted on client disconnect or close(). */
  readonly signal: AbortSignal;
  readonly closed: boolean;
}

const LINE_BREAK = /\r\n|\r|\n/;
const CR_OR_LF = /[\r\n]/;

function dataLines(data: unknown): string {
  if (typeof data !== 'string') {
    // JSON.stringify never emits a raw CR or LF (it escapes them inside strings and indents
    // nothing), so an encoded value is always one line: no test or split on a 1 KB payload.
    const text = JSON.stringify(data);
    return text === undefined ? 'data: null\n' : `data: ${text}\n`;
  }
  if (!LINE_BREAK.test(data)) {
    return `data: ${data}\n`;
  }
  return data
    .split(LINE_BREAK)
    .map((line) => `data: ${line}\n`)
    .join('');
}

function singleLine(value: string): string {
  // An `event:`/`id:` value with a line break would inject a field.
  return CR_OR_LF.test(value) ? value.replace(/[\r\n]/g, ' ') : value;
}

function idLine(id: string | number | undefined): string {
  if (id === undefined) {
    return '';
  }
  return typeof id === 'number' ? `id: ${id}\n` : `id: ${singleLine(id)}\n`;
}

/** One event on the wire: `event:` (if named), `id:` (if any), `data:` lines, a blank line. */
export function formatSseEvent(event: SseEvent): string {
  const name = event.event === undefined ? '' : `event: ${singleLine(event.event)}\n`;
  return `${name}${idLine(event.id)}${dataLines(event.data)}\n`;
}

// `send` answers most calls with this one promise rather than a new one per event.
const SENT: Promise<void> = Promise.resolve();

const defaultTimers: SseTimers = {
  setInterval: (fn, ms) => {
    const handle = setInterval(fn, ms);
    // A heartbeat must never keep a stopping process alive.
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/**
 * Starts an SSE response: headers (never compressed or buffered), heartbeats, and a writer whose
 * `send` honours backpressure. On client disconnect or `close()` everything it added (interval,
 * listeners) is removed and `signal` aborts.
 *
 * @example
 * const sse = openSse(req, res, { log });
 * await sse.send({ event: 'started', id: 1, data: { task_id } });
 * sse.close();
 */
export function openSse(req: Request, res: Response, opts: OpenSseOptions = {}): SseWriter {
  const timers = opts.timers ?? defaultTimers;
  const controller = new AbortController();
  let closed = false;
  let drainWaiters: Array<() => void> = [];

  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  // no-transform also makes the compression middleware pass the stream through untouched.
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  // Kept alive unless the client (Connection: close, HTTP/1.0) or node said otherwise: setting
  // `keep-alive` unconditionally would make node keep a socket the client asked to close.
  res.setHeader('Connection', res.shouldKeepAlive ? 'keep-alive' : 'close');
  res.setHeader('X-Accel-Buffering', 'no');
  if (req.correlationId !== undefined) {
    res.setHeader('X-Correlation-Id', req.correlationId);
  }
  res.socket?.setNoDelay(true);
  res.flushHeaders();

  const onDrain = () => {
    const waiters = drainWaiters;
    drainWaiters = [];
    for (const resolve of waiters) {
      resolve();
    }
  };

  const cleanup = (reason: string) => {
    if (closed) {
      return;
    }
    closed = true;
    timers.clearInterval(heartbeat);
    res.off('close', onClose);
    res.off('drain', onDrain);
    onDrain();
    controller.abort(new Error(reason));
    opts.log?.debug({ reason }, 'sse stream closed');
  };

  const onClose = () => cleanup('client disconnected');
  res.on('close', onClose);
  res.on('drain', onDrain);

  // Defeats any buffering layer that exposes flush (compression does; SSE bypasses it anyway).
  // Looked up once: the middleware that adds it ran before the handler opened the stream.
  const flush = (res as Response & { flush?: () => void }).flush;
  const write = (chunk: string): boolean => {
    const ok = res.write(chunk);
    flush?.call(res);
    return ok;
  };

  const heartbeat = timers.setInterval(() => {
    if (!closed) {
      write(': hb\n\n');
    }
  }, opts.heartbeatMs ?? 15_000);

  // The client may have left before the handler got here ('close' already fired).
  if (res.closed || res.destroyed) {
    cleanup('client disconnected');
  }

  return {
    send(event) {
      if (closed || write(formatSseEvent(event))) {
        return SENT;
      }
      return new Promise<void>((resolve) => {
        drainWaiters.push(resolve);
      });
    },
    comment(text) {
      if (!closed) {
        write(`: ${singleLine(text)}\n\n`);
      }
    },
    close() {
      if (closed) {
        return;
      }
      cleanup('closed by server');
      res.end();
    },
    signal: controller.signal,
    get closed() {
      return closed;
    },
  };
}

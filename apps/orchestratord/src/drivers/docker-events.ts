import type { Logger } from '@agentplane/http-kit';
import type Docker from 'dockerode';
import { LABELS } from './docker-container-spec.js';
import { type DriverEvent, emitToAll } from './driver.js';

/** One line of the Docker events stream (the fields we read). */
export interface RawDockerEvent {
  Type?: string;
  Action?: string;
  /** Older Docker and Podman also send the action here. */
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

export interface DockerEventsOptions {
  docker: Docker;
  filters: Record<string, string[]>;
  logger: Logger;
  map(event: RawDockerEvent): DriverEvent | undefined;
  /** First reconnect delay; doubles up to maxBackoffMs. Default 250. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface DockerEventFollower {
  subscribe(listener: (event: DriverEvent) => void): () => void;
  close(): void;
}

const DEDUPE_WINDOW = 1000;

/**
 * `since` for the events API: fractional seconds (Docker and Podman both parse them). A double
 * keeps microseconds; the overlap this rounding may cause is removed by the dedupe.
 */
function sinceOf(nanos: bigint): number {
  return Number(nanos / 1000n) / 1e6;
}

const nowNanos = () => BigInt(Date.now()) * 1_000_000n;

/**
 * One events stream shared by every listener. Podman may end the stream (and a Docker restart
 * does); it is reopened with backoff from the last event seen (`since`), and events replayed by
 * the overlap are dropped, so a listener sees each event once even across reconnects. The first
 * connection also starts at the subscribe time, so an event right after subscribe() is not lost
 * while the stream is still opening.
 */
export function followDockerEvents(options: DockerEventsOptions): DockerEventFollower {
  const { docker, logger } = options;
  const minBackoff = options.minBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 5000;
  const listeners = new Set<(event: DriverEvent) => void>();
  const seen = new Set<string>();
  let closed = false;
  let generation = 0;
  let stream: NodeJS.ReadableStream | undefined;
  let timer: NodeJS.Timeout | undefined;
  let backoff = minBackoff;
  let since = nowNanos();

  const emit = (event: DriverEvent): void => emitToAll(listeners, event, logger);

  function handleLine(line: string): void {
    let raw: RawDockerEvent;
    try {
      raw = JSON.parse(line) as RawDockerEvent;
    } catch {
      logger.warn({ line: line.slice(0, 200) }, 'unparsable docker event');
      return;
    }
    const nanos =
      raw.timeNano !== undefined
        ? BigInt(raw.timeNano)
        : raw.time !== undefined
          ? BigInt(raw.time) * 1_000_000_000n
          : undefined;
    const key = `${nanos}|${raw.Actor?.ID ?? raw.id}|${raw.Action ?? raw.status}`;
    if (seen.has(key)) {
      return;
    }
    seen.add(key);
    if (seen.size > DEDUPE_WINDOW) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) {
        seen.delete(oldest);
      }
    }
    if (nanos !== undefined && nanos > since) {
      since = nanos;
    }
    const event = options.map(raw);
    if (event !== undefined) {
      emit(event);
    }
  }

  function scheduleReconnect(): void {
    if (closed || listeners.size === 0 || timer !== undefined) {
      return;
    }
    const delay = backoff;
    backoff = Math.min(backoff * 2, maxBackoff);
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    timer.unref();
  }

  async function connect(): Promise<void> {
    if (closed || listeners.size === 0 || stream !== undefined) {
      return;
    }
    const mine = ++generation;
    let opened: NodeJS.ReadableStream;
    try {
      opened = await docker.getEvents({ since: sinceOf(since), filters: options.filters });
    } catch (err) {
      logger.warn({ err, retryInMs: backoff }, 'docker events stream failed to open');
      scheduleReconnect();
      return;
    }
    if (mine !== generation || closed || listeners.size === 0) {
      destroy(opened);
      return;
    }
    stream = opened;
    backoff = minBackoff;
    let buffered = '';
    opened.on('data', (chunk: Buffer | string) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line !== '') {
          handleLine(line);
        }
        newline = buffered.indexOf('\n');
      }
    });
    let ended = false;
    const onEnd = (err?: Error) => {
      if (ended) {
        return;
      }
      ended = true;
      if (stream === opened) {
        stream = undefined;
      }
      if (mine === generation && !closed && listeners.size > 0) {
        logger.info({ err, retryInMs: backoff }, 'docker events stream ended: reconnecting');
        scheduleReconnect();
      }
    };
    opened.on('end', () => onEnd());
    opened.on('close', () => onEnd());
    opened.on('error', (err: Error) => onEnd(err));
  }

  function destroy(s: NodeJS.ReadableStream | undefined): void {
    (s as { destroy?: () => void } | undefined)?.destroy?.();
  }

  function stop(): void {
    generation++;
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    const current = stream;
    stream = undefined;
    destroy(current);
  }

  return {
    subscribe(listener) {
      if (closed) {
        return () => {};
      }
      listeners.add(listener);
      if (listeners.size === 1) {
        since = nowNanos();
        backoff = minBackoff;
        void connect();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          stop();
        }
      };
    },
    close() {
      closed = true;
      listeners.clear();
      stop();
    },
  };
}

/**
 * A container event of one of our engines as a driver event: `start`, and `die` (Podman:
 * `died`) with its exit code; anything else, or another fleet's container, is undefined.
 */
export function engineEventOf(
  raw: RawDockerEvent,
  ours: (labels: Record<string, string> | undefined) => labels is Record<string, string>,
): DriverEvent | undefined {
  const action = raw.Action ?? raw.status;
  const attributes = raw.Actor?.Attributes;
  const engineId = attributes?.[LABELS.engineId];
  if (!ours(attributes) || engineId === undefined) {
    return undefined;
  }
  if (action === 'start') {
    return { engineId, kind: 'started' };
  }
  if (action === 'die' || action === 'died') {
    const exitCode = Number.parseInt(attributes.exitCode ?? '', 10);
    return Number.isNaN(exitCode)
      ? { engineId, kind: 'died' }
      : { engineId, kind: 'died', exitCode };
  }
  return undefined;
}

import type { RawRequest, SendResult } from '../http/send.js';

const MAX = 160;

/** Printable, short: control and non-ASCII bytes escaped, long runs elided with their length. */
export function excerptBytes(bytes: Buffer, max = MAX): string {
  const text = bytes
    .subarray(0, max)
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return bytes.length > max ? `${text}…(${bytes.length} bytes)` : text;
}

function excerptText(text: string, max = MAX): string {
  return excerptBytes(Buffer.from(text, 'latin1'), max);
}

/** The request on one line; credential values replaced by their scheme's placeholder. */
export function describeRequest(req: RawRequest, credentials: Record<string, string>): string {
  const secrets = new Set(Object.values(credentials));
  const headers = req.headers
    .filter(([name]) => !['content-length', 'host'].includes(name.toLowerCase()))
    .map(
      ([name, value]) => `${name}: ${secrets.has(value) ? '<valid key>' : excerptText(value, 60)}`,
    );
  const body = req.body === undefined ? '' : ` body=${excerptBytes(req.body)}`;
  return `${req.method} ${excerptText(req.path, 200)} [${headers.join('; ')}]${body}`;
}

export function describeResponse(answer: SendResult): string {
  if (answer.kind === 'timeout') {
    return `no answer in ${answer.ms} ms`;
  }
  if (answer.kind === 'transport') {
    return `connection error ${answer.error} after ${answer.ms} ms`;
  }
  const res = answer.response;
  const pick = ['content-type', 'content-encoding', 'x-correlation-id', 'allow', 'connection'];
  const headers = pick
    .filter((h) => res.headers[h] !== undefined)
    .map((h) => `${h}: ${String(res.headers[h])}`);
  return `${res.status} [${headers.join('; ')}] ${excerptBytes(res.body, 240)}`;
}

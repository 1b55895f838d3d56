/** One dispatched event: its `event:` name (`message` when absent) and its joined `data:`. */
export interface SseEventData {
  event: string;
  data: string;
}

/**
 * Incremental event-stream decoder (WHATWG semantics, only what the check needs): feed decoded
 * text in arbitrary pieces; comments (heartbeats) and events without data are dropped, and an
 * unterminated last event is discarded, as a browser would.
 */
export function createSseEvents(): (text: string) => SseEventData[] {
  let buffer = '';
  let event = '';
  let data: string[] = [];

  const line = (raw: string, out: SseEventData[]) => {
    if (raw === '') {
      if (data.length > 0) {
        out.push({ event: event === '' ? 'message' : event, data: data.join('\n') });
      }
      event = '';
      data = [];
      return;
    }
    if (raw.startsWith(':')) {
      return;
    }
    const colon = raw.indexOf(':');
    const field = colon === -1 ? raw : raw.slice(0, colon);
    const value = colon === -1 ? '' : raw.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') {
      event = value;
    } else if (field === 'data') {
      data.push(value);
    }
  };

  return (text) => {
    buffer += text;
    const out: SseEventData[] = [];
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const ch = buffer[i];
      if (ch !== '\n' && ch !== '\r') {
        continue;
      }
      // A CR at the end may be half of a CRLF split across chunks.
      if (ch === '\r' && i === buffer.length - 1) {
        break;
      }
      line(buffer.slice(start, i), out);
      if (ch === '\r' && buffer[i + 1] === '\n') {
        i++;
      }
      start = i + 1;
    }
    buffer = buffer.slice(start);
    return out;
  };
}

const MESSAGE_END = /data:[^\n]*\n\n/g;

/** Where the `count`-th complete SSE message ends in `text`, or -1. */
function endOfMessage(text: string, count: number): number {
  let seen = 0;
  for (const match of text.matchAll(MESSAGE_END)) {
    seen++;
    if (seen === count) {
      return match.index + match[0].length;
    }
  }
  return -1;
}

/**
 * A `fetch` whose SSE responses break after `messages` complete messages, as a dropped
 * connection does mid-stream (undici reports that as `TypeError: terminated`). Other responses
 * pass through. `cuts()` counts the streams it broke.
 */
export function cuttingFetch(
  messages: number,
  shouldCut: (url: string) => boolean = () => true,
): { fetch: typeof fetch; cuts(): number } {
  let cuts = 0;
  const wrapped: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const isSse = res.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
    if (!isSse || res.body === null || !shouldCut(url)) {
      return res;
    }
    const reader = res.body.getReader();
    const utf8 = new TextDecoder();
    const encode = (text: string) => new TextEncoder().encode(text);
    let text = '';
    const body = new ReadableStream<Uint8Array>({
      // Reads until `messages` messages are in (then forwards them and fails) or the stream ends.
      async pull(controller) {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            controller.enqueue(encode(text + utf8.decode()));
            controller.close();
            return;
          }
          text += utf8.decode(value, { stream: true });
          const end = endOfMessage(text, messages);
          if (end !== -1) {
            controller.enqueue(encode(text.slice(0, end)));
            cuts++;
            await reader.cancel();
            controller.error(new TypeError('terminated'));
            return;
          }
        }
      },
    });
    return new Response(body, { status: res.status, headers: res.headers });
  };
  return { fetch: wrapped, cuts: () => cuts };
}

// on-headers ships no types (and the @types/on-headers on npm is not it).
declare module 'on-headers' {
  import type { ServerResponse } from 'node:http';

  /** Runs `listener` (with `this` = res) right before `res` writes its headers. */
  function onHeaders<R extends ServerResponse>(res: R, listener: (this: R) => void): void;
  export = onHeaders;
}

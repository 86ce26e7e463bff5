/**
 * Waiting in tests for something to happen, not for a fixed time: `waitFor` polls a condition
 * until it holds and fails with a message naming what never happened; `settled` polls a reading
 * until it equals the wanted value and hands back the last one for the caller's assertion.
 * The deadlines are generous (a loaded machine only makes a test slower, never red): they only
 * turn a hang into a clear failure. Speed is measured in bench/, not asserted here.
 */

/** How long a test waits for an event by default before it fails, in ms. */
export const WAIT_MS = 30_000;

export interface WaitOptions {
  /** What is waited for, for the failure message ("the job done"); a function is asked at the end. */
  what: string | (() => string);
  /** Fails after this long (default WAIT_MS). */
  timeoutMs?: number;
  /** Asks again after this long (default 50 ms). */
  intervalMs?: number;
}

/** What a condition gives once it holds. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | "">;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const shown = (x: unknown) => (x instanceof Error ? x.message : JSON.stringify(x));

/**
 * Resolves with the condition's first truthy value. A condition that throws is asked again (its
 * last error is named in the failure); after `timeoutMs` the wait fails with `what`.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, opts: WaitOptions): Promise<Truthy<T>> {
  const timeoutMs = opts.timeoutMs ?? WAIT_MS;
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await condition();
      if (v) return v as Truthy<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      const what = typeof opts.what === "function" ? opts.what() : opts.what;
      throw new Error(`waited ${timeoutMs} ms for ${what}; it did not happen (last: ${shown(last)})`);
    }
    await pause(opts.intervalMs ?? 50);
  }
}

/**
 * read() once it equals `want`, or what it gives at the deadline (for the caller's assertion to
 * show the difference); at once when `want` is undefined.
 */
export async function settled<T>(
  want: T | undefined,
  read: () => Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  let v = await read();
  if (want === undefined) return v;
  const end = Date.now() + (opts.timeoutMs ?? WAIT_MS);
  while (v !== want && Date.now() < end) {
    await pause(opts.intervalMs ?? 50);
    v = await read();
  }
  return v;
}

/** Whether `p` has settled yet (resolved or rejected), without waiting for it. */
export function tracked<T>(p: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  return { promise: p, settled: () => done };
}

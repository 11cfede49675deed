/**
 * @module Waiting in tests without sleeping: poll a condition until it holds, or bound a wait on something
 * awaited. A deadline here only turns a hang into a failure; it never stands in for "probably ready by now".
 */

/**
 * Resolves once `condition` holds (polled every `everyMs`); rejects after `timeoutMs`, naming `what` (a
 * function is asked at that moment, so it can tell what was seen by then).
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  {
    timeoutMs = 5_000,
    everyMs = 10,
    what = "the condition",
  }: { timeoutMs?: number; everyMs?: number; what?: string | (() => string) } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${typeof what === "string" ? what : what()} did not hold within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** `work`, or a rejection naming `what` if it has not settled within `ms`: a hang fails instead of stalling the run. */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

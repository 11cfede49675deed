/**
 * @module A transfer rate over a sliding window, for progress bars: the last seconds' speed says when a
 * copy will end better than the average since the start, which a slow first minute (or a resume that
 * skipped most of the bytes) would skew for the rest of the run.
 */

/** Samples closer than this are not kept: a window of 10 s holds at most a hundred. */
const SAMPLE_SPACING_MS = 100;

export class RateWindow {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  /** Records that `bytes` (a running total) had moved at `at` (milliseconds). */
  add(at: number, bytes: number): void {
    const [before, last] = this.samples.slice(-2);
    if (before && last && last.at - before.at < SAMPLE_SPACING_MS) {
      // The newest sample is still too close to the one before to stand on its own: it moves up to now.
      last.at = at;
      last.bytes = bytes;
    } else {
      this.samples.push({ at, bytes });
    }
    // The oldest kept sample is the last one at or before the window's start, so the window spans it whole.
    while (this.samples.length > 2 && this.samples[1]!.at <= at - this.windowMs) {
      this.samples.shift();
    }
  }

  /** Bytes a second over the window, or undefined before two samples some time apart. */
  perSecond(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at <= first.at) {
      return undefined;
    }
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }
}

/**
 * @module The one bound on an import's work in flight: at most `blocks` blocks at once and at most
 * `bytes` of block buffers, but always one block, however large, so a drive of big blocks still moves.
 */

export class BlockBudget {
  private blocksInUse = 0;
  private bytesInUse = 0;
  private readonly waiting: { bytes: number; resolve: () => void }[] = [];
  /** The most blocks and bytes ever held at once: what a test checks the bound with. */
  peakBlocks = 0;
  peakBytes = 0;

  constructor(
    readonly blocks: number,
    readonly bytes: number,
  ) {
    if (!(blocks >= 1) || !(bytes >= 1)) {
      throw new RangeError("A block budget holds at least one block and one byte.");
    }
  }

  /** Waits until a block of `bytes` fits; release it with `release(bytes)`. First come, first served. */
  acquire(bytes: number): Promise<void> {
    if (this.waiting.length === 0 && this.fits(bytes)) {
      this.take(bytes);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push({ bytes, resolve }));
  }

  release(bytes: number): void {
    this.blocksInUse -= 1;
    this.bytesInUse -= bytes;
    while (this.waiting.length > 0 && this.fits(this.waiting[0]?.bytes ?? 0)) {
      const next = this.waiting.shift();
      if (next) {
        this.take(next.bytes);
        next.resolve();
      }
    }
  }

  private fits(bytes: number): boolean {
    return (
      this.blocksInUse === 0 || (this.blocksInUse < this.blocks && this.bytesInUse + bytes <= this.bytes)
    );
  }

  private take(bytes: number): void {
    this.blocksInUse += 1;
    this.bytesInUse += bytes;
    this.peakBlocks = Math.max(this.peakBlocks, this.blocksInUse);
    this.peakBytes = Math.max(this.peakBytes, this.bytesInUse);
  }
}

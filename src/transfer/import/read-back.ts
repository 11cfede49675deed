/**
 * @module Small blobs read back in batches: after many Put Blobs, one List Blobs gives each blob's length,
 * type and Content-MD5 as storage holds them, where a Get Blob Properties per file would cost as many
 * requests as the uploads themselves.
 */

import type { BlobProperties, BlobTarget } from "../blob/target.js";

export interface ReadBackOptions {
  /** Read back once this many blobs of a container wait (default 250). */
  batch?: number;
  /** …or once the first of them has waited this long (default 250 ms). */
  waitMs?: number;
}

interface Waiting {
  name: string;
  resolve: (props: BlobProperties | undefined) => void;
  reject: (error: unknown) => void;
}

/** Blobs asked for one by one at once, when a listing did not answer for them. */
const ASKED_AT_ONCE = 16;

/** The longest prefix every name shares. */
function commonPrefix(names: readonly string[]): string {
  let prefix = names[0] ?? "";
  for (const name of names) {
    let length = 0;
    while (length < prefix.length && length < name.length && prefix[length] === name[length]) {
      length += 1;
    }
    prefix = prefix.slice(0, length);
  }
  return prefix;
}

/**
 * Splits names left unanswered under `prefix` by their next character, so each group shares a strictly
 * longer prefix (one group when they all share it). A name equal to the prefix cannot be narrowed: it goes
 * to `alone`, to be asked for on its own.
 */
function narrower(rest: readonly Waiting[], prefix: string, alone: Waiting[]): Waiting[][] {
  const byNext = new Map<string, Waiting[]>();
  for (const item of rest) {
    if (item.name.length <= prefix.length) {
      alone.push(item);
      continue;
    }
    const next = item.name[prefix.length]!;
    byNext.set(next, [...(byNext.get(next) ?? []), item]);
  }
  return [...byNext.values()];
}

export class ReadBack {
  private readonly waiting = new Map<string, Waiting[]>();
  private timer: NodeJS.Timeout | undefined;
  private readonly batch: number;
  private readonly waitMs: number;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly target: BlobTarget,
    options: ReadBackOptions = {},
  ) {
    this.batch = Math.max(1, options.batch ?? 250);
    this.waitMs = options.waitMs ?? 250;
  }

  /** What storage holds under the name, read back with the next batch; undefined when there is no blob. */
  properties(container: string, name: string): Promise<BlobProperties | undefined> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(container) ?? [];
      list.push({ name, resolve, reject });
      this.waiting.set(container, list);
      if (list.length >= this.batch) {
        this.start(container);
      } else {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.flush();
        }, this.waitMs);
      }
    });
  }

  /** Reads back every blob waiting now; resolves when every read back started so far has ended. */
  async drain(): Promise<void> {
    this.flush();
    while (this.running.size > 0) {
      await Promise.all(this.running);
    }
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const container of [...this.waiting.keys()]) {
      this.start(container);
    }
  }

  private start(container: string): void {
    const list = this.waiting.get(container) ?? [];
    this.waiting.delete(container);
    if (list.length === 0) {
      return;
    }
    const run = this.readBack(container, list).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async readBack(container: string, list: Waiting[]): Promise<void> {
    // One listing per folder, under the longest prefix its names share: a batch spanning folders
    // `a/` and `b/` would otherwise list everything under the container's root.
    const folders = new Map<string, Waiting[]>();
    for (const item of list) {
      const folder = item.name.slice(0, item.name.lastIndexOf("/") + 1);
      const group = folders.get(folder);
      if (group) {
        group.push(item);
      } else {
        folders.set(folder, [item]);
      }
    }
    await Promise.all([...folders.values()].map((group) => this.readBackGroup(container, group)));
  }

  private async readBackGroup(container: string, list: Waiting[]): Promise<void> {
    // Bounded listings: a prefix shared with many other blobs (the customer's, or this copy's earlier
    // ones) stops a listing early. The names it did not reach are listed again under a longer prefix
    // (split by their next character when they share no longer one), so a batch straddling `set/19…` and
    // `set/2…` costs two short listings rather than a Get Blob Properties each. What is still unanswered
    // after a few listings, or when listing fails, is asked for one by one.
    let listings = 2 + Math.ceil(list.length / 4);
    const queue: Waiting[][] = [list];
    const unlisted: Waiting[] = [];
    for (let group = queue.shift(); group !== undefined; group = queue.shift()) {
      if (listings === 0) {
        unlisted.push(...group);
        continue;
      }
      listings -= 1;
      const prefix = commonPrefix(group.map((item) => item.name));
      let listing: { blobs: Map<string, BlobProperties>; complete: boolean };
      try {
        listing = await this.target.list(container, prefix, 4 * group.length + 100);
      } catch {
        unlisted.push(...group); // Each blob is asked for on its own below: its own error is its own.
        continue;
      }
      const rest: Waiting[] = [];
      for (const item of group) {
        const listed = listing.blobs.get(item.name);
        if (listed !== undefined || listing.complete) {
          item.resolve(listed);
        } else {
          rest.push(item);
        }
      }
      queue.push(...narrower(rest, prefix, unlisted));
    }
    // A few at a time: a failed listing must not turn into hundreds of requests at once.
    for (let at = 0; at < unlisted.length; at += ASKED_AT_ONCE) {
      await Promise.all(
        unlisted.slice(at, at + ASKED_AT_ONCE).map(async (item) => {
          try {
            item.resolve(await this.target.properties(container, item.name));
          } catch (error) {
            item.reject(error);
          }
        }),
      );
    }
  }
}

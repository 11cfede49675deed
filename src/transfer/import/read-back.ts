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
    const names = list.map((item) => item.name).sort();
    let listing: { blobs: Map<string, BlobProperties>; complete: boolean } | undefined;
    try {
      // Bounded: a prefix shared with many other blobs (the customer's, or this copy's earlier ones)
      // stops the listing early, and what it did not reach is asked for one by one.
      listing = await this.target.list(container, commonPrefix(names), 4 * list.length + 100);
    } catch {
      listing = undefined; // Each blob is asked for on its own below: its own error is its own.
    }
    const unlisted: Waiting[] = [];
    for (const item of list) {
      const listed = listing?.blobs.get(item.name);
      if (listed !== undefined || listing?.complete === true) {
        item.resolve(listed);
      } else {
        unlisted.push(item);
      }
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

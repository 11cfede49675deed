/**
 * @module The file share target on a real folder: shares created, files written whole (a write cut short
 * leaves no file under its name, only a temporary one the next attempt replaces), create-only vs replace,
 * read back by MD5, and no way out of the share root: bad names, `..`, and symlinks leading outside.
 */

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import {
  createFileShareTarget,
  type FileShareError,
  type FileShareTarget,
} from "../../../src/transfer/fileshare/target.js";
import { TMP } from "../../support/db.js";

function folder(label: string): string {
  const path = join(TMP, "fileshare", `${label}-${randomUUID().slice(0, 8)}`);
  mkdirSync(path, { recursive: true });
  after(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

async function* parts(...chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const chunk of chunks) {
    yield chunk;
  }
}

const md5 = (data: Buffer) => createHash("md5").update(data).digest("base64");
const write = (target: FileShareTarget, share: string, path: string, data: Buffer, replace = false) =>
  target.write(share, path, parts(data.subarray(0, 7), data.subarray(7)), { tempTag: `t/${path}`, replace });

/** Asserts `promise` refuses with the target's `code`. */
async function refuses(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: FileShareError) => {
    assert.equal(error.name, "FileShareError", String(error));
    assert.equal(error.code, code, error.message);
    if (message) {
      assert.match(error.message, message);
    }
    return true;
  });
}

describe("a file share root out of reach", () => {
  it("is never made: a missing root is a share not mounted, out of reach until it is there", async () => {
    const root = join(folder("missing"), "mnt", "nas");
    const target = createFileShareTarget({ root });
    assert.equal(await target.reachable(), false);
    await assert.rejects(write(target, "media", "a.bin", randomBytes(10)), (error: FileShareError) => {
      assert.equal(error.unreachable, true);
      assert.match(error.message, /^The file share root is not there: is the share mounted\?/);
      return true;
    });
    assert.ok(!existsSync(root), "the root was not made");
    mkdirSync(root, { recursive: true });
    assert.equal(await target.reachable(), true);
    await write(target, "media", "a.bin", Buffer.from("now"));
    assert.equal(readFileSync(join(root, "media", "a.bin"), "utf8"), "now");
  });

  it("unmounted mid-copy, its mount point left as an empty folder, is out of reach, and nothing is written there", async (t) => {
    // A tmpfs stands for the mounted share (mounting needs root, as the export's full-drive test does).
    const root = join(folder("unmounted"), "mnt");
    mkdirSync(root);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", root], { stdio: "ignore" });
    } catch {
      t.skip("no file system can be mounted here (root only)");
      return;
    }
    let mounted = true;
    try {
      const target = createFileShareTarget({ root });
      await write(target, "media", "first.bin", Buffer.from("on the share"));
      execFileSync("umount", [root]);
      mounted = false;
      assert.equal(await target.reachable(), false);
      await assert.rejects(
        write(target, "media", "second.bin", Buffer.from("x")),
        (error: FileShareError) => {
          assert.equal(error.unreachable, true);
          assert.match(error.message, /is no longer a mounted file system \(unmounted\?\)/);
          return true;
        },
      );
      assert.deepEqual(readdirSync(root), [], "nothing written into the bare mount point");
      // Mounted again (a fresh share here, as a remount of the same one would be): writes go on.
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", root], { stdio: "ignore" });
      mounted = true;
      assert.equal(await target.reachable(), true);
      await write(target, "media", "second.bin", Buffer.from("after"));
      assert.equal(readFileSync(join(root, "media", "second.bin"), "utf8"), "after");
    } finally {
      if (mounted) {
        execFileSync("umount", [root]);
      }
    }
  });

  it("removed mid-copy is out of reach until it is back", async () => {
    const root = join(folder("removed"), "share-root");
    mkdirSync(root);
    const target = createFileShareTarget({ root });
    await write(target, "media", "first.bin", Buffer.from("before"));
    rmSync(root, { recursive: true });
    await assert.rejects(write(target, "media", "second.bin", Buffer.from("x")), (error: FileShareError) => {
      assert.equal(error.unreachable, true);
      assert.match(error.message, /^The file share root is no longer there: is the share mounted\?/);
      return true;
    });
    assert.equal(await target.reachable(), false);
    assert.ok(!existsSync(root), "not made again");
    mkdirSync(root);
    assert.equal(await target.reachable(), true);
    await write(target, "media", "second.bin", Buffer.from("after"));
    assert.equal(readFileSync(join(root, "media", "second.bin"), "utf8"), "after");
  });

  it("says a file's own refusal is not the share's: a bad name or a folder in the way is reachable", async () => {
    const root = folder("own");
    const target = createFileShareTarget({ root });
    writeFileSync(join(root, "media"), "a file where the share's folder would be");
    await assert.rejects(write(target, "media", "x/y.bin", Buffer.from("x")), (error: FileShareError) => {
      assert.equal(error.unreachable, false, error.message);
      return true;
    });
    assert.equal(await target.reachable(), true);
  });
});

describe("file share target", () => {
  it("creates the share in its root, writes a file in new folders, reads it back", async () => {
    const root = join(folder("write"), "shares");
    mkdirSync(root);
    const target = createFileShareTarget({ root });
    await target.ensureShare("media");
    assert.ok(existsSync(join(root, "media")));
    const data = randomBytes(100_000);
    await write(target, "media", "2024/jan/clip.bin", data);
    assert.ok(readFileSync(join(root, "media", "2024", "jan", "clip.bin")).equals(data));
    assert.deepEqual(await target.stat("media", "2024/jan/clip.bin"), { file: true, length: data.length });
    assert.equal(await target.md5("media", "2024/jan/clip.bin"), md5(data));
    assert.equal(await target.stat("media", "2024/jan/other"), undefined);
    assert.equal(await target.stat("media", "nofolder/x"), undefined);
    assert.equal(await target.md5("media", "nofolder/x"), undefined);
    assert.deepEqual(await target.stat("media", "2024"), {
      file: false,
      length: (await target.stat("media", "2024"))!.length,
    });
    assert.equal(await target.md5("media", "2024"), undefined, "a folder is no file");
    // Nothing but the file is left in its folder: the temporary name is gone.
    assert.deepEqual(readdirSync(join(root, "media", "2024", "jan")), ["clip.bin"]);
    const empty = Buffer.alloc(0);
    await target.write("media", "empty", parts(), { tempTag: "e", replace: false });
    assert.equal(await target.md5("media", "empty"), md5(empty));
  });

  it("creates only when nothing is there, replaces when told", async () => {
    const root = folder("dispositions");
    const target = createFileShareTarget({ root });
    const first = Buffer.from("first version");
    await write(target, "docs", "a.txt", first);
    await refuses(write(target, "docs", "a.txt", Buffer.from("second")), "AlreadyExists", /docs\/a\.txt/);
    assert.ok(readFileSync(join(root, "docs", "a.txt")).equals(first), "the file there is untouched");
    assert.deepEqual(
      readdirSync(join(root, "docs")),
      ["a.txt"],
      "and the refused write left no temporary file",
    );
    const second = Buffer.from("second, longer version");
    await write(target, "docs", "a.txt", second, true);
    assert.ok(readFileSync(join(root, "docs", "a.txt")).equals(second));
    // A folder at the name is not replaced by a file.
    mkdirSync(join(root, "docs", "dir"));
    await refuses(write(target, "docs", "dir", first, true), "IOFailed");
  });

  it("leaves no file under its name when the bytes stop coming, and the next attempt replaces the temporary file", async () => {
    const root = folder("crash");
    const target = createFileShareTarget({ root });
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.from("half of it");
      throw new Error("the drive went away");
    }
    await assert.rejects(
      target.write("docs", "big.bin", broken(), { tempTag: "drive1/7", replace: false }),
      /the drive went away/,
    );
    assert.equal(await target.stat("docs", "big.bin"), undefined);
    assert.deepEqual(readdirSync(join(root, "docs")), [], "a failed write cleans its temporary file");

    // A crash (the process killed mid-write) leaves the temporary file: seen from inside the source while
    // the write is under way, then put back after the write fails, as a kill would have left it.
    let during: string[] = [];
    let visible: unknown;
    async function* killed(): AsyncGenerator<Buffer> {
      yield Buffer.from("partial bytes");
      yield Buffer.from(" and more");
      during = readdirSync(join(root, "docs"));
      visible = await target.stat("docs", "big.bin");
      throw new Error("killed");
    }
    await assert.rejects(
      target.write("docs", "big.bin", killed(), { tempTag: "drive1/7", replace: false }),
      /killed/,
    );
    assert.equal(during.length, 1);
    assert.match(during[0]!, /^\.sneakernet-[0-9a-f]{20}\.part$/, "only a hidden temporary file is visible");
    assert.equal(visible, undefined, "no file under its name mid-write");
    writeFileSync(join(root, "docs", during[0]!), "partial bytes");
    // The resumed attempt (same tag) overwrites it and leaves only the whole file.
    const whole = randomBytes(50_000);
    await target.write("docs", "big.bin", parts(whole), { tempTag: "drive1/7", replace: false });
    assert.deepEqual(readdirSync(join(root, "docs")), ["big.bin"]);
    assert.equal(await target.md5("docs", "big.bin"), md5(whole));
  });

  it("refuses names that are not Azure Files names, and any way out of the share", async () => {
    const root = folder("names");
    const target = createFileShareTarget({ root });
    const data = Buffer.from("x");
    for (const path of [
      "../escape",
      "a/../../escape",
      "./a",
      "a//b",
      "/abs",
      "a/",
      "a\\b",
      "a:b",
      "a\u0000b",
      "",
    ]) {
      await refuses(write(target, "docs", path, data), "PathInvalid");
    }
    for (const share of ["..", "Docs", "a", "$root", "../x", "x/y"]) {
      await refuses(target.ensureShare(share), "PathInvalid");
      await refuses(write(target, share, "a", data), "PathInvalid");
      await refuses(target.stat(share, "a"), "PathInvalid");
    }
    assert.deepEqual(readdirSync(root), []);
    assert.deepEqual(readdirSync(join(root, "..")).includes("escape"), false);
  });

  it("refuses to follow a symlink out of the share root, before creating anything beyond it", async () => {
    const base = folder("symlinks");
    const root = join(base, "root");
    const outside = join(base, "outside");
    mkdirSync(join(root, "docs"), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, "secret"), "do not read");
    symlinkSync(outside, join(root, "docs", "out"));
    symlinkSync(outside, join(root, "evil"));
    const target = createFileShareTarget({ root });
    const data = Buffer.from("x");
    await refuses(write(target, "docs", "out/new.txt", data), "PathEscapes", /outside the share root/);
    await refuses(write(target, "docs", "out/deeper/new.txt", data), "PathEscapes");
    await refuses(target.md5("docs", "out/secret"), "PathEscapes");
    await refuses(target.stat("docs", "out/secret"), "PathEscapes");
    await refuses(write(target, "evil", "new.txt", data), "PathEscapes");
    await refuses(
      target.ensureShare("evil").then(() => write(target, "evil", "x", data)),
      "PathEscapes",
    );
    assert.deepEqual(readdirSync(outside), ["secret"], "nothing was created outside");

    // A symlink as the file's own name: never read through, and replaced (not followed) by an overwrite.
    symlinkSync(join(outside, "secret"), join(root, "docs", "link"));
    assert.equal(await target.md5("docs", "link"), undefined);
    assert.deepEqual((await target.stat("docs", "link"))?.file, false, "taken, but not a file");
    await refuses(write(target, "docs", "link", data), "AlreadyExists");
    await write(target, "docs", "link", data, true);
    assert.equal(readFileSync(join(outside, "secret"), "utf8"), "do not read");
    assert.equal(readFileSync(join(root, "docs", "link"), "utf8"), "x");

    // A planted symlink at the temporary name is removed, not written through.
    const tag = "drive/1";
    await target.write("docs", "t.txt", parts(data), { tempTag: tag, replace: false });
    const victim = join(outside, "victim");
    writeFileSync(victim, "keep");
    // The temporary name is derived from the tag and path: find it by writing once more with a stalled source.
    let seen!: (name: string) => void;
    const temporary = new Promise<string>((done) => (seen = done));
    async function* peek(): AsyncGenerator<Buffer> {
      yield data;
      seen(readdirSync(join(root, "docs")).find((name) => name.endsWith(".part"))!);
    }
    await target.write("docs", "u.txt", peek(), { tempTag: tag, replace: false });
    const name = await temporary;
    symlinkSync(victim, join(root, "docs", name));
    await target.write("docs", "u.txt", parts(Buffer.from("new")), { tempTag: tag, replace: true });
    assert.equal(readFileSync(victim, "utf8"), "keep");
    assert.equal(readFileSync(join(root, "docs", "u.txt"), "utf8"), "new");

    // A symlink inside the root is followed: it stays in.
    mkdirSync(join(root, "docs", "real"));
    symlinkSync(join(root, "docs", "real"), join(root, "docs", "alias"));
    await write(target, "docs", "alias/in.txt", data);
    assert.equal(readFileSync(join(root, "docs", "real", "in.txt"), "utf8"), "x");
  });
});

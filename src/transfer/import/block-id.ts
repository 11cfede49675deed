/** @module The id a file's block is staged under: the same for the same block on every run, so a resume finds it. */

/**
 * A block's id: the file id, the block index and the block's MD5, in 24 bytes (32 base64 characters,
 * the same length for every block, as Put Block List needs). With the MD5 in it, a block of that id in
 * the uncommitted list was staged with that MD5, which the service checked: it holds exactly those bytes.
 */
export function blockId(fileId: number, index: number, md5: string): string {
  const raw = Buffer.alloc(24);
  raw.writeUInt32BE(fileId, 0);
  raw.writeUInt32BE(index, 4);
  Buffer.from(md5, "base64").copy(raw, 8);
  return raw.toString("base64");
}

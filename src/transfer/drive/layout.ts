/**
 * @module Where things live on a drive and how big they may be: the fixed file names, the data files'
 * anonymous names, the block geometry, and every bound a reader checks before it gives memory to a
 * length or a count read from the drive.
 */

/** The plain header, at the root so a station can identify a drive before it has the key. */
export const HEADER_FILE = "sneakernet-drive.json";
/** Where the writer puts the sealed manifest; the job's `manifestFile` may name another place. */
export const MANIFEST_FILE = "sneakernet-manifest.bin";
export const DATA_FOLDER = "sneakernet-data";

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
/** What a stored block adds to its plaintext: its nonce before, its GCM tag after. */
export const BLOCK_OVERHEAD = NONCE_BYTES + TAG_BYTES;

const KiB = 1024;
const MiB = 1024 * KiB;
const TiB = 1024 * 1024 * MiB;

/** Blob storage takes at most 50,000 blocks per blob; one drive block is one staged blob block. */
export const MAX_BLOCKS_PER_FILE = 50_000;
/** The smallest block `drive prepare` chooses: Azure's high-throughput threshold for block blobs. */
export const PREFERRED_MIN_BLOCK_SIZE = 4 * MiB;
/**
 * The smallest block a drive may carry. The format allows blocks below 4 MiB so tests can cut a file
 * into many blocks with a few hundred KB; every block is still a multiple of 512, so page blobs align.
 */
export const MIN_BLOCK_SIZE = 4 * KiB;
/** The largest block: a station holds a few blocks in memory per file in flight, so this bounds its RSS. */
export const MAX_BLOCK_SIZE = 256 * MiB;
/** 50,000 blocks of 256 MiB: about 12.2 TiB, more than any drive a customer ships. */
export const MAX_FILE_SIZE = MAX_BLOCKS_PER_FILE * MAX_BLOCK_SIZE;
/** Blob storage's page blob limit (formats.md §3.10). */
export const MAX_PAGE_BLOB_SIZE = 8 * TiB;
export const PAGE_SIZE = 512;

/** Bounds on what a reader accepts from a drive, each checked before memory is given to it. */
export const LIMITS = {
  /** The header is a few hundred bytes; anything near this is not one. */
  headerBytes: 4 * KiB,
  /**
   * The sealed manifest is read whole. 128 MiB holds ~500,000 small files or ~3 million block hashes (a
   * full 12 TB drive of 4 MiB blocks); a drive that needs more is split over several drives.
   */
  manifestBytes: 128 * MiB,
  files: 500_000,
  /** A data path on the drive (ours are 31 characters; this leaves room for other writers). */
  pathChars: 1024,
  pathSegmentBytes: 255,
  /** The customer's own path of a file, kept for logs and `drive show` only. */
  sourcePathChars: 4096,
} as const;

/**
 * A data file's path on the drive: a number, never a customer's name (names are in the sealed manifest),
 * 1,000 files per folder so no folder grows to a size some filesystems handle badly.
 */
export function dataPath(fileId: number): string {
  const folder = String(Math.floor(fileId / 1000)).padStart(4, "0");
  return `${DATA_FOLDER}/${folder}/${String(fileId).padStart(8, "0")}.blk`;
}

/**
 * The block size `drive prepare` uses for a file: the smallest power of two from 4 MiB up that cuts
 * the file into at most 50,000 blocks.
 */
export function blockSizeFor(size: number): number {
  let blockSize = PREFERRED_MIN_BLOCK_SIZE;
  while (blockSize < MAX_BLOCK_SIZE && blockCountOf(size, blockSize) > MAX_BLOCKS_PER_FILE) {
    blockSize *= 2;
  }
  return blockSize;
}

export function isValidBlockSize(blockSize: number): boolean {
  return (
    Number.isInteger(blockSize) &&
    blockSize >= MIN_BLOCK_SIZE &&
    blockSize <= MAX_BLOCK_SIZE &&
    (blockSize & (blockSize - 1)) === 0
  );
}

/** An empty file has no block: its manifest entry alone says it is empty, and the manifest is sealed. */
export function blockCountOf(size: number, blockSize: number): number {
  return Math.ceil(size / blockSize);
}

/** The plaintext length of block `index` of a file: full blocks, then the rest. */
export function plainLengthOf(size: number, blockSize: number, index: number): number {
  return Math.min(blockSize, size - index * blockSize);
}

/** Where block `index` starts in its data file: blocks are stored back to back, each with its overhead. */
export function storedOffsetOf(blockSize: number, index: number): number {
  return index * (blockSize + BLOCK_OVERHEAD);
}

/** The exact length of a complete data file: a reader compares it with the file before reading. */
export function storedLengthOf(size: number, blockSize: number): number {
  return size + blockCountOf(size, blockSize) * BLOCK_OVERHEAD;
}

/**
 * @module The v2 dataset CSV (formats.md §1.4): RFC 4180 fields, folder vs file, prefixes, blob types by
 * column and by extension, dispositions, and each refusal naming its line and column; then planning a
 * dataset against real files: folders expanded in name order, symlinks, missing sources, clashes. The
 * Azure Files form (DstItemPathOrPrefix, ItemType file) likewise, with share names and share paths.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import { DatasetError, parseCsv, parseDataset, planDataset } from "../../../src/transfer/prepare/dataset.js";
import { TMP } from "../../support/db.js";

const HEADER = "BasePath,DstBlobPathOrPrefix,BlobType,Disposition,MetadataFile,PropertiesFile";
const BASE = "/data";

function folder(label: string): string {
  const path = join(TMP, "prepare", `${label}-${randomUUID().slice(0, 8)}`);
  mkdirSync(path, { recursive: true });
  after(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

describe("parseCsv", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, CRLF and a BOM", () => {
    const records = parseCsv('\uFEFFa,b\r\n"x, y","say ""hi""\nthere"\r\n\r\nlast,\n', "d.csv");
    assert.deepEqual(records, [
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x, y", 'say "hi"\nthere'] },
      { line: 5, fields: ["last", ""] },
    ]);
  });
  it("refuses an unclosed quote and a stray quote, naming the line", () => {
    assert.throws(() => parseCsv('a\n"open', "d.csv"), /d\.csv line 2: a quoted field is never closed/);
    assert.throws(() => parseCsv('a\nab"c', "d.csv"), /d\.csv line 2: a quote inside an unquoted field/);
  });
});

describe("parseDataset: rows", () => {
  const one = (row: string, header = HEADER) => parseDataset(`${header}\n${row}\n`, "d.csv", BASE)[0]!;
  const cases: [string, string, Record<string, unknown>][] = [
    [
      "a folder (trailing /) under a container",
      "/data/photos/,photos/",
      { source: "/data/photos", folder: true, container: "photos", blobPath: "", disposition: "rename" },
    ],
    [
      "a folder (trailing \\) under a prefix without its slash",
      "/data/photos\\,photos/2024",
      { source: "/data/photos", folder: true, blobPath: "2024/" },
    ],
    [
      "a file with its blob name",
      "/data/a.txt,docs/x/y.txt,,overwrite",
      { folder: false, container: "docs", blobPath: "x/y.txt", disposition: "overwrite" },
    ],
    ["a file under a prefix keeps its name", "/data/a.txt,docs/in/", { blobPath: "in/a.txt" }],
    ["a relative path is taken from the CSV's folder", "sub/a.txt,docs/a.txt", { source: "/data/sub/a.txt" }],
    [
      "a quoted path with a comma and spaces",
      '"/data/my files, old/",docs/',
      { source: "/data/my files, old" },
    ],
    [
      "a blob URL is read as container/path",
      "/data/a,https://acct.blob.core.windows.net/video/a",
      { container: "video", blobPath: "a" },
    ],
    [
      "BlobType page",
      "/data/a,docs/a,page,no-overwrite",
      { blobType: "PageBlob", disposition: "no-overwrite" },
    ],
    ["BlobType BlockBlob, any case", "/data/a,docs/a,BLOCKBLOB", { blobType: "BlockBlob" }],
    ["an empty BlobType is decided per file", "/data/a.vhd,docs/a.vhd", { blobType: undefined }],
    [
      "None as metadata and properties",
      "/data/a,docs/a,,,None,none",
      { metadataFile: undefined, propertiesFile: undefined },
    ],
    [
      "metadata and properties files, relative",
      "/data/a,docs/a,,,m.xml,/etc/p.xml",
      { metadataFile: "/data/m.xml", propertiesFile: "/etc/p.xml" },
    ],
    ["the two required columns alone", "/data/a,docs/a", { container: "docs" }],
  ];
  for (const [name, row, expected] of cases) {
    it(name, () => {
      const header = name === "the two required columns alone" ? "BasePath,DstBlobPathOrPrefix" : HEADER;
      const parsed = one(row, header) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(parsed[key], value, `${key} of ${JSON.stringify(parsed)}`);
      }
    });
  }
});

describe("parseDataset: refusals name the line and column", () => {
  const cases: [string, string, RegExp][] = [
    ["no header", "", /d\.csv is empty/],
    ["no row", `${HEADER}\n`, /has a header but no row/],
    ["an unknown column", "BasePath,Dst\n/a,b", /line 1: unknown column 'Dst'/],
    ["no destination column", "BasePath\n/a", /line 1: the header has no DstBlobPathOrPrefix column/],
    [
      "a header mixing the blob and Azure Files forms",
      "BasePath,DstBlobPathOrPrefix,ItemType\n/a,docs/,file",
      /line 1: the header mixes the blob form .* and the Azure Files form .*: split it in two/,
    ],
    ["too many fields", `${HEADER}\n/a,docs/a,,,,,extra`, /line 2: 7 fields for 6 columns/],
    ["an empty source", `${HEADER}\n,docs/a`, /line 2, column BasePath: the source path is empty/],
    [
      "a bad container",
      `${HEADER}\n/a,Docs/a`,
      /line 2, column DstBlobPathOrPrefix: 'Docs' is not a container name/,
    ],
    ["a short container", `${HEADER}\n/a,ab/a`, /'ab' is not a container name/],
    [
      "a blob name ending in .",
      `${HEADER}\n/a,docs/a.`,
      /column DstBlobPathOrPrefix: 'a\.' is not a blob name: .*end with/,
    ],
    ["a / in $root", `${HEADER}\n/a,$root/x/a`, /is not a blob name: a blob in \$root cannot hold/],
    [
      "a bad BlobType",
      `${HEADER}\n/a,docs/a,append`,
      /line 2, column BlobType: 'append' is not BlockBlob or PageBlob/,
    ],
    ["a bad Disposition", `${HEADER}\n/a,docs/a,,keep`, /line 2, column Disposition: 'keep' is not rename/],
  ];
  for (const [name, text, message] of cases) {
    it(name, () => {
      assert.throws(
        () => parseDataset(text, "d.csv", BASE),
        (error: Error) => {
          assert.ok(error instanceof DatasetError);
          assert.match(error.message, message);
          assert.ok(!error.message.includes("\n"), "one line");
          return true;
        },
      );
    });
  }
});

describe("planDataset", () => {
  it("expands folders in name order, keeps files, sizes them, types .vhd as page blobs, follows a symlink to a file", async () => {
    const root = folder("plan");
    mkdirSync(join(root, "tree", "b", "deep"), { recursive: true });
    writeFileSync(join(root, "tree", "z.txt"), "zz");
    writeFileSync(join(root, "tree", "a.vhd"), Buffer.alloc(1024));
    writeFileSync(join(root, "tree", "b", "deep", "ü.bin"), "123");
    writeFileSync(join(root, "single.txt"), "hello");
    symlinkSync(join(root, "single.txt"), join(root, "tree", "link.txt"));
    const page = parseDataset(`${HEADER}\nsingle.txt,docs/one.txt,page\n`, "d.csv", root);
    await assert.rejects(
      planDataset(page, "d.csv"),
      /line 2, column BlobType: .*5 bytes, not a multiple of 512/,
    );
    const rows = parseDataset(
      `${HEADER}\ntree/,photos/2024/,,overwrite\nsingle.txt,docs/one.txt\n`,
      "d.csv",
      root,
    );
    const planned = await planDataset(rows, "d.csv");
    assert.deepEqual(
      planned.map(({ line, file }) => [line, file.blobName, file.blobType, file.disposition, file.size]),
      [
        [2, "2024/a.vhd", "PageBlob", "overwrite", 1024],
        [2, "2024/b/deep/ü.bin", "BlockBlob", "overwrite", 3],
        [2, "2024/link.txt", "BlockBlob", "overwrite", 5],
        [2, "2024/z.txt", "BlockBlob", "overwrite", 2],
        [3, "one.txt", "BlockBlob", "rename", 5],
      ],
    );
    assert.equal(planned[0]!.file.sourcePath, join(root, "tree", "a.vhd"));
    assert.equal(planned[0]!.file.container, "photos");
  });

  it("gives every file of a row the row's metadata and properties", async () => {
    const root = folder("xml");
    mkdirSync(join(root, "tree"));
    writeFileSync(join(root, "tree", "a"), "1");
    writeFileSync(join(root, "tree", "b"), "2");
    writeFileSync(join(root, "m.xml"), "<Metadata><Project>Apollo</Project></Metadata>");
    writeFileSync(join(root, "p.xml"), "<Properties><Content-Type>text/plain</Content-Type></Properties>");
    const rows = parseDataset(`${HEADER}\ntree/,docs/,,,m.xml,p.xml\n`, "d.csv", root);
    const planned = await planDataset(rows, "d.csv");
    assert.equal(planned.length, 2);
    for (const { file } of planned) {
      assert.deepEqual(file.metadata, { Project: "Apollo" });
      assert.deepEqual(file.properties, { contentType: "text/plain" });
    }
  });

  const refusals: [string, (root: string) => string, RegExp][] = [
    [
      "a missing metadata file",
      (root) => (writeFileSync(join(root, "a"), "1"), "a,docs/a,,,m.xml"),
      /line 2, column MetadataFile: .*m\.xml does not exist/,
    ],
    [
      "a metadata file that is not one",
      (root) => {
        writeFileSync(join(root, "a"), "1");
        writeFileSync(join(root, "m.xml"), "<Metadata>\n<Bad name>x</Bad></Metadata>");
        return "a,docs/a,,,m.xml";
      },
      /line 2, column MetadataFile: .*m\.xml line 2: <Bad> takes no attributes\.$/,
    ],
    [
      "a property too long",
      (root) => {
        writeFileSync(join(root, "a"), "1");
        writeFileSync(
          join(root, "p.xml"),
          `<Properties><Content-Type>${"x".repeat(300)}</Content-Type></Properties>`,
        );
        return "a,docs/a,,,,p.xml";
      },
      /line 2, column PropertiesFile: .*p\.xml sets contentType: /,
    ],
    [
      "a missing source",
      () => "nothere.txt,docs/a",
      /line 2, column BasePath: .*nothere\.txt does not exist/,
    ],
    [
      "a folder without its slash",
      (root) => (mkdirSync(join(root, "f")), "f,docs/a"),
      /is a folder: end it with \//,
    ],
    [
      "a file given as a folder",
      (root) => (writeFileSync(join(root, "f"), "x"), "f/,docs/"),
      /is not a folder/,
    ],
    [
      "a symlink to a folder",
      (root) => {
        mkdirSync(join(root, "t"));
        symlinkSync(root, join(root, "t", "loop"));
        return "t/,docs/";
      },
      /loop is a symlink to a folder, which is not followed/,
    ],
    [
      "a dangling symlink",
      (root) => {
        mkdirSync(join(root, "t"));
        symlinkSync(join(root, "gone"), join(root, "t", "dead"));
        return "t/,docs/";
      },
      /dead is a symlink to nothing/,
    ],
    [
      "two sources for one blob",
      (root) => {
        writeFileSync(join(root, "a"), "1");
        writeFileSync(join(root, "b"), "2");
        return "a,docs/x\nb,docs/x";
      },
      /line 3, column DstBlobPathOrPrefix: docs\/x is already the destination of a file from line 2/,
    ],
  ];
  for (const [name, setup, message] of refusals) {
    it(`refuses ${name}`, async () => {
      const root = folder("refuse");
      const rows = parseDataset(`${HEADER}\n${setup(root)}\n`, "d.csv", root);
      await assert.rejects(planDataset(rows, "d.csv"), (error: Error) => {
        assert.ok(error instanceof DatasetError, String(error));
        assert.match(error.message, message);
        return true;
      });
    });
  }
});

const FILES_HEADER = "BasePath,DstItemPathOrPrefix,ItemType,Disposition,MetadataFile,PropertiesFile";

describe("parseDataset: the Azure Files form", () => {
  const one = (row: string, header = FILES_HEADER) => parseDataset(`${header}\n${row}\n`, "d.csv", BASE)[0]!;
  const cases: [string, string, Record<string, unknown>][] = [
    [
      "a folder to a share",
      "/data/photos/,photos/,file",
      { itemType: "file", folder: true, container: "photos", blobPath: "", disposition: "rename" },
    ],
    [
      "a folder to a path in a share, without its slash",
      "/data/photos/,photos/2024/jan,FILE,overwrite",
      {
        itemType: "file",
        folder: true,
        container: "photos",
        blobPath: "2024/jan/",
        disposition: "overwrite",
      },
    ],
    [
      "a file with its path",
      "/data/a.txt,docs/x/y.txt,File,no-overwrite",
      {
        itemType: "file",
        folder: false,
        container: "docs",
        blobPath: "x/y.txt",
        disposition: "no-overwrite",
      },
    ],
    ["a file under a folder keeps its name", "/data/a.txt,docs/in/,file", { blobPath: "in/a.txt" }],
    [
      "a share URL is read as share/path",
      "/data/a,https://acct.file.core.windows.net/video/a,file",
      { container: "video", blobPath: "a" },
    ],
  ];
  for (const [name, row, expected] of cases) {
    it(name, () => {
      const parsed = one(row) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(parsed[key], value, `${key} of ${JSON.stringify(parsed)}`);
      }
    });
  }
  it("takes the three required columns alone, in any case", () => {
    const row = one("/data/a,docs/a,file", "basepath,DSTITEMPATHORPREFIX,itemtype");
    assert.equal(row.itemType, "file");
    assert.equal(row.blobPath, "a");
  });
  it("leaves a blob form row without an item type", () => {
    assert.equal(one("/data/a,docs/a", "BasePath,DstBlobPathOrPrefix").itemType, undefined);
  });

  const refusals: [string, string, RegExp][] = [
    [
      "no ItemType column",
      "BasePath,DstItemPathOrPrefix\n/a,docs/a",
      /line 1: the header has no ItemType column/,
    ],
    ["a BlobType column", `${FILES_HEADER},BlobType\n/a,docs/a,file`, /line 1: the header mixes/],
    [
      "an item type other than file",
      `${FILES_HEADER}\n/a,docs/a,blob`,
      /line 2, column ItemType: 'blob' is not file/,
    ],
    ["an empty item type", `${FILES_HEADER}\n/a,docs/a,`, /line 2, column ItemType: '' is not file/],
    [
      "a bad share name",
      `${FILES_HEADER}\n/a,My_Share/a,file`,
      /line 2, column DstItemPathOrPrefix: 'My_Share' is not a share name/,
    ],
    ["$root, which is no share", `${FILES_HEADER}\n/a,$root/a,file`, /'\$root' is not a share name/],
    ["a double hyphen in a share name", `${FILES_HEADER}\n/a,my--share/a,file`, /is not a share name/],
    [
      ".. in a file's path",
      `${FILES_HEADER}\n/a,docs/../etc/passwd,file`,
      /column DstItemPathOrPrefix: '\.\.\/etc\/passwd' is not a file path in a share: .*'\.\.'/,
    ],
    [
      ".. in a folder's path",
      `${FILES_HEADER}\n/a/,docs/x/../../,file`,
      /column DstItemPathOrPrefix: 'x\/\.\.\/\.\.\/' is not a folder path in a share/,
    ],
    ["an empty segment", `${FILES_HEADER}\n/a,docs/x//y,file`, /is not a file path in a share: .*empty/],
    ["a . segment", `${FILES_HEADER}\n/a,docs/./y,file`, /is not a file path in a share/],
    [
      "a character Azure Files refuses",
      `${FILES_HEADER}\n/a,docs/a:b,file`,
      /may not hold " \\ : \| < > \* \?/,
    ],
    ["a backslash", `${FILES_HEADER}\n/a,"docs/a\\b",file`, /is not a file path in a share/],
    ["a control character", `${FILES_HEADER}\n/a,"docs/a\u0001b",file`, /control character/],
    ["a name longer than 255 bytes", `${FILES_HEADER}\n/a,docs/${"é".repeat(128)},file`, /at most 255 bytes/],
    ["a bad Disposition", `${FILES_HEADER}\n/a,docs/a,file,keep`, /line 2, column Disposition: 'keep'/],
  ];
  for (const [name, text, message] of refusals) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => parseDataset(text, "d.csv", BASE),
        (error: Error) => {
          assert.ok(error instanceof DatasetError, String(error));
          assert.match(error.message, message);
          assert.ok(!error.message.includes("\n"), "one line");
          return true;
        },
      );
    });
  }

  it("plans file share items: a folder's files under the path, no page blobs, metadata kept for the manifest", async () => {
    const root = folder("files");
    mkdirSync(join(root, "tree", "sub"), { recursive: true });
    writeFileSync(join(root, "tree", "disk.vhd"), "not a multiple of 512");
    writeFileSync(join(root, "tree", "sub", "b.txt"), "bb");
    writeFileSync(join(root, "one.txt"), "1");
    writeFileSync(join(root, "m.xml"), "<Metadata><Project>Apollo</Project></Metadata>");
    const rows = parseDataset(
      `${FILES_HEADER}\ntree/,share-1/in/,file,overwrite\none.txt,share-1/,file,,m.xml\n`,
      "d.csv",
      root,
    );
    const planned = await planDataset(rows, "d.csv");
    assert.deepEqual(
      planned.map(({ file }) => [
        file.itemType,
        file.container,
        file.blobName,
        file.blobType,
        file.disposition,
      ]),
      [
        ["file", "share-1", "in/disk.vhd", "BlockBlob", "overwrite"],
        ["file", "share-1", "in/sub/b.txt", "BlockBlob", "overwrite"],
        ["file", "share-1", "one.txt", "BlockBlob", "rename"],
      ],
    );
    assert.deepEqual(planned[2]!.file.metadata, { Project: "Apollo" });
  });

  it("refuses two sources for one file, whatever the case of their names (Azure Files ignores it)", async () => {
    const root = folder("files-clash");
    writeFileSync(join(root, "a"), "1");
    writeFileSync(join(root, "b"), "2");
    const rows = parseDataset(`${FILES_HEADER}\na,docs/Read.me,file\nb,docs/read.ME,file\n`, "d.csv", root);
    await assert.rejects(
      planDataset(rows, "d.csv"),
      /line 3, column DstItemPathOrPrefix: docs\/read\.ME is already the destination of a file from line 2/,
    );
  });

  it("refuses a file in a folder whose name would not be a share path", async () => {
    const root = folder("files-bad-name");
    mkdirSync(join(root, "t"));
    writeFileSync(join(root, "t", "a|b"), "1");
    const rows = parseDataset(`${FILES_HEADER}\nt/,docs/,file\n`, "d.csv", root);
    await assert.rejects(
      planDataset(rows, "d.csv"),
      /column DstItemPathOrPrefix: .*a\|b would be the file 'a\|b', which is not a path in a share/,
    );
  });
});

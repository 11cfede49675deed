/** @module Export selection (formats.md §2.5) as tables: prefixes, paths, snapshots, the root container, blob lists. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  blobListLocation,
  type ListedBlob,
  parseBlobList,
  SelectionError,
  selectionFromLists,
  selects,
} from "../../../src/transfer/export/selection.js";

const SNAP = "2026-11-30T10:00:00.1234567Z";
const OTHER_SNAP = "2026-11-30T10:00:00.1239999Z";

const blobs: ListedBlob[] = [
  { container: "bob", name: "a.txt" },
  { container: "bobkids", name: "b.txt" },
  { container: "music", name: "love/song.mp3" },
  { container: "music", name: "lovely.mp3" },
  { container: "music", name: "rock.mp3" },
  { container: "picturecontainer", name: "image" },
  { container: "picturecontainer", name: "image.png" },
  { container: "picturecontainer", name: "image2.png" },
  { container: "picturecontainer", name: "image/photo.png" },
  { container: "picturecontainer", name: "imagefiles/photo.png" },
  { container: "picturecontainer", name: "other.png" },
  { container: "$root", name: "logo.bmp" },
  { container: "pictures", name: "animals/koala.jpg" },
  { container: "pictures", name: "animals/koala.jpg", snapshot: SNAP },
  { container: "pictures", name: "animals/koala.jpg", snapshot: OTHER_SNAP },
];
const named = (b: ListedBlob) => `/${b.container}/${b.name}${b.snapshot ? `@${b.snapshot}` : ""}`;
const picked = (selection: Parameters<typeof selects>[0]) =>
  blobs.filter((b) => selects(selection, b)).map(named);

describe("export selection", () => {
  const prefixes: [string, string[]][] = [
    ["/", blobs.map(named)],
    ["/$root/", ["/$root/logo.bmp"]],
    ["/bob", ["/bob/a.txt", "/bobkids/b.txt"]],
    ["/bob/", ["/bob/a.txt"]],
    ["/music/love", ["/music/love/song.mp3", "/music/lovely.mp3"]],
    [
      "/picturecontainer/image",
      [
        "/picturecontainer/image",
        "/picturecontainer/image.png",
        "/picturecontainer/image2.png",
        "/picturecontainer/image/photo.png",
        "/picturecontainer/imagefiles/photo.png",
      ],
    ],
    [
      "/pictures/",
      [
        "/pictures/animals/koala.jpg",
        `/pictures/animals/koala.jpg@${SNAP}`,
        `/pictures/animals/koala.jpg@${OTHER_SNAP}`,
      ],
    ],
  ];
  for (const [prefix, expected] of prefixes) {
    it(`BlobPathPrefix ${prefix} is a plain prefix of /<container>/<blob>, snapshots included`, () => {
      assert.deepEqual(picked(selectionFromLists({ blobPathPrefix: [prefix] })), expected);
    });
  }

  it("BlobPath selects one blob and its snapshots, with or without a leading slash; $root for the root container", () => {
    const koala = [
      "/pictures/animals/koala.jpg",
      `/pictures/animals/koala.jpg@${SNAP}`,
      `/pictures/animals/koala.jpg@${OTHER_SNAP}`,
    ];
    assert.deepEqual(picked(selectionFromLists({ blobPath: ["pictures/animals/koala.jpg"] })), koala);
    assert.deepEqual(picked(selectionFromLists({ blobPath: ["/pictures/animals/koala.jpg"] })), koala);
    assert.deepEqual(picked(selectionFromLists({ blobPath: ["$root/logo.bmp"] })), ["/$root/logo.bmp"]);
    assert.deepEqual(
      picked(selectionFromLists({ blobPath: ["pictures/animals"] })),
      [],
      "a path is not a prefix",
    );
  });

  it("a blob list: IncludeSnapshots=false takes the base blob only; SnapshotTime exactly one snapshot, to the seventh decimal", () => {
    const list = parseBlobList(`<?xml version="1.0" encoding="utf-8"?>
      <BlobList>
        <!-- the base blob only -->
        <BlobPath IncludeSnapshots="false">pictures/animals/koala.jpg</BlobPath>
        <BlobPath SnapshotTime="${OTHER_SNAP}">/pictures/animals/koala.jpg</BlobPath>
        <BlobPathPrefix>/music/love</BlobPathPrefix>
      </BlobList>`);
    assert.deepEqual(picked(list), [
      "/music/love/song.mp3",
      "/music/lovely.mp3",
      "/pictures/animals/koala.jpg",
      `/pictures/animals/koala.jpg@${OTHER_SNAP}`,
    ]);
    const offset = parseBlobList(
      `<BlobList><BlobPath SnapshotTime="2026-11-30T11:00:00.1234567+01:00">pictures/animals/koala.jpg</BlobPath></BlobList>`,
    );
    assert.deepEqual(
      picked(offset),
      [`/pictures/animals/koala.jpg@${SNAP}`],
      "the same instant in another offset",
    );
  });

  const refused: [string, string, RegExp][] = [
    ["not XML", "koala.jpg", /no single <BlobList>/],
    ["not well-formed", "<BlobList><BlobPath>a/b</BlobList>", /The blob list closes <BlobList>/],
    ["a DOCTYPE", '<!DOCTYPE x [<!ENTITY e "boom">]><BlobList/>', /not well-formed/],
    ["an unknown entity", "<BlobList><BlobPath>a/&e;</BlobPath></BlobList>", /unknown entity &e;/],
    ["another root", "<Blobs><BlobPath>a/b</BlobPath></Blobs>", /no single <BlobList>/],
    [
      "an unknown element",
      "<BlobList><Blob>a/b</Blob></BlobList>",
      /holds <Blob>: only BlobPath and BlobPathPrefix/,
    ],
    ["nothing selected", "<BlobList></BlobList>", /selects nothing/],
    [
      "a prefix without its slash",
      "<BlobList><BlobPathPrefix>music</BlobPathPrefix></BlobList>",
      /must start with '\/'/,
    ],
    [
      "a path without a blob",
      "<BlobList><BlobPath>music/</BlobPath></BlobList>",
      /is not <container>\/<blob>/,
    ],
    [
      "a path without a container",
      "<BlobList><BlobPath>song.mp3</BlobPath></BlobList>",
      /is not <container>\/<blob>/,
    ],
    [
      "IncludeSnapshots not a boolean",
      '<BlobList><BlobPath IncludeSnapshots="no">a/b</BlobPath></BlobList>',
      /true or false/,
    ],
    [
      "SnapshotTime not a time",
      '<BlobList><BlobPath SnapshotTime="soon">a/b</BlobPath></BlobList>',
      /not a date and time/,
    ],
  ];
  for (const [what, xml, message] of refused) {
    it(`refuses a blob list with ${what} (BlobListFormatInvalid)`, () => {
      assert.throws(
        () => parseBlobList(xml),
        (error: unknown) =>
          error instanceof SelectionError &&
          error.code === "BlobListFormatInvalid" &&
          message.test(error.message),
      );
    });
  }

  it("refuses inline lists the same way", () => {
    assert.throws(() => selectionFromLists({ blobPathPrefix: ["music/"] }), /must start with '\//);
    assert.throws(() => selectionFromLists({ blobPath: ["nocontainer"] }), /is not <container>\/<blob>/);
  });

  describe("blobListBlobPath", () => {
    const endpoint = "http://127.0.0.1:10000/devstoreaccount1";
    const cases: [string, string, { container: string; blob: string }][] = [
      ["container/blob", "lists/export.xml", { container: "lists", blob: "export.xml" }],
      ["$root", "$root/list.xml", { container: "$root", blob: "list.xml" }],
      [
        "a URL in the account, its name URL-encoded",
        `${endpoint}/lists/my%20list%26more%E6%97%A5.xml`,
        { container: "lists", blob: "my list&more日.xml" },
      ],
      [
        "a URL whose name ends with an encoded space",
        `${endpoint}/waimportexport/waies/job%20.xml`,
        { container: "waimportexport", blob: "waies/job .xml" },
      ],
      [
        "a URL with a query (no SAS is kept)",
        `${endpoint}/lists/a.xml?sv=2024&sig=abc`,
        { container: "lists", blob: "a.xml" },
      ],
    ];
    for (const [what, path, expected] of cases) {
      it(`reads ${what}`, () => {
        assert.deepEqual(blobListLocation(path, endpoint), expected);
      });
    }

    for (const [what, path] of [
      ["another account", "http://127.0.0.1:10000/otheraccount/lists/a.xml"],
      ["an account whose name only starts the same", `${endpoint}x/lists/a.xml`],
      ["a URL with a stray %", `${endpoint}/lists/100%.xml`],
      ["no blob", "lists/"],
    ]) {
      it(`refuses ${what} as a SelectionError`, () => {
        assert.throws(() => blobListLocation(path!, endpoint), SelectionError);
      });
    }
  });
});

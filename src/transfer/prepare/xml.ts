/**
 * @module The metadata and properties files of a dataset row (formats.md §2.1–2.2): a root element whose
 * children each hold one text value. The parser accepts exactly that shape (an XML declaration, comments,
 * character references, CDATA) and refuses the rest — attributes, nesting, a DOCTYPE (no entity expansion
 * from a file a customer was sent) — with the line of the problem.
 */

import { metadataProblem } from "../drive/names.js";

/** A dataset's XML file that cannot be used; `line` is the XML file's own line. */
export class XmlFileError extends Error {
  override readonly name = "XmlFileError";
}

/** Blob storage's properties a properties file may set, by its element names. */
const PROPERTY_NAMES = {
  "Content-Type": "contentType",
  "Content-Encoding": "contentEncoding",
  "Content-Language": "contentLanguage",
  "Content-Disposition": "contentDisposition",
  "Cache-Control": "cacheControl",
} as const;

/** Written by an export (formats.md §2.2), the service's to set on import: accepted and left out. */
const SERVICE_PROPERTIES = new Set(["Last-Modified", "Etag", "Content-Length"]);

export type BlobProperties = Partial<Record<(typeof PROPERTY_NAMES)[keyof typeof PROPERTY_NAMES], string>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** The root's name and its children's names and texts, in order. */
export function parseFlatXml(text: string): {
  root: string;
  children: { name: string; value: string; line: number }[];
} {
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let at = 0;
  const lineAt = (index: number) => input.slice(0, index).split("\n").length;
  const fail = (why: string, index = at): never => {
    throw new XmlFileError(`line ${lineAt(index)}: ${why}`);
  };
  const skipMisc = () => {
    for (;;) {
      const rest = input.slice(at);
      const space = /^\s+/.exec(rest);
      if (space) {
        at += space[0].length;
      } else if (rest.startsWith("<!--")) {
        const end = input.indexOf("-->", at + 4);
        if (end === -1) {
          fail("a comment is never closed");
        }
        at = end + 3;
      } else {
        return;
      }
    }
  };
  const name = () => {
    const found = NAME.exec(input.slice(at));
    if (!found) {
      fail("an element name was expected");
    }
    at += found![0].length;
    return found![0];
  };
  const expect = (literal: string, why: string) => {
    if (!input.startsWith(literal, at)) {
      fail(why);
    }
    at += literal.length;
  };
  if (input.startsWith("<?xml")) {
    const end = input.indexOf("?>");
    if (end === -1) {
      fail("the XML declaration is never closed");
    }
    at = end + 2;
  }
  skipMisc();
  if (input.startsWith("<!DOCTYPE", at)) {
    fail("a DOCTYPE is not accepted");
  }
  expect("<", "the root element was expected");
  const root = name();
  skipSpaces();
  const children: { name: string; value: string; line: number }[] = [];
  if (input.startsWith("/>", at)) {
    at += 2;
  } else {
    expect(">", `<${root}> takes no attributes`);
    for (;;) {
      skipMisc();
      if (input.startsWith("</", at)) {
        at += 2;
        const closing = name();
        if (closing !== root) {
          fail(`</${closing}> closes <${root}>`);
        }
        skipSpaces();
        expect(">", `</${root}> is not closed`);
        break;
      }
      if (at >= input.length) {
        fail(`<${root}> is never closed`);
      }
      const start = at;
      expect("<", `text directly inside <${root}> (each value is in an element of its own)`);
      const child = name();
      skipSpaces();
      if (input.startsWith("/>", at)) {
        at += 2;
        children.push({ name: child, value: "", line: lineAt(start) });
        continue;
      }
      expect(">", `<${child}> takes no attributes`);
      const value = textUntilClose(child);
      children.push({ name: child, value, line: lineAt(start) });
    }
  }
  skipMisc();
  if (at < input.length) {
    fail(`there is something after </${root}>`);
  }
  return { root, children };

  function skipSpaces() {
    const space = /^\s*/.exec(input.slice(at))!;
    at += space[0].length;
  }

  function textUntilClose(element: string): string {
    let value = "";
    for (;;) {
      if (at >= input.length) {
        fail(`<${element}> is never closed`);
      }
      if (input.startsWith("<![CDATA[", at)) {
        const end = input.indexOf("]]>", at);
        if (end === -1) {
          fail("a CDATA section is never closed");
        }
        value += input.slice(at + 9, end);
        at = end + 3;
      } else if (input.startsWith("</", at)) {
        at += 2;
        const closing = name();
        if (closing !== element) {
          fail(`</${closing}> closes <${element}>`);
        }
        skipSpaces();
        expect(">", `</${element}> is not closed`);
        return value;
      } else if (input[at] === "<") {
        fail(`<${element}> holds an element: a value is text only`);
      } else if (input[at] === "&") {
        const end = input.indexOf(";", at);
        const entity = end === -1 ? "" : input.slice(at + 1, end);
        let char: string | undefined = ENTITIES[entity];
        const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(entity);
        if (numeric) {
          const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
          char =
            code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : undefined;
        }
        if (char === undefined) {
          fail(`'&${entity.slice(0, 12)}' is not a character reference (write & as &amp;)`);
        }
        value += char;
        at = end + 1;
      } else {
        value += input[at];
        at += 1;
      }
    }
  }
}

/** A metadata file: `<Metadata>` with one element per name (formats.md §2.1). */
export function parseMetadataXml(text: string): Record<string, string> {
  const { root, children } = parseFlatXml(text);
  if (root !== "Metadata") {
    throw new XmlFileError(`line 1: the root element is <${root}>, not <Metadata>`);
  }
  const metadata: Record<string, string> = {};
  for (const { name, value, line } of children) {
    if (Object.hasOwn(metadata, name)) {
      throw new XmlFileError(`line ${line}: <${name}> appears twice`);
    }
    // Trimmed as an HTTP header value would be: a pretty-printed file may indent or wrap its values.
    const trimmed = value.trim();
    const problem = metadataProblem({ ...metadata, [name]: trimmed });
    if (problem !== undefined) {
      throw new XmlFileError(`line ${line}: ${problem}`);
    }
    metadata[name] = trimmed;
  }
  return metadata;
}

/** A properties file: `<Properties>` with the elements of formats.md §2.2 that an import sets. */
export function parsePropertiesXml(text: string): BlobProperties {
  const { root, children } = parseFlatXml(text);
  if (root !== "Properties") {
    throw new XmlFileError(`line 1: the root element is <${root}>, not <Properties>`);
  }
  const properties: BlobProperties = {};
  for (const { name, value, line } of children) {
    if (SERVICE_PROPERTIES.has(name)) {
      continue;
    }
    if (name === "Content-MD5") {
      throw new XmlFileError(
        `line ${line}: Content-MD5 is computed from the file's own bytes when the drive is written: leave it out`,
      );
    }
    const key = PROPERTY_NAMES[name as keyof typeof PROPERTY_NAMES];
    if (key === undefined) {
      throw new XmlFileError(
        `line ${line}: <${name}> is not a blob property an import sets (${Object.keys(PROPERTY_NAMES).join(", ")})`,
      );
    }
    if (properties[key] !== undefined) {
      throw new XmlFileError(`line ${line}: <${name}> appears twice`);
    }
    const trimmed = value.trim();
    // eslint-disable-next-line no-control-regex -- a header value cannot carry control characters
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(trimmed)) {
      throw new XmlFileError(`line ${line}: <${name}> holds a control character`);
    }
    properties[key] = trimmed;
  }
  return properties;
}

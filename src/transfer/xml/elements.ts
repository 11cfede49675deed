/**
 * @module A small strict XML reader for the documents the service reads back (copy logs, blob lists):
 * elements, attributes, text, the five entities and character references; anything else is refused
 * rather than guessed at.
 */

export interface Element {
  name: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescape(text: string, what: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#x")) {
      return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    }
    if (ref.startsWith("#")) {
      return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    }
    const named = ENTITIES[ref];
    if (named === undefined) {
      throw new Error(`${what} uses an unknown entity ${whole}.`);
    }
    return named;
  });
}

const TOKEN =
  /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)/y;
const ATTRIBUTE = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/**
 * The document's elements under a nameless root; `what` names the document in errors ("The log").
 * Declarations and comments are skipped; a DOCTYPE, CDATA or anything else not well-formed is refused.
 */
export function parseElements(xml: string, what: string): Element {
  const root: Element = { name: "", attributes: {}, children: [], text: "" };
  const open: Element[] = [root];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < xml.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(xml);
    if (!match) {
      throw new Error(`${what} is not well-formed XML near character ${at}.`);
    }
    const [whole, closing, name, attributeText, selfClosing, text] = match;
    const current = open[open.length - 1] as Element;
    if (text !== undefined) {
      current.text += unescape(text, what);
    } else if (name === undefined) {
      continue; // a declaration or a comment
    } else if (closing) {
      if (current.name !== name) {
        throw new Error(`${what} closes <${name}> where <${current.name || "nothing"}> is open.`);
      }
      open.pop();
    } else {
      const attributes: Record<string, string> = {};
      for (const [, key, double, single] of (attributeText ?? "").matchAll(ATTRIBUTE)) {
        attributes[key as string] = unescape(double ?? single ?? "", what);
      }
      const element: Element = { name, attributes, children: [], text: "" };
      current.children.push(element);
      if (!selfClosing && !whole.endsWith("/>")) {
        open.push(element);
      }
    }
  }
  if (open.length !== 1) {
    throw new Error(`${what} ends inside <${open[open.length - 1]?.name}>.`);
  }
  return root;
}

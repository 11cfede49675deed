/** @module Reading a server-sent event stream (text/event-stream) as it arrives: its events, each with its id. */

/** One event of the stream: its type ("message" unless named), its id (when the server gave one) and data. */
export interface ServerEvent {
  event: string;
  id?: string;
  data: string;
}

/**
 * Takes a stream's text in whatever pieces it arrives and answers the events each piece completes, as
 * the HTML standard reads a stream: `field: value` lines, an event ended by a blank line, data lines
 * joined by "\n", comments (keep-alives) and `retry:` left out, CRLF and CR taken as LF.
 */
export class ServerEventReader {
  private buffer = "";
  /** The last piece ended with a CR: an LF that starts the next is the rest of that line's end. */
  private afterCR = false;
  private event = "";
  private id: string | undefined;
  private data: string[] = [];

  push(text: string): ServerEvent[] {
    if (text === "") {
      return []; // Nothing came (a decoder holding half a character): the CR must wait for real text.
    }
    this.buffer += this.afterCR && text.startsWith("\n") ? text.slice(1) : text;
    this.afterCR = text.endsWith("\r");
    const events: ServerEvent[] = [];
    let end: RegExpExecArray | null;
    while ((end = /\r\n|\r|\n/.exec(this.buffer)) !== null) {
      const line = this.buffer.slice(0, end.index);
      this.buffer = this.buffer.slice(end.index + end[0].length);
      const event = this.line(line);
      if (event) {
        events.push(event);
      }
    }
    return events;
  }

  private line(line: string): ServerEvent | undefined {
    if (line === "") {
      const data = this.data;
      const event = this.event || "message";
      this.event = "";
      this.data = [];
      return data.length > 0
        ? { event, data: data.join("\n"), ...(this.id !== undefined ? { id: this.id } : {}) }
        : undefined;
    }
    if (line.startsWith(":")) {
      return undefined;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") {
      this.data.push(value);
    } else if (field === "event") {
      this.event = value;
    } else if (field === "id" && !value.includes("\0")) {
      // The last id seen stays the stream's, also for the events after it that carry none.
      this.id = value;
    }
    return undefined;
  }
}

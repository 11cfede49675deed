/**
 * @module The `$filter` grammar of the job lists (the spec defines none):
 *
 *   filter := term ( "and" term )*
 *   term   := cond | "(" cond ( "or" cond )* ")" | match   -- every cond of one term names the same field
 *   cond   := ("state" | "jobType") "eq" "'" value "'"
 *   match  := ("startswith" | "contains") "(" "name" "," "'" text "'" ")"   -- at most one in a filter
 *
 * Keywords, function and field names are case-insensitive; values are matched case-insensitively against
 * the known states and job types, and `text` case-insensitively against job names, literally (no
 * wildcards). A quote inside `text` is written twice, as OData has it (`'it''s'`). A top-level `or`
 * without parentheses is accepted when the whole filter is one field's alternatives
 * (`state eq 'Creating' or state eq 'Shipping'`).
 */

import type { JobNameMatch } from "../../app/list-jobs.js";
import { type DomainError, errors } from "../../domain/errors.js";
import { JOB_STATES, JOB_TYPES } from "../../domain/states.js";

export interface JobFilter {
  states?: string[];
  jobTypes?: string[];
  name?: JobNameMatch;
}

const FIELDS = { state: JOB_STATES, jobtype: JOB_TYPES } as const;

function invalid(message: string): DomainError {
  return errors.filterInvalid(message);
}

/** Splits on a keyword surrounded by spaces, outside quotes and parentheses. */
function splitTop(text: string, keyword: "and" | "or"): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const lower = text.toLowerCase();
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      quoted = !quoted;
    } else if (!quoted && c === "(") {
      depth++;
    } else if (!quoted && c === ")") {
      depth--;
    } else if (!quoted && depth === 0 && lower.startsWith(` ${keyword} `, i)) {
      parts.push(text.slice(start, i));
      start = i + keyword.length + 2;
      i = start - 1;
    }
  }
  if (quoted || depth !== 0) {
    throw invalid("Unbalanced quote or parenthesis.");
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

type Condition = { field: keyof typeof FIELDS; value: string } | { field: "name"; match: JobNameMatch };

const FUNCTIONS = ["startswith", "contains"] as const;

/** `startswith(name,'text')` or `contains(name,'text')`; undefined when the text is not a function call. */
function nameMatch(text: string): Condition | undefined {
  const call = /^(\w+)\s*\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(text);
  if (!call) {
    return undefined;
  }
  const fn = call[1]!.toLowerCase();
  if (!(FUNCTIONS as readonly string[]).includes(fn)) {
    throw invalid(`Unknown function '${call[1]}'; the functions are startswith and contains.`);
  }
  if (call[2]!.toLowerCase() !== "name") {
    throw invalid(`${call[1]} applies to name only, not to '${call[2]}'.`);
  }
  return {
    field: "name",
    match: { kind: fn as JobNameMatch["kind"], text: call[3]!.replace(/''/g, "'") },
  };
}

function condition(text: string): Condition {
  const trimmed = text.trim();
  const byName = nameMatch(trimmed);
  if (byName) {
    return byName;
  }
  const match = /^(\w+)\s+eq\s+'([^']*)'$/i.exec(trimmed);
  if (!match) {
    throw invalid(`Cannot read '${text.slice(0, 60)}'.`);
  }
  const field = match[1]!.toLowerCase();
  if (field === "name") {
    throw invalid("Match names with startswith(name,'…') or contains(name,'…'); name eq is not supported.");
  }
  // hasOwn, not `in`: "constructor" or "__proto__" must be unknown fields, not Object.prototype members.
  if (!Object.hasOwn(FIELDS, field)) {
    throw invalid(
      `Unknown field '${match[1]}'; the fields are state and jobType (with eq) and name (with startswith or contains).`,
    );
  }
  const known = FIELDS[field as keyof typeof FIELDS] as readonly string[];
  const value = known.find((k) => k.toLowerCase() === match[2]!.toLowerCase());
  if (!value) {
    throw invalid(`'${match[2]}' is not a ${match[1]}; one of ${known.join(", ")}.`);
  }
  return { field: field as keyof typeof FIELDS, value };
}

export function parseJobFilter(text: string | undefined): JobFilter {
  if (text === undefined || text.trim() === "") {
    return {};
  }
  if (text.length > 1000) {
    throw invalid("The filter is too long.");
  }
  let terms = splitTop(text.trim(), "and");
  if (terms.length === 1 && !terms[0]!.startsWith("(")) {
    terms = [`(${terms[0]})`];
  }
  const sets: { -readonly [K in keyof typeof FIELDS]?: Set<string> } = {};
  let name: JobNameMatch | undefined;
  for (const term of terms) {
    const parenthesized = term.startsWith("(") && term.endsWith(")");
    const inner = parenthesized ? term.slice(1, -1) : term;
    if (!parenthesized && splitTop(inner, "or").length > 1) {
      throw invalid("Put alternatives joined by 'or' in parentheses when the filter also uses 'and'.");
    }
    const conds = splitTop(inner, "or").map(condition);
    const first = conds[0]!;
    if (conds.some((c) => c.field !== first.field)) {
      throw invalid("The alternatives joined by 'or' must all name the same field.");
    }
    if (first.field === "name") {
      if (conds.length > 1 || name) {
        throw invalid("Give at most one name condition (startswith or contains), without 'or'.");
      }
      name = first.match;
      continue;
    }
    const field = first.field;
    const values = new Set(conds.flatMap((c) => ("value" in c ? [c.value] : [])));
    const before = sets[field];
    // Two terms on one field must both hold: keep what they have in common.
    sets[field] = before ? new Set([...before].filter((v) => values.has(v))) : values;
  }
  const filter: JobFilter = {};
  if (sets.state) {
    filter.states = [...sets.state];
  }
  if (sets.jobtype) {
    filter.jobTypes = [...sets.jobtype];
  }
  if (name) {
    filter.name = name;
  }
  return filter;
}

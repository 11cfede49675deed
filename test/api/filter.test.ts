import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseJobFilter } from "../../src/api/arm/filter.js";
import { isDomainError } from "../../src/domain/errors.js";

/** Sorted copies, so the tests do not depend on the order values were written in. */
function norm(filter: { states?: string[]; jobTypes?: string[] }) {
  return {
    ...(filter.states ? { states: [...filter.states].sort() } : {}),
    ...(filter.jobTypes ? { jobTypes: [...filter.jobTypes].sort() } : {}),
  };
}

function refused(text: string): void {
  assert.throws(
    () => parseJobFilter(text),
    (error: unknown) => {
      assert.ok(
        isDomainError(error),
        `expected a DomainError for ${JSON.stringify(text)}, got ${String(error)}`,
      );
      assert.equal(error.code, "InvalidFilter");
      assert.equal(error.target, "$filter");
      return true;
    },
    `expected ${JSON.stringify(text)} to be refused`,
  );
}

describe("parseJobFilter: accepted forms", () => {
  it("no filter, empty and blank filters mean everything", () => {
    assert.deepEqual(parseJobFilter(undefined), {});
    assert.deepEqual(parseJobFilter(""), {});
    assert.deepEqual(parseJobFilter("   "), {});
  });

  it("one condition on state or jobType", () => {
    assert.deepEqual(parseJobFilter("state eq 'Shipping'"), { states: ["Shipping"] });
    assert.deepEqual(parseJobFilter("jobType eq 'Export'"), { jobTypes: ["Export"] });
  });

  it("every state and job type is accepted", () => {
    for (const state of [
      "Creating",
      "Shipping",
      "Received",
      "Transferring",
      "Packaging",
      "Completed",
      "Closed",
      "Canceled",
    ]) {
      assert.deepEqual(parseJobFilter(`state eq '${state}'`), { states: [state] });
    }
    for (const type of ["Import", "Export"]) {
      assert.deepEqual(parseJobFilter(`jobType eq '${type}'`), { jobTypes: [type] });
    }
  });

  it("keywords, field names and values are case-insensitive; values come back canonical", () => {
    assert.deepEqual(parseJobFilter("STATE EQ 'shipping'"), { states: ["Shipping"] });
    assert.deepEqual(parseJobFilter("State Eq 'CREATING'"), { states: ["Creating"] });
    assert.deepEqual(parseJobFilter("JOBTYPE eq 'import'"), { jobTypes: ["Import"] });
    assert.deepEqual(
      norm(parseJobFilter("state eq 'creating' AND jobtype EQ 'EXPORT'")),
      norm({ states: ["Creating"], jobTypes: ["Export"] }),
    );
    assert.deepEqual(
      norm(parseJobFilter("(state eq 'creating' OR state eq 'SHIPPING')")),
      norm({ states: ["Creating", "Shipping"] }),
    );
  });

  it("extra spaces around the whole filter and between words", () => {
    assert.deepEqual(parseJobFilter("  state   eq   'Shipping'  "), { states: ["Shipping"] });
    assert.deepEqual(
      norm(parseJobFilter("state eq 'Creating'   and   jobType eq 'Import'")),
      norm({ states: ["Creating"], jobTypes: ["Import"] }),
    );
  });

  it("`and` of two fields", () => {
    assert.deepEqual(norm(parseJobFilter("state eq 'Shipping' and jobType eq 'Import'")), {
      states: ["Shipping"],
      jobTypes: ["Import"],
    });
  });

  it("`or` alternatives in parentheses, alone or with `and`", () => {
    assert.deepEqual(norm(parseJobFilter("(state eq 'Creating' or state eq 'Shipping')")), {
      states: ["Creating", "Shipping"],
    });
    assert.deepEqual(
      norm(parseJobFilter("(state eq 'Creating' or state eq 'Shipping') and jobType eq 'Import'")),
      { states: ["Creating", "Shipping"], jobTypes: ["Import"] },
    );
    assert.deepEqual(
      norm(
        parseJobFilter(
          "jobType eq 'Export' and (state eq 'Completed' or state eq 'Closed' or state eq 'Canceled')",
        ),
      ),
      { states: ["Canceled", "Closed", "Completed"], jobTypes: ["Export"] },
    );
    assert.deepEqual(
      norm(parseJobFilter("(jobType eq 'Import' or jobType eq 'Export') and (state eq 'Received')")),
      { states: ["Received"], jobTypes: ["Export", "Import"] },
    );
  });

  it("a top-level `or` is accepted when the whole filter is one field's alternatives", () => {
    assert.deepEqual(norm(parseJobFilter("state eq 'Creating' or state eq 'Shipping'")), {
      states: ["Creating", "Shipping"],
    });
    assert.deepEqual(norm(parseJobFilter("jobType eq 'Import' or jobType eq 'Export'")), {
      jobTypes: ["Export", "Import"],
    });
  });

  it("a repeated alternative counts once", () => {
    assert.deepEqual(parseJobFilter("(state eq 'Creating' or state eq 'creating')"), {
      states: ["Creating"],
    });
    assert.deepEqual(parseJobFilter("state eq 'Creating' and state eq 'CREATING'"), {
      states: ["Creating"],
    });
  });

  it("two terms on one field keep what they have in common", () => {
    assert.deepEqual(
      parseJobFilter(
        "(state eq 'Creating' or state eq 'Shipping') and (state eq 'Shipping' or state eq 'Received')",
      ),
      { states: ["Shipping"] },
    );
  });

  it("a contradictory `and` yields an empty set (matches nothing), not everything", () => {
    assert.deepEqual(parseJobFilter("state eq 'Creating' and state eq 'Shipping'"), { states: [] });
    assert.deepEqual(parseJobFilter("jobType eq 'Import' and jobType eq 'Export'"), { jobTypes: [] });
    assert.deepEqual(
      norm(parseJobFilter("state eq 'Creating' and jobType eq 'Import' and jobType eq 'Export'")),
      { states: ["Creating"], jobTypes: [] },
    );
    assert.deepEqual(
      parseJobFilter(
        "(state eq 'Creating' or state eq 'Shipping') and (state eq 'Received' or state eq 'Closed')",
      ),
      { states: [] },
    );
  });

  it("a quoted value may hold keywords and parentheses without splitting (and is then refused as unknown)", () => {
    refused("state eq 'Creating and jobType'");
    refused("state eq 'a (or) b'");
  });
});

describe("parseJobFilter: refused forms", () => {
  it("unknown fields", () => {
    refused("name eq 'x'");
    refused("status eq 'Shipping'");
    refused("location eq 'westus'");
    refused("state eq 'Shipping' and location eq 'westus'");
  });

  it("field names that are Object.prototype members are unknown fields, not crashes", () => {
    refused("constructor eq 'x'");
    refused("__proto__ eq 'x'");
    refused("toString eq 'x'");
    refused("hasOwnProperty eq 'x'");
    refused("valueOf eq 'Creating'");
    refused("isPrototypeOf eq 'Import'");
  });

  it("unknown values", () => {
    refused("state eq 'Nope'");
    refused("state eq ''");
    refused("state eq 'Import'");
    refused("jobType eq 'Shipping'");
    refused("state eq 'Creating '");
  });

  it("operators other than eq", () => {
    refused("state ne 'Creating'");
    refused("state gt 'Creating'");
    refused("state = 'Creating'");
    refused("state eq Creating");
    refused('state eq "Creating"');
    refused("not state eq 'Creating'");
  });

  it("unbalanced quotes and parentheses", () => {
    refused("state eq 'Creating");
    refused("state eq Creating'");
    refused("state eq 'Creating''");
    refused("(state eq 'Creating'");
    refused("state eq 'Creating')");
    refused("((state eq 'Creating')");
    refused(")state eq 'Creating'(");
    refused(") and (");
    refused("'");
  });

  it("dangling or empty keywords and terms", () => {
    refused("state eq 'Creating' and");
    refused("and state eq 'Creating'");
    refused("state eq 'Creating' or");
    refused("state eq 'Creating' and and jobType eq 'Import'");
    refused("()");
    refused("(state eq 'Creating' or )");
    refused("and");
    refused("eq");
    refused("state");
    refused("state eq");
  });

  it("`or` across fields, and a top-level `or` mixed with `and`", () => {
    refused("(state eq 'Creating' or jobType eq 'Import')");
    refused("state eq 'Creating' or jobType eq 'Import'");
    refused("state eq 'Creating' or state eq 'Shipping' and jobType eq 'Import'");
    refused("jobType eq 'Import' and state eq 'Creating' or state eq 'Shipping'");
  });

  it("nested parentheses and other OData forms are not part of the grammar", () => {
    refused("((state eq 'Creating'))");
    refused("(state eq 'Creating') or (state eq 'Shipping')");
    refused("state in ('Creating','Shipping')");
    refused("contains(state, 'Creat')");
    refused("startswith(name, 'job')");
  });

  it("too long a filter", () => {
    const long = Array.from({ length: 60 }, () => "state eq 'Creating'").join(" and ");
    assert.ok(long.length > 1000);
    refused(long);
  });

  it("the refusal explains what a filter looks like", () => {
    try {
      parseJobFilter("state eq 'Nope'");
      assert.fail("expected a refusal");
    } catch (error) {
      assert.ok(isDomainError(error));
      assert.match(error.message, /'Nope'/);
      assert.match(error.message, /state eq 'Shipping'/);
    }
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { type JobFilter, parseJobFilter } from "../../src/api/arm/filter.js";
import { isDomainError } from "../../src/domain/errors.js";
import { JOB_STATES } from "../../src/domain/states.js";

/** Sorted copies, so the tests do not depend on the order values were written in. */
function norm(filter: JobFilter) {
  return {
    ...(filter.states ? { states: [...filter.states].sort() } : {}),
    ...(filter.jobTypes ? { jobTypes: [...filter.jobTypes].sort() } : {}),
    ...(filter.name ? { name: filter.name } : {}),
  };
}

/** The message of a filter's refusal (InvalidFilter); fails when the filter is accepted. */
function refusal(text: string): string {
  try {
    parseJobFilter(text);
  } catch (error) {
    assert.ok(isDomainError(error), String(error));
    assert.equal(error.code, "InvalidFilter");
    assert.equal(error.target, "$filter");
    return error.message;
  }
  assert.fail(`expected ${JSON.stringify(text)} to be refused`);
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
    for (const state of JOB_STATES) {
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

describe("parseJobFilter: names with startswith and contains", () => {
  it("startswith and contains on name, alone", () => {
    assert.deepEqual(parseJobFilter("startswith(name,'photos')"), {
      name: { kind: "startswith", text: "photos" },
    });
    assert.deepEqual(parseJobFilter("contains(name,'2026')"), { name: { kind: "contains", text: "2026" } });
  });

  it("function and field names are case-insensitive; the text is kept as written", () => {
    assert.deepEqual(parseJobFilter("StartsWith(Name,'Photos')"), {
      name: { kind: "startswith", text: "Photos" },
    });
    assert.deepEqual(parseJobFilter("CONTAINS(NAME,'X')"), { name: { kind: "contains", text: "X" } });
  });

  it("spaces inside the call and around the filter", () => {
    assert.deepEqual(parseJobFilter("  startswith( name , 'a b' )  "), {
      name: { kind: "startswith", text: "a b" },
    });
    assert.deepEqual(parseJobFilter("startswith(name, 'job')"), {
      name: { kind: "startswith", text: "job" },
    });
  });

  it("a quote inside the text is written twice (OData); other characters are literal", () => {
    assert.deepEqual(parseJobFilter("contains(name,'it''s')"), { name: { kind: "contains", text: "it's" } });
    assert.deepEqual(parseJobFilter("contains(name,'''')"), { name: { kind: "contains", text: "'" } });
    assert.deepEqual(parseJobFilter("contains(name,'50%_off\\')"), {
      name: { kind: "contains", text: "50%_off\\" },
    });
    // Keywords, parentheses and commas inside the quotes split nothing.
    assert.deepEqual(parseJobFilter("contains(name,'a and (b) or c, d')"), {
      name: { kind: "contains", text: "a and (b) or c, d" },
    });
    assert.deepEqual(parseJobFilter("startswith(name,'')"), { name: { kind: "startswith", text: "" } });
  });

  it("combined with state and jobType terms by `and`, in any order and in parentheses", () => {
    assert.deepEqual(norm(parseJobFilter("startswith(name,'ph') and state eq 'Shipping'")), {
      states: ["Shipping"],
      name: { kind: "startswith", text: "ph" },
    });
    assert.deepEqual(
      norm(
        parseJobFilter(
          "(state eq 'Creating' or state eq 'Shipping') and contains(name,'x') and jobType eq 'Import'",
        ),
      ),
      { states: ["Creating", "Shipping"], jobTypes: ["Import"], name: { kind: "contains", text: "x" } },
    );
    assert.deepEqual(parseJobFilter("(contains(name,'x'))"), { name: { kind: "contains", text: "x" } });
    assert.deepEqual(norm(parseJobFilter("jobType eq 'Export' AND (startswith(name,'e'))")), {
      jobTypes: ["Export"],
      name: { kind: "startswith", text: "e" },
    });
  });

  it("refused: two name conditions, or name alternatives joined by `or`", () => {
    for (const text of [
      "startswith(name,'a') and contains(name,'b')",
      "contains(name,'a') and state eq 'Creating' and contains(name,'a')",
      "(startswith(name,'a') or startswith(name,'b'))",
      "startswith(name,'a') or contains(name,'b')",
    ]) {
      assert.match(refusal(text), /at most one name condition/, text);
    }
  });

  it("refused: a name condition as an alternative of another field", () => {
    assert.match(refusal("(state eq 'Creating' or startswith(name,'a'))"), /same field/);
    assert.match(refusal("startswith(name,'a') or state eq 'Creating'"), /same field/);
  });

  it("refused: the functions on other fields, and other functions", () => {
    assert.match(refusal("contains(state,'Creat')"), /contains applies to name only, not to 'state'/);
    assert.match(refusal("startswith(jobType,'Im')"), /applies to name only/);
    assert.match(
      refusal("endswith(name,'x')"),
      /Unknown function 'endswith'; the functions are startswith and contains/,
    );
    assert.match(refusal("substringof('x',name)"), /Cannot read/);
    assert.match(refusal("tolower(name) eq 'x'"), /Cannot read/);
  });

  it("refused: name with eq, saying how names are matched", () => {
    assert.match(refusal("name eq 'x'"), /startswith\(name,'…'\) or contains\(name,'…'\)/);
  });

  it("refused: malformed calls", () => {
    for (const text of [
      "startswith(name,'x'",
      "startswith(name,'x'))",
      "startswith(name 'x')",
      "startswith(name,x)",
      'startswith(name,"x")',
      "startswith(name,'x',1)",
      "startswith('x',name)",
      "startswith(name,'it's')",
      "startswith(name,'x'')",
      "startswith name,'x'",
      "startswith()",
      "startswith(name,'x') eq true",
      "not startswith(name,'x')",
    ]) {
      refused(text);
    }
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

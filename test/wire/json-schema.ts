/**
 * @module A small JSON Schema (2020-12) checker for the keywords /ops/v1/openapi.json uses, so a test can
 * hold a real answer to the document itself, not only to the zod schema it was made from. A keyword it
 * does not know fails the check: it never passes a value by ignoring what it cannot read.
 */

type Schema = Record<string, unknown>;

/** Keywords that describe and do not constrain. */
const ANNOTATIONS = new Set(["description", "title", "examples", "default"]);

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function typeOf(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "array";
  }
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    default:
      return typeOf(value) === type;
  }
}

/**
 * The problems of `value` against `schema` (empty when it conforms); `$ref`s are resolved in `root`
 * (`#/components/schemas/X`).
 */
export function problems(schema: Schema, value: unknown, root: Schema, at = "$"): string[] {
  const out: string[] = [];
  const fail = (what: string) => out.push(`${at}: ${what}`);
  for (const [keyword, rule] of Object.entries(schema)) {
    switch (keyword) {
      case "$ref": {
        const path = (rule as string).replace(/^#\//, "").split("/");
        const target = path.reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], root);
        if (target === undefined) {
          fail(`unresolved $ref ${String(rule)}`);
        } else {
          out.push(...problems(target as Schema, value, root, at));
        }
        break;
      }
      case "type":
        if (!hasType(value, rule as string)) {
          fail(`expected ${String(rule)}, got ${typeOf(value)}`);
        }
        break;
      case "enum":
        if (!(rule as unknown[]).includes(value)) {
          fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(rule)}`);
        }
        break;
      case "const":
        if (value !== rule) {
          fail(`expected ${JSON.stringify(rule)}, got ${JSON.stringify(value)}`);
        }
        break;
      case "anyOf": {
        const options = rule as Schema[];
        if (!options.some((option) => problems(option, value, root, at).length === 0)) {
          fail(`matches none of ${options.length} alternatives`);
        }
        break;
      }
      case "format":
        if (rule !== "date-time") {
          throw new Error(`${at}: format '${String(rule)}' is not known to this checker`);
        }
        if (typeof value === "string" && !(DATE_TIME.test(value) && Number.isFinite(Date.parse(value)))) {
          fail(`'${value}' is not a date-time`);
        }
        break;
      case "minimum":
      case "maximum":
        if (
          typeof value === "number" &&
          (keyword === "minimum" ? value < (rule as number) : value > (rule as number))
        ) {
          fail(`${value} is past the ${keyword} ${String(rule)}`);
        }
        break;
      case "minLength":
      case "maxLength":
        if (typeof value === "string") {
          const short = keyword === "minLength" && value.length < (rule as number);
          if (short || (keyword === "maxLength" && value.length > (rule as number))) {
            fail(`a string of ${value.length} characters is past the ${keyword} ${String(rule)}`);
          }
        }
        break;
      case "minItems":
      case "maxItems":
        if (Array.isArray(value)) {
          const short = keyword === "minItems" && value.length < (rule as number);
          if (short || (keyword === "maxItems" && value.length > (rule as number))) {
            fail(`${value.length} items is past the ${keyword} ${String(rule)}`);
          }
        }
        break;
      case "items":
        if (Array.isArray(value)) {
          value.forEach((item, i) => out.push(...problems(rule as Schema, item, root, `${at}[${i}]`)));
        }
        break;
      case "required":
        if (typeOf(value) === "object") {
          for (const name of rule as string[]) {
            if (!(name in (value as object))) {
              fail(`'${name}' is missing`);
            }
          }
        }
        break;
      case "properties":
        if (typeOf(value) === "object") {
          for (const [name, property] of Object.entries(rule as Record<string, Schema>)) {
            if (name in (value as object)) {
              out.push(...problems(property, (value as Schema)[name], root, `${at}.${name}`));
            }
          }
        }
        break;
      case "additionalProperties":
        if (typeOf(value) === "object") {
          const known = new Set(Object.keys((schema.properties as Schema | undefined) ?? {}));
          for (const [name, item] of Object.entries(value as Schema)) {
            if (known.has(name)) {
              continue;
            }
            if (rule === false) {
              fail(`'${name}' is not a property the schema allows`);
            } else {
              out.push(...problems(rule as Schema, item, root, `${at}.${name}`));
            }
          }
        }
        break;
      case "propertyNames":
        if (typeOf(value) === "object") {
          for (const name of Object.keys(value as object)) {
            out.push(...problems(rule as Schema, name, root, `${at} (property name '${name}')`));
          }
        }
        break;
      default:
        if (!ANNOTATIONS.has(keyword)) {
          throw new Error(`${at}: the keyword '${keyword}' is not known to this checker`);
        }
    }
  }
  return out;
}

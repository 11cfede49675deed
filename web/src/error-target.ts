/**
 * @module Which form field an API error is about, read from the error's `target` alone, never from its message:
 * the server names the field as the request spelled it (`properties.driveList[2].bitLockerKey`).
 */

/** Targets naming a part of the URL, which the forms call by their fields' names. */
const URL_PARTS = new Map([
  ["jobName", "name"],
  ["resourceGroupName", "resourceGroup"],
]);

/**
 * The field of `fields` that `target` names, if the form has it. An ARM body's `properties.` wrapper is dropped,
 * a row `[i]` is written `.i` (as schema errors already write it), and for a list sent without the form's blank
 * rows, `rows[list][i]` is the form row that the i-th row sent came from.
 */
export function fieldOf(
  target: string | undefined,
  fields: ReadonlySet<string>,
  rows: Readonly<Record<string, readonly number[]>> = {},
): string | undefined {
  if (!target) {
    return undefined;
  }
  let path = target.replace(/^properties\./, "").replace(/\[(\d+)\]/g, ".$1");
  path = URL_PARTS.get(path) ?? path;
  const row = /^(\w+)\.(\d+)(\..+)?$/.exec(path);
  const formRows = row && Object.hasOwn(rows, row[1]!) ? rows[row[1]!] : undefined;
  if (row && formRows) {
    const formRow = formRows[Number(row[2])];
    if (formRow === undefined) {
      return undefined;
    }
    path = `${row[1]}.${formRow}${row[3] ?? ""}`;
  }
  return fields.has(path) ? path : undefined;
}

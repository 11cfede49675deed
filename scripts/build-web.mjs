// Builds the web portal (web/ → dist/web) with Vite, then prints the JavaScript bundle's gzipped size
// and fails if it passes the budget: the portal must stay quick to load on a data-center laptop.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { build } from "vite";

const BUDGET_KB = 250;
const root = new URL("..", import.meta.url).pathname;

await build({ configFile: join(root, "web/vite.config.ts"), logLevel: "warn" });

const assets = join(root, "dist/web/assets");
let total = 0;
for (const name of readdirSync(assets)) {
  if (name.endsWith(".js")) {
    total += gzipSync(readFileSync(join(assets, name)), { level: 9 }).length;
  }
}
const kb = total / 1024;
console.log(`web portal: JavaScript bundle ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
if (kb > BUDGET_KB) {
  console.error(`web portal: the bundle is over budget by ${(kb - BUDGET_KB).toFixed(1)} KB`);
  process.exit(1);
}

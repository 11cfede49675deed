/** @module Browser tests' support: Debian's Chromium through playwright-core, axe-core, and screenshots kept per run. */

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { TestContext } from "node:test";

import { type Browser, chromium, type Page } from "playwright-core";

import { requireAll, ROOT } from "../support/db.js";

export const CHROMIUM = process.env.SNEAKERNET_CHROMIUM ?? "/usr/bin/chromium";
/** Git-ignored: every run leaves its screenshots here for a person to look at. */
export const SCREENSHOTS = join(ROOT, "test-results", "screenshots");

/** Chromium headless, as this machine allows it: no sandbox (root), no GPU, no calls home. */
export async function launchOrSkip(t: TestContext): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    if (requireAll()) {
      throw new Error(
        `Chromium is required (SNEAKERNET_REQUIRE_ALL=1) but ${CHROMIUM} is missing: apt-get install chromium.`,
      );
    }
    console.error(`!! SKIPPED (no Chromium at ${CHROMIUM}): ${t.name}`);
    t.skip("Chromium not installed");
    return undefined;
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A/AA rules and best practice). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Expressions as strings: they run in the browser, whose DOM types this Node project does not load.
  if (!(await page.evaluate<boolean>('"axe" in window'))) {
    // Evaluated through the DevTools protocol: the portal's CSP forbids inline scripts, and stays on.
    await page.evaluate(AXE_SOURCE);
  }
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run({ resultTypes: ["violations"] }).then((result) => result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })),
    })))`,
  );
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Whether the page fits its viewport's width (nothing to scroll sideways but inside the tables' own regions). */
export async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth");
}

/**
 * The body cells of the page's tables that are not wholly in view across: cut by the window's edge, or by a
 * table region scrolled sideways. Empty on a page whose tables read without a sideways scroll.
 */
export async function cellsOutOfView(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const region of document.querySelectorAll(".table-region")) {
      if (region.scrollWidth > region.clientWidth + 1) {
        out.push("a table region scrolls sideways: " + (region.getAttribute("aria-label") ?? ""));
      }
    }
    for (const cell of document.querySelectorAll("main table tbody :is(td, th)")) {
      const box = cell.getBoundingClientRect();
      if (box.width > 0 && (box.left < -1 || box.right > width + 1)) {
        out.push(cell.closest("table").className + ": " + cell.textContent.trim().slice(0, 40));
      }
    }
    return out;
  })()`);
}

export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The boxes of the elements `selector` matches, in document order (measured in the browser). */
export function boxes(page: Page, selector: string): Promise<Box[]> {
  return page.evaluate<Box[]>(
    `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => {
      const { left, right, top, bottom } = e.getBoundingClientRect();
      return { left, right, top, bottom };
    })`,
  );
}

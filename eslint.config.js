// Lint rules: house style, plus the layer arrows of ARCHITECTURE.md (imports point one way, down).
import js from "@eslint/js";
import simpleImportSort from "eslint-plugin-simple-import-sort";
import tseslint from "typescript-eslint";

/**
 * Forbid importing the named layers from a folder: `from` may not reach `layers`, nor the npm `packages`
 * that belong to another layer (one rule per folder: a second would replace the first).
 */
function layer(files, layers, why, packages = []) {
  return {
    files,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...layers.map((name) => ({ group: [`**/${name}/**`, `**/${name}/*.js`], message: why })),
            ...packages.map((name) => ({ group: [name, `${name}/**`], message: why })),
          ],
        },
      ],
    },
  };
}

/**
 * Time is read only from the injected Clock (src/domain/clock.ts), so tests and `lifecycle sweep --now` can
 * set it: everywhere in src/ but the composition root, src/serve/, which makes the real one.
 */
const CLOCK_INJECTED = { files: ["src/**"], ignores: ["src/serve/**"] };

const readsDate = [
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: "Read time from the injected Clock, not Date.now().",
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: "Read time from the injected Clock, not new Date().",
  },
  {
    // Date() called without `new` answers the current time as a string.
    selector: "CallExpression[callee.name='Date']",
    message: "Read time from the injected Clock, not Date().",
  },
];
const readsPerformance = {
  selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']",
  message: "Read time from the injected Clock, not performance.now().",
};

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "data/", "test-results/", "web/dist/", ".tmp/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "simple-import-sort": simpleImportSort },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      curly: "error",
      eqeqeq: ["error", "smart"],
      "simple-import-sort/imports": "error",
      "simple-import-sort/exports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  layer(
    ["src/domain/**"],
    ["store", "app", "api", "serve", "cli", "transfer", "station", "client", "wire"],
    "domain is pure: it imports nothing outside itself.",
  ),
  layer(
    ["src/store/**"],
    ["app", "api", "serve", "cli", "transfer", "station", "client", "wire"],
    "store may import only domain.",
  ),
  layer(
    ["src/app/**"],
    ["api", "serve", "cli", "transfer", "station", "client", "wire"],
    "app may import only store and domain.",
  ),
  layer(
    ["src/api/**"],
    ["store", "serve", "cli", "transfer", "station"],
    "api calls app; it never touches store.",
  ),
  layer(
    ["src/wire/**"],
    ["store", "app", "api", "serve", "cli", "transfer", "station", "client"],
    "wire describes the JSON on the wire: it may import only domain.",
  ),
  layer(["src/serve/**"], ["cli"], "serve is imported by cli, never the other way."),
  layer(
    ["src/transfer/**"],
    ["store", "app", "api", "serve", "cli", "station", "client", "wire"],
    "transfer moves bytes: it may import only domain (no HTTP API, no SQL; the station drives it).",
    // The storage SDKs stay allowed: blob and file-share targets are transfer's own.
    ["fastify", "pg", "better-sqlite3", "kysely"],
  ),
  layer(
    ["src/station/**"],
    ["store", "app", "api", "serve", "cli"],
    "a station is a client of the API: it may import transfer, client and domain, never the control plane.",
    ["fastify", "pg", "kysely"],
  ),
  layer(
    ["src/client/**"],
    ["store", "app", "api", "serve", "cli", "transfer", "station"],
    "client speaks HTTP: it may import only domain and wire.",
  ),
  {
    ...CLOCK_INJECTED,
    rules: { "no-restricted-syntax": ["error", ...readsDate, readsPerformance] },
  },
);

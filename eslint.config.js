// Lint rules: house style, plus the layer arrows of ARCHITECTURE.md (imports point one way, down).
import js from "@eslint/js";
import simpleImportSort from "eslint-plugin-simple-import-sort";
import tseslint from "typescript-eslint";

/** Forbid importing the named layers from a folder: `from` may not reach `layers`. */
function layer(files, layers, why) {
  return {
    files,
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: layers.map((name) => ({ group: [`**/${name}/**`, `**/${name}/*.js`], message: why })) },
      ],
    },
  };
}

/**
 * Where time is read only from the injected Clock (src/domain/clock.ts), so tests can set it: every folder
 * but the composition root, src/serve/, which makes the real one. A folder joins by being added here.
 */
const CLOCK_INJECTED = [
  "src/domain/**",
  "src/app/**",
  "src/store/**",
  "src/api/**",
  "src/cli/**",
  "src/client/**",
];

const readsDate = [
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: "Read time from the injected Clock, not Date.now().",
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: "Read time from the injected Clock, not new Date().",
  },
];
const readsPerformance = {
  selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']",
  message: "Read time from the injected Clock, not performance.now().",
};

/**
 * Files that still time their caches and keep-alives with performance.now(), until their owners give them
 * the Clock; here only the Date reads are refused. Remove a file as it moves over.
 */
const PERFORMANCE_NOW_PENDING = ["src/app/tokens.ts", "src/app/locations.ts", "src/api/http/sse.ts"];

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
    ["src/client/**"],
    ["store", "app", "api", "serve", "cli", "transfer", "station"],
    "client speaks HTTP: it may import only domain and wire.",
  ),
  {
    files: CLOCK_INJECTED,
    rules: { "no-restricted-syntax": ["error", ...readsDate, readsPerformance] },
  },
  {
    files: PERFORMANCE_NOW_PENDING,
    rules: { "no-restricted-syntax": ["error", ...readsDate] },
  },
);

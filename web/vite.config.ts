// The portal's build: web/ → dist/web/, served by the API server at `/`. No CDN, nothing fetched at run time.
import { defineConfig } from "vite";

export default defineConfig({
  root: new URL(".", import.meta.url).pathname,
  base: "/",
  publicDir: "public",
  build: {
    outDir: new URL("../dist/web", import.meta.url).pathname,
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    reportCompressedSize: true,
    target: "es2022",
  },
  oxc: { jsx: { runtime: "automatic" } },
  server: { proxy: { "^/(subscriptions|providers|ops)/": "http://127.0.0.1:8080" } },
});

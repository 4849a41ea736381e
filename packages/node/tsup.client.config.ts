import { fileURLToPath } from "node:url"
import { defineConfig } from "tsup"

const coreSrc = fileURLToPath(new URL("../core/src", import.meta.url))

/**
 * `@paymentflow/node/client`: the Promise client as one self-contained file (core, `effect` and
 * `@effect/platform` inlined, minified), so a Promise user's cold start loads one file instead
 * of Effect's module graph. `undici` stays external (and is still imported only when the first
 * client is built). Effect users import the main entry, which shares their `effect`; this file
 * is never loaded by it. Runs after tsup.config.ts (which cleans `dist`).
 *
 * Core is bundled from its sources (`@paymentflow/core/X` -> `../core/src/X.ts`), not from its
 * built `dist`: the dist is code-split, and its entries import shared chunks for effect only
 * (`import "./chunk-X.js"`), which esbuild drops under core's `"sideEffects": false` with one
 * `ignored-bare-import` warning each. From sources there are no chunks to re-bundle.
 */
export default defineConfig({
  entry: { client: "src/client.ts" },
  outDir: "dist/client",
  format: ["esm", "cjs"],
  dts: true,
  clean: false,
  sourcemap: false,
  splitting: false,
  treeshake: true,
  minify: true,
  keepNames: true,
  bundle: true,
  noExternal: ["@paymentflow/core", "effect", "@effect/platform"],
  external: ["undici"],
  platform: "node",
  target: "node20",
  tsconfig: "tsconfig.build.json",
  esbuildOptions(options) {
    // esbuild's alias also maps subpaths: `@paymentflow/core/Errors` -> `<coreSrc>/Errors`.
    options.alias = { ...options.alias, "@paymentflow/core": coreSrc }
    options.resolveExtensions = [".ts", ".js"]
  }
})

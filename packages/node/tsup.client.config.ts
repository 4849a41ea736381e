import { defineConfig } from "tsup"

/**
 * `@paymentflow/node/client`: the Promise client as one self-contained file (core, `effect` and
 * `@effect/platform` inlined, minified), so a Promise user's cold start loads one file instead
 * of Effect's module graph. `undici` stays external (and is still imported only when the first
 * client is built). Effect users import the main entry, which shares their `effect`; this file
 * is never loaded by it. Runs after tsup.config.ts (which cleans `dist`).
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
  tsconfig: "tsconfig.build.json"
})

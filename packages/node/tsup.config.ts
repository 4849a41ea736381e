import { defineConfig } from "tsup"

export default defineConfig({
  // `client.ts` is built by tsup.client.config.ts, as one bundled file.
  entry: ["src/*.ts", "!src/client.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  treeshake: false,
  splitting: true,
  target: "es2022",
  tsconfig: "tsconfig.build.json"
})

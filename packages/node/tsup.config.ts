import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/*.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  treeshake: false,
  splitting: true,
  target: "es2022",
  tsconfig: "tsconfig.build.json"
})

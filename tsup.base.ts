import type { Options } from "tsup"

/**
 * How every package is built: one ESM + CJS + `.d.ts` file per public module (`src/*.ts`; what
 * lives in `src/internal/` is shared through chunks), so `exports` maps `"./*"` to the modules.
 * `splitting` is on for CJS too, so a class has one identity whichever subpath loads it.
 */
export const base: Options = {
  entry: ["src/*.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  treeshake: false,
  splitting: true,
  target: "es2022",
  tsconfig: "tsconfig.build.json"
}

import type { Options } from "tsup"

/**
 * How every package is built: one ESM + CJS + `.d.ts` file per public module (`src/*.ts`; what
 * lives in `src/internal/` is shared through chunks). Each package's `exports` (and `typesVersions`,
 * for node10 resolution) lists those modules one by one — no `"./*"`, which would also expose the
 * chunks and the sandbox's bin; test/consumer/exports.test.ts keeps the list equal to `src/*.ts`.
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

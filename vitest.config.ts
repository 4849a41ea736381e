import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"
import { browserProjects } from "./test/browser/project.js"

const root = fileURLToPath(new URL(".", import.meta.url))

/** Workspace packages resolve to their sources, so tests never need a build (except the dist test). */
export const alias = [
  { find: /^@paymentflow\/(core|node|browser|sandbox)$/, replacement: `${root}packages/$1/src/index.ts` },
  { find: /^@paymentflow\/(core|node|browser|sandbox)\/(.*)$/, replacement: `${root}packages/$1/src/$2.ts` }
]

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-report.json" },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: [
            "packages/*/test/**/*.test.ts",
            "test/{e2e,contract,reliability,security,consumer,docs}/**/*.test.ts",
            "examples/**/*.test.ts",
            "bench/**/*.test.ts"
          ],
          exclude: ["**/node_modules/**", "test/browser/**"]
        }
      },
      ...browserProjects()
    ]
  }
})

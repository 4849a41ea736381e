/// <reference types="@vitest/browser/providers/playwright" />
/**
 * The vitest project that runs `test/browser/**` in a real Chromium, driven by playwright.
 *
 * Debian's Chromium is used (`CHROMIUM_PATH`, default `/usr/bin/chromium`): playwright's own
 * browser downloads are not available where this suite runs. Under `CI=true` the project is always
 * present, so a missing or broken Chromium fails the run loudly; on a developer machine without
 * Chromium the project is left out with a message saying so.
 */
import { existsSync } from "node:fs"
import type { TestProjectInlineConfiguration } from "vitest/config"

/** Where Chromium is expected. */
export const chromiumPath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"

/** Flags for a headless Chromium in a container: no sandbox, no GPU, nothing phoning home. */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

const isCI = (): boolean => {
  const ci = process.env["CI"]
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0"
}

const project: TestProjectInlineConfiguration = {
  extends: true,
  optimizeDeps: {
    // Pre-bundle up front: a dependency discovered mid-run makes Vite reload the page and the
    // test that triggered it fail.
    include: ["effect", "effect/*", "@effect/platform", "@effect/platform/*"]
  },
  test: {
    name: "browser",
    include: ["test/browser/**/*.test.ts"],
    globalSetup: ["test/browser/globalSetup.ts"],
    browser: {
      enabled: true,
      provider: "playwright",
      headless: true,
      screenshotFailures: false,
      instances: [{ browser: "chromium", launch: { executablePath: chromiumPath, args: chromiumArgs } }]
    }
  }
}

/**
 * The browser project, or none (with a message) when Chromium is absent outside CI.
 */
export const browserProjects = (): Array<TestProjectInlineConfiguration> => {
  if (existsSync(chromiumPath) || isCI()) return [project]
  // The config may be evaluated more than once in a process: say it once.
  const said = Symbol.for("@paymentflow/test/browser-skip-said")
  const g: Record<symbol, unknown> = globalThis
  if (g[said] === true) return []
  g[said] = true
  console.warn(`browser suite skipped: no Chromium at ${chromiumPath} (set CHROMIUM_PATH, or apt-get install chromium)`)
  return []
}

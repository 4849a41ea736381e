/**
 * Writes `dist/browser.js`, the target of the `"browser"` export condition of every entry of
 * `@paymentflow/node`: a bundler building for a browser (Vite, webpack, esbuild with
 * `platform: "browser"`) resolves `@paymentflow/node` here instead of the undici client, and the
 * page fails at import with a message that says what to import instead — not later with
 * `process is not defined`, and never with a secret key shipped to the page.
 *
 * It exports every runtime name of every entry (read from the built ESM files), so the bundler
 * resolves the user's imports and the build itself goes through to that message.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { pathToFileURL } from "node:url"

const manifest = JSON.parse(readFileSync("package.json", "utf8"))
const names = new Set()
for (const [key, entry] of Object.entries(manifest.exports)) {
  const file = entry?.import?.default
  if (key === "./package.json" || typeof file !== "string") continue
  const module = await import(pathToFileURL(file).href)
  for (const name of Object.keys(module)) if (name !== "default") names.add(name)
}
const message = "@paymentflow/node is for Node.js; in a browser import @paymentflow/browser " +
  "(a publishable pk_ key only: a secret sk_ key must never reach a page)"
const lines = [
  "// The browser target of @paymentflow/node (written by scripts/browser-entry.mjs): it refuses to load.",
  `throw new Error(${JSON.stringify(message)})`,
  ...[...names].sort().map((name) => `export const ${name} = undefined`),
  ""
]
writeFileSync("dist/browser.js", lines.join("\n"))
console.log(`dist/browser.js: refuses to load in a browser; ${names.size} names`)

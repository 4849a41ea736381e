/**
 * The README's Testing section is made of these recipes: each code block there marked
 * `<!-- recipe: NAME (FILE) -->` is, line for line, the region `// <!-- recipe: NAME -->` …
 * `// <!-- /recipe -->` of FILE (a running test in this folder), indentation removed.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../../", import.meta.url))
const readme = readFileSync(`${root}README.md`, "utf8")
const blocks = [...readme.matchAll(/<!-- recipe: ([a-z0-9-]+) \(([^)]+)\) -->\s*\n```ts\n([\s\S]*?)\n```/g)]

const dedent = (text: string): string => {
  const lines = text.split("\n")
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length))
  return lines.map((l) => l.slice(indent)).join("\n")
}

const region = (file: string, name: string): string | undefined => {
  const source = readFileSync(`${root}${file}`, "utf8")
  const match = new RegExp(`// <!-- recipe: ${name} -->\\n([\\s\\S]*?)\\n\\s*// <!-- /recipe -->`).exec(source)
  return match === null ? undefined : dedent(match[1]!)
}

describe("the README's Testing section", () => {
  it("has the recipes", () => {
    expect(blocks.map((b) => b[1])).toEqual(["kit-setup", "kit-idempotent", "kit-webhook", "kit-faults", "msw", "out-of-process"])
  })
  it.each(blocks.map((b) => [b[1]!, b[2]!, b[3]!] as const))("%s is its recipe, as it runs (%s)", (name, file, code) => {
    expect(code).toBe(region(file, name))
  })
})

/**
 * Bundles an entry the way a browser app would ship it (esbuild: bundle, minify, ESM, platform
 * `browser`, no polyfills) and measures it raw and gzipped. Shared by `pnpm size` and the size
 * budget test, so both measure the same thing.
 */
import * as esbuild from "esbuild"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"

/** The repository root: workspace packages resolve to their sources through its tsconfig paths. */
export const root = fileURLToPath(new URL("..", import.meta.url))

/** One measured bundle. */
export interface Measured {
  readonly name: string
  readonly bytes: number
  readonly gzip: number
  /** Every module that went into the bundle, as esbuild names it. */
  readonly inputs: ReadonlyArray<string>
  readonly code: string
}

/** An entry to measure: the source of a small module that imports what is being measured. */
export interface Entry {
  readonly name: string
  readonly source: string
}

/**
 * The floor: the least an Effect app that talks JSON over HTTP in a browser carries — `effect`,
 * `effect/Schema`, `@effect/platform`'s `HttpClient` and `FetchHttpClient`, used for one decoded
 * GET. The SDK's bundle is read against it.
 */
export const floor: Entry = {
  name: "floor (effect + Schema + HttpClient + FetchHttpClient)",
  source: `
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"

const Payment = Schema.Struct({ id: Schema.String, amount: Schema.Number, status: Schema.Literal("pending", "succeeded") })

export const retrieve = (url: string) =>
  HttpClient.HttpClient.pipe(
    Effect.flatMap((client) => client.get(url)),
    Effect.flatMap(HttpClientResponse.schemaBodyJson(Payment)),
    Effect.scoped,
    Effect.provide(FetchHttpClient.layer),
    Effect.runPromise
  )
`
}

/** Bundles and measures one entry. Fails (rejects) if esbuild cannot bundle it for the browser. */
export const measure = async (entry: Entry): Promise<Measured> => {
  const result = await esbuild.build({
    stdin: { contents: entry.source, resolveDir: root, loader: "ts", sourcefile: `${entry.name}.ts` },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    tsconfig: `${root}tsconfig.check.json`,
    write: false,
    metafile: true,
    logLevel: "silent",
    legalComments: "none"
  })
  const file = result.outputFiles[0]
  if (file === undefined) throw new Error(`esbuild produced no output for ${entry.name}`)
  return {
    name: entry.name,
    bytes: file.contents.byteLength,
    gzip: gzipSync(file.contents, { level: 9 }).byteLength,
    inputs: Object.keys(result.metafile.inputs),
    code: file.text
  }
}

/** Node built-in modules a bundle must not reference (`node:fs`, `crypto`, …). */
export const nodeBuiltinsIn = (measured: Measured): ReadonlyArray<string> => {
  const found = new Set<string>()
  for (const input of measured.inputs) if (input.startsWith("node:")) found.add(input)
  for (const match of measured.code.matchAll(/\b(?:from|import|require)\s*\(?\s*["'](node:[a-z_/]+)["']/g)) {
    if (match[1] !== undefined) found.add(match[1])
  }
  return [...found]
}

/** `12.3 KB` (KB = 1024 bytes). */
export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`

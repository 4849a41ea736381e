/**
 * The shop page as the merchant's server serves it: `index.html` with the PaymentFlow API's URL
 * and the publishable key filled in, and `shop.js`, bundled from `page.ts` with esbuild the way a
 * browser app would ship it (minified ESM, no Node built-ins).
 *
 * @since 0.1.0
 */
import * as esbuild from "esbuild"
import { readFile } from "node:fs/promises"
import { fileURLToPath } from "node:url"

const here = fileURLToPath(new URL(".", import.meta.url))
const root = fileURLToPath(new URL("../..", import.meta.url))

/**
 * The page's script, bundled for browsers.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const buildScript = async (): Promise<string> => {
  const result = await esbuild.build({
    entryPoints: [`${here}page.ts`],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    tsconfig: `${root}tsconfig.check.json`,
    write: false,
    logLevel: "silent"
  })
  const file = result.outputFiles[0]
  if (file === undefined) throw new Error("esbuild produced no shop.js")
  return file.text
}

const escapeAttribute = (value: string): string =>
  value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

/**
 * The page, pointed at a PaymentFlow API with a publishable key (the only key a page may hold).
 *
 * @since 0.1.0
 * @category Constructors
 */
export const renderPage = async (options: { readonly baseUrl: string; readonly publishableKey: string }): Promise<string> => {
  if (!options.publishableKey.startsWith("pk_")) throw new Error("the shop page takes a publishable key (pk_…) only")
  const template = await readFile(`${here}index.html`, "utf8")
  return template
    .replace("%BASE_URL%", escapeAttribute(options.baseUrl))
    .replace("%PUBLISHABLE_KEY%", escapeAttribute(options.publishableKey))
}

/**
 * Both, built once when the server starts.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const buildPage = async (options: { readonly baseUrl: string; readonly publishableKey: string }) => {
  const [html, script] = await Promise.all([renderPage(options), buildScript()])
  return { html, script }
}

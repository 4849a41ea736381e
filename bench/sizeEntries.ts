/**
 * The browser SDK entries `pnpm size` measures and the size test holds to its budget.
 */
import type { Entry } from "./sizeBundle.js"

/** The whole `@paymentflow/browser` entry, everything it exports kept. */
export const fullEntry: Entry = {
  name: "@paymentflow/browser (full entry)",
  source: `export * from "@paymentflow/browser"`
}

/** The browser SDK entries. */
export const browserEntries: ReadonlyArray<Entry> = [fullEntry]

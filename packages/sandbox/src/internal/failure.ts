import type { Code } from "@paymentflow/core/ErrorBody"
import * as Data from "effect/Data"

/** A refusal by the sandbox's business rules: answered with the contract's envelope for `code`. */
export class Failure extends Data.TaggedError("Failure")<{
  readonly code: Code
  readonly message: string
  readonly field?: string | undefined
}> {}

export const notFound = (what: string, field?: string) =>
  new Failure({ code: "resource_missing", message: `No such ${what}`, field })

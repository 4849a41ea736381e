/**
 * Readable types on hover: what an editor shows for an operation is its signature with the
 * result named (`Effect<Payment, ValidationError | … | ApiError>`: the resource types are
 * interfaces) and the error union written out, not an alias's name (`Result<"payments.create">`). The test asks the TypeScript compiler itself, as an editor does:
 * a program over a small file that declares `const op = pf.payments.create`, and
 * `checker.typeToString` of it, untruncated.
 */
import { describe, expect, it } from "@effect/vitest"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = fileURLToPath(new URL("../../..", import.meta.url))
const probe = path.join(root, "packages/core/test/__hover_probe__.ts")
const source = `import type { PaymentFlow } from "@paymentflow/core"
import type { Effect } from "effect/Effect"
declare const pf: PaymentFlow.Service
export const create = pf.payments.create
export const retrieve = pf.payments.retrieve
export const remove = pf.customers.delete
`

/** The hover text of each `export const` of the probe file. */
const hovers = (): Record<string, string> => {
  const config = ts.readConfigFile(path.join(root, "tsconfig.check.json"), ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
  const options: ts.CompilerOptions = { ...parsed.options, noErrorTruncation: true, noEmit: true }
  const host = ts.createCompilerHost(options)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
    path.resolve(fileName) === probe
      ? ts.createSourceFile(fileName, source, languageVersion, true)
      : getSourceFile(fileName, languageVersion, onError, shouldCreate)
  const fileExists = host.fileExists.bind(host)
  host.fileExists = (fileName) => path.resolve(fileName) === probe || fileExists(fileName)
  const program = ts.createProgram({ rootNames: [probe], options, host })
  const file = program.getSourceFile(probe)
  if (file === undefined) throw new Error("the probe file was not loaded")
  const errors = ts.getPreEmitDiagnostics(program, file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))
  expect(errors).toEqual([])
  const checker = program.getTypeChecker()
  const out: Record<string, string> = {}
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue
    for (const declaration of statement.declarationList.declarations) {
      out[declaration.name.getText(file)] = checker.typeToString(
        checker.getTypeAtLocation(declaration.name),
        declaration,
        ts.TypeFormatFlags.NoTruncation
      )
    }
  }
  return out
}

/** The error classes of a printed `Effect<A, E, R>`'s `E`, sorted (the checker orders a union by type id). */
const errorsOf = (text: string | undefined): ReadonlyArray<string> => {
  const match = text?.match(/=> Effect<[A-Za-z]+, ([A-Za-z| ]+), never>$/)
  return match?.[1]?.split(" | ").sort() ?? []
}

const common = ["AuthenticationError", "RateLimitError", "NetworkError", "ApiError"]

describe("hover text of an operation", () => {
  it("shows (params, options?) => Effect<the result, the whole error union by class name>", () => {
    // Names not imported by the probe print as `import("…").Name`, as an editor qualifies them.
    const shown = Object.fromEntries(
      Object.entries(hovers()).map(([name, text]) => [name, text.replace(/import\("[^"]+"\)\./g, "")])
    )
    expect(shown["create"]).toMatch(
      /^\(params: \{ readonly amount: number; .+ \}, options\?: PaymentFlow\.RequestOptions \| undefined\) => Effect<PaymentWithSecret, [A-Za-z| ]+, never>$/
    )
    expect(errorsOf(shown["create"])).toEqual(["ValidationError", "NotFoundError", "ConflictError", ...common].sort())
    // ids are plain strings in
    expect(shown["retrieve"]).toMatch(/^\(id: string, options\?: PaymentFlow\.RequestOptions \| undefined\) => Effect<PaymentWithSecret, /)
    expect(errorsOf(shown["retrieve"])).toEqual(["ValidationError", "NotFoundError", ...common].sort())
    expect(shown["remove"]).toMatch(/^\(id: string, options\?: PaymentFlow\.RequestOptions \| undefined\) => Effect<DeletedCustomer, /)
    for (const text of Object.values(shown)) expect(text).not.toMatch(/Result<|Operation<|Signature<|SuccessOf<|ErrorOf</)
  }, 60_000)
})

/**
 * `openapi.json` is derived from core's API definition: it must be a valid OpenAPI document and
 * the checked-in copy must equal a fresh derivation (`pnpm openapi` regenerates it).
 */
import SwaggerParser from "@apidevtools/swagger-parser"
import { describe, expect, it } from "@effect/vitest"
import * as Api from "@paymentflow/core/Api"
import { openApi } from "@paymentflow/sandbox/HttpApi"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const checkedIn = readFileSync(fileURLToPath(new URL("../../openapi.json", import.meta.url)), "utf8")
// what `pnpm openapi` writes (bin.ts --print-openapi)
const fresh = `${JSON.stringify(openApi(), null, 2)}\n`

describe("openapi.json", () => {
  it("is a valid OpenAPI 3.1 document (swagger-parser)", async () => {
    const document: unknown = JSON.parse(checkedIn)
    // validate() dereferences in place: give it its own copy
    const validated = await SwaggerParser.validate(JSON.parse(checkedIn))
    expect(validated).toBeDefined()
    expect(document).toMatchObject({ openapi: "3.1.0", info: { version: "2025-06-01" } })
  })

  it("equals the document derived from core's HttpApi (run `pnpm openapi` after changing the API)", () => {
    expect(checkedIn).toBe(fresh)
  })

  it("documents every endpoint of the table, and no sandbox-only route", () => {
    const spec: { paths: Record<string, Record<string, unknown>> } = JSON.parse(checkedIn)
    for (const e of Api.all) {
      const path = e.path.replace(":id", "{id}")
      expect(spec.paths[path]?.[e.method.toLowerCase()], `${e.method} ${e.path}`).toBeDefined()
    }
    expect(Object.keys(spec.paths).filter((p) => p.includes("sandbox"))).toEqual([])
    expect(checkedIn).not.toContain("HttpApiDecodeError")
  })

  it("requires a bearer key on every operation (no operation opts out with security: [])", () => {
    const spec: {
      security: unknown
      paths: Record<string, Record<string, { security?: unknown }>>
    } = JSON.parse(checkedIn)
    expect(spec.security).toEqual([{ apiKey: [] }])
    for (const item of Object.values(spec.paths)) {
      for (const op of Object.values(item)) expect(op.security).toBeUndefined()
    }
  })
})

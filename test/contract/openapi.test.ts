/**
 * `openapi.json` is derived from core's API definition: it must be a valid OpenAPI document and
 * the checked-in copy must equal a fresh derivation (`pnpm openapi` regenerates it).
 */
import SwaggerParser from "@apidevtools/swagger-parser"
import { describe, expect, it } from "@effect/vitest"
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Api from "@paymentflow/core/Api"
import * as Endpoint from "@paymentflow/core/Endpoint"
import { CODES } from "@paymentflow/core/ErrorBody"
import { API_VERSION, SUPPORTED_API_VERSIONS } from "@paymentflow/core/Fields"
import { HEADERS } from "@paymentflow/core/Headers"
import { documentOf, openApiFiles, sandboxOpenApi, toHttpApiEndpoint } from "@paymentflow/sandbox/HttpApi"
import * as Schema from "effect/Schema"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const checkedIn = readFileSync(fileURLToPath(new URL("../../openapi.json", import.meta.url)), "utf8")
// what `pnpm openapi` writes (bin.ts --print-openapi)
const fresh = `${JSON.stringify(sandboxOpenApi(), null, 2)}\n`

describe("openapi.json", () => {
  it("is a valid OpenAPI 3.1 document (swagger-parser)", async () => {
    const document: unknown = JSON.parse(checkedIn)
    // validate() dereferences in place: give it its own copy
    const validated = await SwaggerParser.validate(JSON.parse(checkedIn))
    expect(validated).toBeDefined()
    expect(document).toMatchObject({ openapi: "3.1.0", info: { version: API_VERSION } })
  })

  it("equals the document derived from core's HttpApi (run `pnpm openapi` after changing the API)", () => {
    expect(checkedIn).toBe(fresh)
  })

  it("describes the SDK's pin, 2026-12-01: client_secret on the operations that take it, without a pattern", () => {
    const spec: OpenApiDocument = JSON.parse(checkedIn)
    expect(spec.info.version).toBe("2026-12-01")
    const retrieve = spec.paths["/v1/payments/{id}"]?.get
    expect(retrieve?.parameters?.find((p) => p.name === "client_secret")).toEqual({
      name: "client_secret",
      in: "query",
      required: false,
      schema: { type: "string", description: expect.stringContaining("404") }
    })
    const confirmBody = spec.paths["/v1/payments/{id}/confirm"]?.post?.requestBody?.content["application/json"]?.schema
    expect(confirmBody?.properties?.["client_secret"]).toEqual({ type: "string", description: expect.any(String) })
    expect(confirmBody?.required).toEqual(["payment_method"])
    // a publishable key may not create: 403 declared; create, retrieve, confirm, cancel answer PaymentWithSecret
    expect(spec.paths["/v1/payments"]?.post?.responses["403"]).toBeDefined()
    for (const [path, method] of [["/v1/payments", "post"], ["/v1/payments/{id}", "get"], ["/v1/payments/{id}/confirm", "post"], ["/v1/payments/{id}/cancel", "post"]] as const) {
      expect(spec.paths[path]?.[method]?.responses["200"]?.content?.["application/json"]?.schema, `${method} ${path}`)
        .toEqual({ $ref: "#/components/schemas/PaymentWithSecret" })
    }
    expect(spec.components.schemas["PaymentWithSecret"]?.required).toContain("client_secret")
    expect(spec.components.schemas["Payment"]?.properties).not.toHaveProperty("client_secret")
  })
})

interface OpenApiOperation {
  readonly parameters?: ReadonlyArray<{ readonly name: string; readonly in: string; readonly required?: boolean; readonly schema?: unknown }>
  readonly requestBody?: { readonly content: Record<string, { readonly schema?: { readonly properties?: Record<string, unknown>; readonly required?: ReadonlyArray<string> } }> }
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema?: unknown }> } | undefined>
}
interface OpenApiDocument {
  readonly info: { readonly version: string }
  readonly paths: Record<string, Record<string, OpenApiOperation | undefined> | undefined>
  readonly components: { readonly schemas: Record<string, { readonly properties?: Record<string, unknown>; readonly required?: ReadonlyArray<string> } | undefined> }
}

describe("one OpenAPI document per announced version", () => {
  const files = openApiFiles()
  const read = (file: string) => readFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), "utf8")

  it("a file per version: openapi.json for the pin, openapi-<version>.json for each older one", () => {
    expect(files).toEqual(SUPPORTED_API_VERSIONS.map((version) => ({
      version,
      file: version === API_VERSION ? "openapi.json" : `openapi-${version}.json`
    })))
    expect(files.map((f) => f.file)).toContain("openapi-2025-06-01.json")
  })

  it.each(files.map((f) => [f.file, f.version] as const))("%s equals its derivation and is valid OpenAPI 3.1", async (file, version) => {
    const text = read(file)
    expect(text).toBe(`${JSON.stringify(sandboxOpenApi(version), null, 2)}\n`)
    expect(await SwaggerParser.validate(JSON.parse(text))).toBeDefined()
    expect(JSON.parse(text)).toMatchObject({ info: { version } })
  })

  it("2025-06-01 is read through its declared changes: a publishable key creates, retrieves and confirms; no client_secret anywhere", () => {
    const text = read("openapi-2025-06-01.json")
    expect(text).not.toContain("client_secret")
    expect(text).not.toContain("PaymentWithSecret")
    const spec: OpenApiDocument = JSON.parse(text)
    for (const [path, method] of [["/v1/payments", "post"], ["/v1/payments/{id}", "get"], ["/v1/payments/{id}/confirm", "post"]] as const) {
      const op = spec.paths[path]?.[method]
      expect(op?.responses["403"], `${method} ${path}`).toBeUndefined()
      expect(op?.responses["200"]?.content?.["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/Payment" })
    }
    // what neither version changed reads the same
    expect(spec.paths["/v1/payments"]?.get?.responses["403"]).toBeDefined()
    expect(spec.paths["/v1/customers"]).toEqual(JSON.parse(checkedIn).paths["/v1/customers"])
  })

  it("documents every endpoint of the table, the sandbox-only ones marked so (tag sandbox, x-sandbox-only)", () => {
    const spec: { paths: Record<string, Record<string, { tags?: ReadonlyArray<string>; "x-sandbox-only"?: boolean }>> } = JSON.parse(checkedIn)
    for (const e of Api.all) {
      const path = e.path.replace(":id", "{id}")
      const op = spec.paths[path]?.[e.method.toLowerCase()]
      expect(op, `${e.method} ${e.path}`).toBeDefined()
      expect(op?.["x-sandbox-only"] === true, `${e.method} ${e.path}`).toBe(!Endpoint.isClient(e))
      if (!Endpoint.isClient(e)) expect(op?.tags).toEqual(["sandbox"])
    }
    const sandboxPaths = Object.keys(spec.paths).filter((p) => p.startsWith("/v1/sandbox/"))
    expect(sandboxPaths.sort()).toEqual([...new Set(Api.all.filter((e) => !Endpoint.isClient(e)).map((e) => e.path))].sort())
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

  it("declares the contract's headers, statuses and codes on every operation, from core's data", () => {
    interface Operation {
      readonly parameters?: ReadonlyArray<{ readonly name: string; readonly in: string; readonly schema?: Record<string, unknown> }>
      readonly requestBody?: { readonly required?: boolean }
      readonly responses: Record<string, { readonly headers?: Record<string, { readonly required?: boolean }> }>
    }
    const spec: {
      info: unknown
      paths: Record<string, Record<string, Operation>>
      components: { schemas: Record<string, unknown> }
    } = JSON.parse(checkedIn)
    for (const e of Api.all.filter(Endpoint.isClient)) {
      const op = spec.paths[e.path.replace(":id", "{id}")]![e.method.toLowerCase()]!
      const what = `${e.method} ${e.path}`
      const headerParams = new Map((op.parameters ?? []).filter((p) => p.in === "header").map((p) => [p.name, p.schema]))
      expect(headerParams.get(HEADERS.version.name), what).toEqual({ type: "string", enum: [...SUPPORTED_API_VERSIONS] })
      expect(headerParams.has(HEADERS.client.name), what).toBe(true)
      expect(headerParams.has(HEADERS.idempotencyKey.name), what).toBe(e.method === "POST")
      if (e.method === "POST") expect(headerParams.get(HEADERS.idempotencyKey.name)?.pattern, what).toBe("^[\\x20-\\x7e]{1,255}$")
      if (e.method === "POST" && e.params === undefined) expect(op.requestBody?.required, what).toBe(false)
      for (const status of ["200", "400", "401", "429", "500", "503"]) expect(op.responses[status], `${what} ${status}`).toBeDefined()
      // 403 only where the sandbox refuses a publishable key (auth.ts); 405 never: it answers a
      // method the path does not list, which is no operation
      expect(op.responses["403"] !== undefined, `${what} 403`).toBe(!Endpoint.allowsPublishable(e.access))
      expect(op.responses["405"], `${what} 405`).toBeUndefined()
      expect(op.responses["404"] !== undefined, what).toBe(e.id !== undefined || e.errors.includes("NotFoundError"))
      for (const status of Object.keys(op.responses)) {
        const headers = op.responses[status]?.headers
        expect(headers?.[HEADERS.requestId.name]?.required, `${what} ${status}`).toBe(true)
        expect(headers?.[HEADERS.retryAfter.name]?.required, `${what} ${status}`).toBe(status === "429" || status === "503" ? true : undefined)
      }
      expect(op.responses["200"]?.headers?.[HEADERS.idempotentReplayed.name] !== undefined, what).toBe(e.method === "POST")
    }
    // the known codes of each status, from the one registry, in an open form
    for (const [code, [status]] of Object.entries(CODES)) {
      if (status === 405) expect(JSON.stringify(spec.info), code).toContain(`405 \`${code}\``)
      else expect(JSON.stringify(spec.components.schemas[`Error${status}`]), code).toContain(`"${code}"`)
    }
    expect(spec.components.schemas.Error409).toMatchObject({
      properties: { error: { properties: { code: { anyOf: [{ type: "string" }, { type: "string" }] } } } }
    })
  })

  it("leaves a sandbox-only row out of the user's document, and marks it in the sandbox's", () => {
    // no sandbox-only row exists yet: a made-up one, served beside a client row
    const deliveries = Endpoint.make({
      name: "deliveries",
      group: "payments",
      method: "GET",
      path: "/v1/sandbox/deliveries",
      id: undefined,
      params: undefined,
      success: Schema.Struct({ data: Schema.Array(Schema.String) }).annotations({ identifier: "DeliveryList" }),
      errors: [],
      access: "secret",
      summary: "List webhook deliveries.",
      surface: "sandbox"
    })
    const retrieve = Api.endpoints["payments.retrieve"]
    const rows = [retrieve, deliveries]
    const api = HttpApi.make("Test").add(HttpApiGroup.make("payments").add(toHttpApiEndpoint(retrieve)).add(toHttpApiEndpoint(deliveries)))
    const user = documentOf(api, rows, "user")
    expect(Object.keys(user.paths)).toEqual(["/v1/payments/{id}"])
    expect(user.tags.map((t) => t.name)).not.toContain("sandbox")
    expect(Object.keys(user.components.schemas)).not.toContain("DeliveryList")
    const sandbox = documentOf(api, rows, "sandbox")
    expect(sandbox.paths["/v1/sandbox/deliveries"]?.get).toMatchObject({ tags: ["sandbox"], "x-sandbox-only": true })
    expect(sandbox.paths["/v1/payments/{id}"]?.get).not.toHaveProperty("x-sandbox-only")
    expect(sandbox.tags.map((t) => t.name)).toContain("sandbox")
    expect(Object.keys(sandbox.components.schemas)).toContain("DeliveryList")
  })
})

/**
 * The error registry and the error classes: every class and code is written once
 * (`ErrorCodes.REGISTRY`), and what derives from it — the classes' code unions, `CODES`, the
 * status mapping, the README's errors table — agrees with the contract; the classes are Schema
 * classes that round-trip and whose encoded forms hold nothing but their fields.
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import {
  ApiError,
  AuthenticationError,
  ConflictError,
  type ErrorTag,
  isPaymentFlowError,
  makeError,
  NetworkError,
  NotFoundError,
  PaymentFlow,
  type PaymentFlowError,
  PaymentFlowErrorTypeId,
  PaymentId,
  RateLimitError,
  ValidationError
} from "@paymentflow/core"
import {
  CLASS_OF_TYPE,
  classOfStatus,
  type Code,
  CODES,
  codesOf,
  ErrorType,
  infoOf,
  isLocalCode,
  type KnownCode,
  REGISTRY,
  statusesOf
} from "@paymentflow/core/ErrorBody"
import { ErrorClasses } from "@paymentflow/core/Errors"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Equal from "effect/Equal"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { inspect } from "node:util"
import * as Scripted from "./utils/ScriptedHttp.js"

const TAGS: ReadonlyArray<ErrorTag> = [
  "ValidationError",
  "AuthenticationError",
  "NotFoundError",
  "ConflictError",
  "RateLimitError",
  "ApiError",
  "NetworkError"
]

/** A class and one instance of it, with its encoder and decoder. */
const sample = <A extends PaymentFlowError, I>(Class: Schema.Schema<A, I> & (new(...args: ReadonlyArray<never>) => A), value: A) => ({
  Class,
  value,
  encode: (): I => Schema.encodeSync(Class)(value),
  decode: (u: unknown): A => Schema.decodeUnknownSync(Class)(u)
})

/** One instance of each class, every field set. */
const samples = [
  sample(ValidationError, new ValidationError({ code: "parameter_invalid", field: "amount", message: "must be positive", statusCode: 400, requestId: "req_1" })),
  sample(AuthenticationError, new AuthenticationError({ code: "api_key_invalid", message: "bad key", statusCode: 401, requestId: "req_2" })),
  sample(NotFoundError, new NotFoundError({ code: "resource_missing", message: "No such payment", statusCode: 404, requestId: "req_3" })),
  sample(ConflictError, new ConflictError({ code: "idempotency_key_in_use", message: "in use", statusCode: 409, requestId: "req_4" })),
  sample(RateLimitError, new RateLimitError({ code: "rate_limited", message: "slow down", statusCode: 429, requestId: "req_5", retryAfter: 2 })),
  sample(ApiError, new ApiError({ code: "service_unavailable", message: "down", statusCode: 503, requestId: "req_6", retryAfter: 7 })),
  sample(NetworkError, new NetworkError({ code: "invalid_response", message: "not JSON", statusCode: 200, requestId: "req_7", body: "unparseable" }))
]

const AnyError = Schema.Union(ValidationError, AuthenticationError, NotFoundError, ConflictError, RateLimitError, ApiError, NetworkError)

describe("error classes are Schema classes", () => {
  it("each round-trips through encode and decode, alone and inside a Schema.Union of the classes", () => {
    expect(samples.map((s) => s.value._tag)).toEqual(TAGS)
    for (const { Class, decode, encode, value: error } of samples) {
      expect(ErrorClasses[error._tag]).toBe(Class)
      const encoded = encode()
      expect(encoded).toEqual({ ...error, message: error.message })
      const decoded = decode(encoded)
      expect(decoded).toBeInstanceOf(Class)
      expect(Equal.equals(decoded, error)).toBe(true)

      const json = Schema.encodeSync(Schema.parseJson(AnyError))(error)
      const back = Schema.decodeUnknownSync(Schema.parseJson(AnyError))(json)
      expect(back).toBeInstanceOf(Class)
      expect(back._tag).toBe(error._tag)
      expect(back.message).toBe(error.message)
      expect(Equal.equals(back, error)).toBe(true)
    }
  })

  it("a decoded error is a real error: message, instanceof Error, yieldable, catchTag", () =>
    Effect.runSync(Effect.gen(function*() {
      const decoded = Schema.decodeUnknownSync(AnyError)({ _tag: "NotFoundError", code: "resource_missing", message: "gone" })
      expect(decoded).toBeInstanceOf(Error)
      expect(decoded.message).toBe("gone")
      expect(isPaymentFlowError(decoded)).toBe(true)
      const caught = yield* Effect.gen(function*() {
        return yield* new NotFoundError({ code: "resource_missing", message: "gone" })
      }).pipe(Effect.catchTag("NotFoundError", (e) => Effect.succeed(e.code)))
      expect(caught).toBe("resource_missing")
      const exit = yield* Effect.exit(Effect.fail(decoded))
      expect(exit).toStrictEqual(Exit.fail(decoded))
    })))

  it("a field the constructor is given as undefined is accepted and not encoded as a value", () => {
    const error = new ValidationError({ code: "parameter_missing", message: "is required", field: undefined, statusCode: undefined })
    expect(JSON.stringify(Schema.encodeSync(ValidationError)(error))).toBe(
      `{"code":"parameter_missing","message":"is required","_tag":"ValidationError"}`
    )
  })

  it("a user's own HttpApi can declare them as its errors, and document them", () => {
    const api = HttpApi.make("shop").add(
      HttpApiGroup.make("orders").add(
        HttpApiEndpoint.post("checkout", "/checkout")
          .addSuccess(Schema.String)
          .addError(ValidationError, { status: 400 })
          .addError(RateLimitError, { status: 429 })
      )
    )
    const schemas = OpenApi.fromApi(api).components.schemas
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(["ValidationError", "RateLimitError"]))
    // the known codes are documented beside "any other string"
    expect(JSON.stringify(schemas["ValidationError"])).toContain("parameter_missing")
  })

  it("decoding refuses what is not the class (wrong tag, missing message)", () => {
    expect(() => Schema.decodeUnknownSync(ValidationError)({ _tag: "ApiError", code: "x", message: "m" })).toThrow()
    expect(() => Schema.decodeUnknownSync(ValidationError)({ _tag: "ValidationError", code: "x" })).toThrow()
  })
})

describe("nothing but the fields in any rendered form", () => {
  it("encoding, JSON, toString and inspect hold the fields and nothing else", () => {
    for (const { encode, value: error } of samples) {
      const encoded = encode()
      expect(Object.keys(encoded).sort()).toEqual([...Object.keys(error), "message"].sort())
      expect(JSON.parse(JSON.stringify(error))).toEqual(encoded)
      expect(String(error)).toBe(`${error._tag}: ${error.message}`)
      const shown = inspect(error, { depth: 5 }).split("\n").filter((line) => !/^\s+at /.test(line)).join("\n")
      expect(shown.split("\n")[0]).toBe(`${error._tag}: ${error.message}`)
      for (const key of Object.keys(encoded)) if (key !== "message") expect(shown).toContain(`${key}: `)
      expect(shown.split("\n").length).toBeLessThanOrEqual(Object.keys(encoded).length + 2)
    }
  })

  const SK = "sk_test_canaryCANARYcanary0042"

  it.effect("a key the server echoes in an error is masked in every encoded form of the error the client returns", () =>
    Effect.gen(function*() {
      const http = Scripted.make(() => ({
        status: 400,
        json: Scripted.errorJson("validation_error", "parameter_invalid", `Bearer ${SK} is odd`, `metadata.${SK}`)
      }))
      const pf = yield* PaymentFlow.make({ apiKey: SK }).pipe(Effect.provide(http.layer))
      const error = yield* Effect.flip(pf.payments.retrieve(PaymentId.make(Scripted.id("pay", 1))))
      const forms = [
        JSON.stringify(Schema.encodeSync(AnyError)(error)),
        Schema.encodeSync(Schema.parseJson(AnyError))(error),
        JSON.stringify(error),
        String(error),
        inspect(error, { depth: 10, showHidden: true })
      ]
      expect(error.message).toContain("sk_test...0042")
      for (const form of forms) expect(form).not.toContain(SK)
    }).pipe(Effect.scoped))

  it.effect("so is a malformed key the client refuses locally", () =>
    Effect.gen(function*() {
      const malformed = `${SK}!`
      const http = Scripted.make(() => ({ status: 200, json: {} }))
      const pf = yield* PaymentFlow.make({ apiKey: malformed }).pipe(Effect.provide(http.layer))
      const error = yield* Effect.flip(pf.payments.retrieve(PaymentId.make(Scripted.id("pay", 1))))
      expect(error._tag).toBe("AuthenticationError")
      expect(Schema.encodeSync(Schema.parseJson(AnyError))(error)).not.toContain(SK)
      expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(SK)
    }).pipe(Effect.scoped))
})

/** The literal members of a string union (what an editor offers after `case "`). */
type Literals<T> = T extends string ? string extends T ? never : T : never

describe("code unions", () => {
  it("known codes are literals, unknown codes still compile", () => {
    expectTypeOf<"parameter_missing">().toMatchTypeOf<ValidationError["code"]>()
    expectTypeOf<"a_code_added_next_year">().toMatchTypeOf<ValidationError["code"]>()
    expectTypeOf<string>().toMatchTypeOf<ValidationError["code"]>()
    // the literals survive beside the open tail (`switch (e.code)` completes them)
    expectTypeOf<ValidationError["code"]>().not.toEqualTypeOf<string>()
    expectTypeOf<Literals<ValidationError["code"]>>().toEqualTypeOf<KnownCode<"ValidationError">>()
    expectTypeOf<Literals<NetworkError["code"]>>().toEqualTypeOf<"connection_failed" | "timeout" | "invalid_response">()
    expectTypeOf<Literals<AuthenticationError["code"]>>().toEqualTypeOf<
      | "api_key_missing"
      | "api_key_invalid"
      | "api_key_environment_mismatch"
      | "permission_denied"
      | "base_url_invalid"
      | "insecure_base_url"
      | "secret_key_in_browser"
    >()
    expectTypeOf<Extract<KnownCode<"ConflictError">, "idempotency_key_in_use">>().toEqualTypeOf<"idempotency_key_in_use">()
    expectTypeOf<Extract<KnownCode<"ConflictError">, "parameter_missing">>().toBeNever()
    expectTypeOf<Extract<Code, "timeout">>().toBeNever()
    expectTypeOf<Extract<Code, "rate_limited">>().toEqualTypeOf<"rate_limited">()

    const later = new ValidationError({ code: "a_code_added_next_year", message: "new" })
    expect(Schema.decodeUnknownSync(ValidationError)(Schema.encodeSync(ValidationError)(later)).code).toBe("a_code_added_next_year")
  })

  it("each class's known codes are its registry codes", () => {
    for (const tag of TAGS) expect(codesOf(tag)).toEqual(Object.keys(REGISTRY[tag].codes))
    expect(codesOf("ValidationError", 413)).toEqual(["body_too_large"])
    expect(codesOf("AuthenticationError", 403)).toEqual(["permission_denied"])
    expect(codesOf("NetworkError", 400)).toEqual([])
    expect(infoOf("secret_key_in_browser")).toEqual({ tag: "AuthenticationError", status: "local" })
    expect(infoOf("not_a_code")).toBeUndefined()
    expect(isLocalCode("timeout")).toBe(true)
    expect(isLocalCode("api_key_missing")).toBe(false)
  })
})

describe("makeError and isPaymentFlowError", () => {
  const fields = {
    code: "some_code",
    message: "m",
    statusCode: 503,
    requestId: "req_9",
    field: "amount",
    retryAfter: 3,
    body: "unexpected_shape"
  } as const

  it("makeError builds the class of the tag, with only the fields that class has", () => {
    const expected: Record<ErrorTag, ReadonlyArray<string>> = {
      ValidationError: ["field"],
      AuthenticationError: [],
      NotFoundError: [],
      ConflictError: [],
      RateLimitError: ["retryAfter"],
      ApiError: ["retryAfter"],
      NetworkError: ["body"]
    }
    for (const tag of TAGS) {
      const error = makeError(tag, fields)
      expect(error).toBeInstanceOf(ErrorClasses[tag])
      expect(error._tag).toBe(tag)
      expect(Object.keys(error).sort()).toEqual(["_tag", "code", "requestId", "statusCode", ...expected[tag]].sort())
    }
    expectTypeOf(makeError("RateLimitError", fields)).toEqualTypeOf<RateLimitError>()
  })

  it("recognises each class, and an error of the same tag and shape from another copy of the SDK", () => {
    for (const { value } of samples) expect(isPaymentFlowError(value)).toBe(true)
    class OtherCopy extends Schema.TaggedError<OtherCopy>()("ValidationError", { code: Schema.String, message: Schema.String }) {}
    class OlderCopy extends Data.TaggedError("ApiError")<{ readonly code: string; readonly message: string }> {}
    expect(isPaymentFlowError(new OtherCopy({ code: "parameter_invalid", message: "m" }))).toBe(true)
    expect(isPaymentFlowError(new OlderCopy({ code: "internal_error", message: "m" }))).toBe(true)
  })

  it("refuses other values: encoded forms, other tags, errors without a code", () => {
    for (const { encode } of samples) expect(isPaymentFlowError(encode())).toBe(false)
    expect(isPaymentFlowError({ _tag: "ApiError", code: "internal_error", message: "m" })).toBe(false)
    expect(isPaymentFlowError(Object.assign(new Error("m"), { _tag: "SignatureVerificationError", code: "x" }))).toBe(false)
    expect(isPaymentFlowError(Object.assign(new Error("m"), { _tag: "ApiError" }))).toBe(false)
    expect(isPaymentFlowError(undefined)).toBe(false)
  })
})

describe("instanceof across copies of the SDK", () => {
  /** A second instance of the module, as the CJS build or `@paymentflow/node/client` carries. */
  const secondCopy = "../src/Errors.ts?second-copy"
  const otherCopy = (): Promise<typeof ErrorClasses> =>
    import(/* @vite-ignore */ secondCopy).then((m: { readonly ErrorClasses: typeof ErrorClasses }) => m.ErrorClasses)
  const v = { code: "parameter_invalid", message: "m", field: "id" } as const
  const fields = { code: "some_code", message: "m", statusCode: 503 } as const

  it("an error from another copy is instanceof this copy's class of its tag, and only that one", async () => {
    const other = await otherCopy()
    expect(other.ValidationError).not.toBe(ValidationError)
    const foreign = new other.ValidationError(v)
    expect(foreign).toBeInstanceOf(ValidationError)
    expect(new ValidationError(v)).toBeInstanceOf(other.ValidationError)
    expect(foreign).not.toBeInstanceOf(NotFoundError)
    expect(new other.NotFoundError({ code: "resource_missing", message: "m" })).not.toBeInstanceOf(ValidationError)
    for (const tag of TAGS) {
      const error = makeError(tag, fields)
      for (const t of TAGS) expect([tag, t, error instanceof other[t]]).toEqual([tag, t, t === tag])
    }
  })

  it("a lookalike without the brand is not an instance; a user's subclass keeps ordinary instanceof", () => {
    expect(Object.assign(new Error("m"), { _tag: "ValidationError", code: "x" })).not.toBeInstanceOf(ValidationError)
    expect({ _tag: "ValidationError", code: "x", message: "m" }).not.toBeInstanceOf(ValidationError)
    class CheckoutError extends ValidationError {}
    expect(new CheckoutError(v)).toBeInstanceOf(CheckoutError)
    expect(new CheckoutError(v)).toBeInstanceOf(ValidationError)
    expect(new ValidationError(v)).not.toBeInstanceOf(CheckoutError)
  })

  it("the brand is no field: encoded forms and JSON are unchanged", () => {
    const error = new ValidationError(v)
    expect(Object.getOwnPropertySymbols(error)).not.toContain(PaymentFlowErrorTypeId)
    expect(Schema.encodeSync(ValidationError)(error)).toEqual({ _tag: "ValidationError", ...v })
  })
})

describe("the registry", () => {
  /** The contract's error table (paymentflow-api.md, Errors), as data: class, status (or 5xx, or none), codes. */
  const CONTRACT: ReadonlyArray<readonly [ErrorTag, number | "5xx" | "none", ReadonlyArray<string>]> = [
    ["ValidationError", 400, [
      "parameter_missing",
      "parameter_invalid",
      "parameter_unknown",
      "amount_too_large",
      "refund_exceeds_payment",
      "invalid_cursor",
      "card_not_test",
      "payment_method_unusable",
      "version_unknown",
      "body_invalid"
    ]],
    ["ValidationError", 405, ["method_not_allowed"]],
    ["ValidationError", 413, ["body_too_large"]],
    ["ValidationError", 415, ["content_type_invalid"]],
    ["AuthenticationError", 401, ["api_key_missing", "api_key_invalid", "api_key_environment_mismatch"]],
    ["AuthenticationError", 403, ["permission_denied"]],
    ["NotFoundError", 404, ["resource_missing", "route_missing"]],
    ["ConflictError", 409, [
      "payment_not_cancelable",
      "payment_not_refundable",
      "payment_not_confirmable",
      "payment_method_already_attached",
      "payment_method_not_attached",
      "idempotency_key_reused",
      "idempotency_key_in_use"
    ]],
    ["RateLimitError", 429, ["rate_limited"]],
    ["ApiError", "5xx", ["internal_error", "service_unavailable"]],
    ["NetworkError", "none", ["connection_failed", "timeout", "invalid_response"]]
  ]
  /** Codes the SDK names that the contract does not: local refusals, and its name for a 5xx that is not a PaymentFlow error. */
  const SDK_ONLY = ["base_url_invalid", "insecure_base_url", "secret_key_in_browser", "unexpected_response", "bad_gateway"]

  it("holds every code of the contract, in its class, with its status", () => {
    for (const [tag, status, codes] of CONTRACT) {
      for (const code of codes) {
        const info = infoOf(code)
        expect(info?.tag, code).toBe(tag)
        if (status === "none") expect(info?.status, code).toBe("local")
        else if (status === "5xx") expect(typeof info?.status === "number" && info.status >= 500 && info.status < 600, code).toBe(true)
        else expect(info?.status, code).toBe(status)
      }
    }
  })

  it("and no code beyond the contract's but the SDK's own", () => {
    const inContract = new Set(CONTRACT.flatMap(([, , codes]) => codes))
    const all = TAGS.flatMap((tag) => codesOf(tag))
    expect(all.filter((code) => !inContract.has(code)).sort()).toEqual([...SDK_ONLY].sort())
    expect(new Set(all).size).toBe(all.length) // a code belongs to one class
  })

  const contractPath = fileURLToPath(new URL("../../../../shared/paymentflow-api.md", import.meta.url))

  it.skipIf(!existsSync(contractPath))("the table above is the contract's (../shared/paymentflow-api.md)", () => {
    const text = readFileSync(contractPath, "utf8")
    const section = text.slice(text.indexOf("## Errors"), text.indexOf("\n## ", text.indexOf("## Errors") + 1))
    const parsed: Array<readonly [string, string, ReadonlyArray<string>]> = []
    const classOfType = new Map<string, string>()
    for (const line of section.split("\n")) {
      const cells = line.split("|").map((c) => c.trim())
      const status = cells[1] ?? ""
      if (cells.length < 5 || !/^(\d{3}|5xx|—)/.test(status)) continue
      const codes = [...(cells[4] ?? "").matchAll(/`(\w+)`/g)].map((m) => m[1] ?? "")
      parsed.push([cells[3] ?? "", status.startsWith("—") ? "none" : status, codes])
      classOfType.set((cells[2] ?? "").replaceAll("`", ""), cells[3] ?? "")
    }
    // "Also: unknown path → 404 `route_missing`; ... The 405, 413 and 415 carry type `validation_error`."
    const also = section.slice(section.indexOf("Also:"))
    const typed = /The ([\d, and]+) carry\s+type\s+`(\w+)`/.exec(also)
    const typeOfStatus = new Map((typed?.[1] ?? "").split(/, | and /).map((s) => [s, typed?.[2] ?? ""] as const))
    for (const m of also.matchAll(/(\d{3})\s+`(\w+)`/g)) {
      const status = m[1] ?? ""
      const code = m[2] ?? ""
      const index = parsed.findIndex(([, s]) => s === status)
      const row = parsed[index]
      if (row === undefined) parsed.push([classOfType.get(typeOfStatus.get(status) ?? "") ?? "?", status, [code]])
      else if (!row[2].includes(code)) parsed[index] = [row[0], status, [...row[2], code]]
    }
    const normalize = (rows: ReadonlyArray<readonly [string, string | number, ReadonlyArray<string>]>) =>
      rows.map(([tag, status, codes]) => `${status} ${tag}: ${[...codes].sort().join(" ")}`).sort()
    expect(normalize(parsed)).toEqual(normalize(CONTRACT))
  })

  it("CODES: the server codes, each with its status and wire type (unchanged, plus the contract's new ones)", () => {
    expect(CODES).toEqual({
      parameter_missing: [400, "validation_error"],
      parameter_invalid: [400, "validation_error"],
      parameter_unknown: [400, "validation_error"],
      amount_too_large: [400, "validation_error"],
      refund_exceeds_payment: [400, "validation_error"],
      invalid_cursor: [400, "validation_error"],
      card_not_test: [400, "validation_error"],
      payment_method_unusable: [400, "validation_error"],
      version_unknown: [400, "validation_error"],
      body_invalid: [400, "validation_error"],
      content_type_invalid: [415, "validation_error"],
      body_too_large: [413, "validation_error"],
      method_not_allowed: [405, "validation_error"],
      api_key_missing: [401, "authentication_error"],
      api_key_invalid: [401, "authentication_error"],
      api_key_environment_mismatch: [401, "authentication_error"],
      permission_denied: [403, "authentication_error"],
      resource_missing: [404, "not_found_error"],
      route_missing: [404, "not_found_error"],
      payment_not_cancelable: [409, "conflict_error"],
      payment_not_refundable: [409, "conflict_error"],
      payment_not_confirmable: [409, "conflict_error"],
      payment_method_already_attached: [409, "conflict_error"],
      payment_method_not_attached: [409, "conflict_error"],
      idempotency_key_reused: [409, "conflict_error"],
      idempotency_key_in_use: [409, "conflict_error"],
      rate_limited: [429, "rate_limit_error"],
      internal_error: [500, "api_error"],
      service_unavailable: [503, "api_error"]
    })
  })

  it("wire types and their classes (the order is openapi.json's)", () => {
    expect(ErrorType.ast).toEqual(
      Schema.Literal("validation_error", "authentication_error", "not_found_error", "conflict_error", "rate_limit_error", "api_error").ast
    )
    expect(CLASS_OF_TYPE).toEqual({
      validation_error: "ValidationError",
      authentication_error: "AuthenticationError",
      not_found_error: "NotFoundError",
      conflict_error: "ConflictError",
      rate_limit_error: "RateLimitError",
      api_error: "ApiError"
    })
  })

  it("classOfStatus and statusesOf, for every status, are what they were", () => {
    const before: Record<number, ErrorTag> = {
      400: "ValidationError",
      405: "ValidationError",
      413: "ValidationError",
      415: "ValidationError",
      401: "AuthenticationError",
      403: "AuthenticationError",
      404: "NotFoundError",
      409: "ConflictError",
      429: "RateLimitError"
    }
    for (let status = 100; status < 600; status++) expect(classOfStatus(status), String(status)).toBe(before[status] ?? "ApiError")
    expect(Object.fromEntries(TAGS.map((tag) => [tag, statusesOf(tag)]))).toEqual({
      ValidationError: [400, 405, 413, 415],
      AuthenticationError: [401, 403],
      NotFoundError: [404],
      ConflictError: [409],
      RateLimitError: [429],
      ApiError: [500, 503],
      NetworkError: []
    })
  })
})

/** The README's errors table, rendered from the registry. */
const renderTable = (): string => {
  const notes: Partial<Record<ErrorTag, string>> = {
    ValidationError: " (`field` = wire path, e.g. `payment_method.card.number`)",
    RateLimitError: " (`retryAfter` seconds)",
    ApiError: " (`retryAfter` seconds on a 503)",
    NetworkError: " (`body` says why for `invalid_response`)"
  }
  const rows = TAGS.map((tag) => {
    const statuses = statusesOf(tag)
    const http = tag === "NetworkError"
      ? "no response"
      : `${statuses.join(" / ")}${tag === "ApiError" ? ", or any status the operation does not document" : ""}`
    const codes = codesOf(tag).map((code) => {
      const status = infoOf(code)?.status
      return `\`${code}\`${status === "local" && tag !== "NetworkError" ? " (local)" : typeof status === "number" && status !== statuses[0] ? ` (${status})` : ""}`
    })
    return `| ${http} | \`${tag}\`${notes[tag] ?? ""} | ${codes.join(", ")} |`
  })
  return ["| HTTP | error class | `code` |", "|---|---|---|", ...rows].join("\n")
}

describe("README", () => {
  it("its errors table is the registry's (paste the expected table into README.md on a change)", () => {
    const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8")
    const marker = readme.indexOf("<!-- errors table:")
    expect(marker).toBeGreaterThan(0)
    const start = readme.indexOf("\n", marker) + 1
    const end = readme.indexOf("\n\n", start)
    expect(readme.slice(start, end)).toBe(renderTable())
  })
})

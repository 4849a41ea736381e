import { describe, expect, it } from "@effect/vitest"
import { API_VERSION, CustomerId, PaymentFlow, PaymentId, RefundId } from "@paymentflow/core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import type { Script } from "./utils/ScriptedHttp.js"
import * as Scripted from "./utils/ScriptedHttp.js"

const SK = "sk_test_abcdefghijklmnop1234"
const PK = "pk_test_abcdefghijklmnop1234"
const payId = Scripted.id("pay", 1)
const card = { card: { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" } }

const ok: Script = () => ({ status: 200, json: Scripted.paymentJson(payId) })

/** Runs `f` with a client over a scripted HttpClient and returns what it did and what was sent. */
const withClient = <A, E>(
  script: Script,
  f: (pf: PaymentFlow.Service) => Effect.Effect<A, E>,
  options: Partial<PaymentFlow.Options> = {}
) => {
  const http = Scripted.make(script)
  return Effect.gen(function*() {
    const pf = yield* PaymentFlow.make({ apiKey: SK, ...options })
    const exit = yield* Effect.exit(f(pf))
    return { exit, requests: http.requests }
  }).pipe(Effect.scoped, Effect.provide(http.layer))
}

const failure = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${JSON.stringify(exit.value)}`)
  const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (error === undefined) throw new Error(`expected a typed failure, got ${String(exit.cause)}`)
  return error
}

describe("PaymentFlow", () => {
  describe("requests", () => {
    it.effect("payments.create sends the contract's method, path, headers and snake_case body; returns camelCase", () =>
      Effect.gen(function*() {
        const { exit, requests } = yield* withClient(ok, (pf) =>
          pf.payments.create({ amount: 2500, currency: "USD", customerEmail: "jane@example.com", metadata: { orderId: "1" } }))
        expect(Exit.isSuccess(exit)).toBe(true)
        if (Exit.isSuccess(exit)) {
          expect(exit.value.id).toBe(payId)
          expect(exit.value.amountRefunded).toBe(0)
          expect(exit.value.customerEmail).toBe("jane@example.com")
        }
        expect(requests).toHaveLength(1)
        const [req] = requests
        expect(req?.method).toBe("POST")
        expect(req?.url.href).toBe("https://sandbox.api.paymentflow.com/v1/payments")
        expect(req?.headers["authorization"]).toBe(`Bearer ${SK}`)
        // the pin: the newest announced version, written here as the literal it must be
        expect(req?.headers["paymentflow-version"]).toBe("2026-12-01")
        expect(API_VERSION).toBe("2026-12-01")
        expect(req?.headers["paymentflow-client"]).toMatch(/^paymentflow-typescript\/\d+\.\d+\.\d+ \(node \d+/)
        expect(req?.headers["content-type"]).toBe("application/json")
        expect(req?.headers["idempotency-key"]).toMatch(/^pf_[0-9a-f-]{36}$/)
        expect(JSON.parse(req?.body ?? "")).toEqual({
          amount: 2500,
          currency: "USD",
          customer_email: "jane@example.com",
          metadata: { orderId: "1" }
        })
      }))

    it.effect("the caller's Idempotency-Key is sent as given", () =>
      Effect.gen(function*() {
        const { requests } = yield* withClient(ok, (pf) =>
          pf.payments.create({ amount: 1, currency: "EUR" }, { idempotencyKey: "order-42" }))
        expect(requests[0]?.headers["idempotency-key"]).toBe("order-42")
      }))

    it.effect("each logical call gets its own generated Idempotency-Key", () =>
      Effect.gen(function*() {
        const { requests } = yield* withClient(ok, (pf) =>
          Effect.zip(pf.payments.create({ amount: 1, currency: "EUR" }), pf.payments.create({ amount: 1, currency: "EUR" })))
        expect(requests).toHaveLength(2)
        expect(requests[0]?.headers["idempotency-key"]).not.toBe(requests[1]?.headers["idempotency-key"])
      }))

    it.effect("GET has no Idempotency-Key and no body; list params go to the query string in wire names", () =>
      Effect.gen(function*() {
        const { requests } = yield* withClient(
          (req) =>
            req.url.pathname === "/v1/payments"
              ? { status: 200, json: { object: "list", data: [], has_more: false, total_count: 0 } }
              : ok(req, 0),
          (pf) =>
            Effect.zip(
              pf.payments.retrieve(PaymentId.make(payId)),
              pf.payments.list({ limit: 5, startingAfter: PaymentId.make(payId), customerEmail: "a@b.co", status: "succeeded" })
            )
        )
        expect(requests[0]?.method).toBe("GET")
        expect(requests[0]?.headers["idempotency-key"]).toBeUndefined()
        expect(requests[0]?.body).toBeUndefined()
        const query = requests[1]?.url.searchParams
        expect(requests[1]?.url.pathname).toBe("/v1/payments")
        expect(query?.get("limit")).toBe("5")
        expect(query?.get("starting_after")).toBe(payId)
        expect(query?.get("customer_email")).toBe("a@b.co")
        expect(query?.get("status")).toBe("succeeded")
      }))

    it.effect("every operation hits its method and path", () =>
      Effect.gen(function*() {
        const cus = CustomerId.make(Scripted.id("cus", 1))
        const ref = RefundId.make(Scripted.id("ref", 1))
        const pay = PaymentId.make(payId)
        const list = { object: "list", data: [], has_more: false, total_count: 0 }
        const refund = { id: ref, object: "refund", payment_id: pay, amount: 1, currency: "USD", reason: null, status: "pending", metadata: {}, created: 1 }
        const customer = { id: cus, object: "customer", email: "a@b.co", name: null, phone: null, metadata: {}, default_payment_method: null, created: 1 }
        const script: Script = (req) => {
          const p = req.url.pathname
          if (p.endsWith("/v1/payments") && req.method === "GET") return { status: 200, json: list }
          if (p.startsWith("/v1/payments")) return { status: 200, json: Scripted.paymentJson(pay) }
          if (p === "/v1/refunds" && req.method === "GET") return { status: 200, json: list }
          if (p.startsWith("/v1/refunds")) return { status: 200, json: refund }
          if (p === "/v1/customers" && req.method === "GET") return { status: 200, json: list }
          if (req.method === "DELETE") return { status: 200, json: { id: cus, object: "customer", deleted: true } }
          return { status: 200, json: customer }
        }
        const { exit, requests } = yield* withClient(script, (pf) =>
          Effect.all([
            pf.payments.create({ amount: 1, currency: "USD" }),
            pf.payments.retrieve(pay),
            pf.payments.list(),
            pf.payments.confirm(pay, { paymentMethod: card }),
            pf.payments.cancel(pay),
            pf.refunds.create({ paymentId: pay, amount: 1, reason: "duplicate" }),
            pf.refunds.retrieve(ref),
            pf.refunds.list({ paymentId: pay }),
            pf.customers.create({ email: "a@b.co" }),
            pf.customers.retrieve(cus),
            pf.customers.update(cus, { name: null, metadata: { a: "" } }),
            pf.customers.delete(cus),
            pf.customers.list({ email: "a@b.co" })
          ]))
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
          "POST /v1/payments",
          `GET /v1/payments/${pay}`,
          "GET /v1/payments",
          `POST /v1/payments/${pay}/confirm`,
          `POST /v1/payments/${pay}/cancel`,
          "POST /v1/refunds",
          `GET /v1/refunds/${ref}`,
          "GET /v1/refunds",
          "POST /v1/customers",
          `GET /v1/customers/${cus}`,
          `PATCH /v1/customers/${cus}`,
          `DELETE /v1/customers/${cus}`,
          "GET /v1/customers"
        ])
        expect(JSON.parse(requests[3]?.body ?? "")).toEqual({
          payment_method: { card: { number: "4242424242424242", exp_month: 12, exp_year: 2099, cvc: "123" } }
        })
        expect(requests[4]?.body).toBe("{}")
        expect(JSON.parse(requests[5]?.body ?? "")).toEqual({ payment_id: pay, amount: 1, reason: "duplicate" })
        expect(JSON.parse(requests[10]?.body ?? "")).toEqual({ name: null, metadata: { a: "" } })
        expect(requests.filter((r) => r.method === "POST").every((r) => r.headers["idempotency-key"] !== undefined)).toBe(true)
        expect(requests.filter((r) => r.method !== "POST").every((r) => r.headers["idempotency-key"] === undefined)).toBe(true)
      }))
  })

  describe("local validation", () => {
    const cases: ReadonlyArray<readonly [string, unknown, string, string]> = [
      ["amount 0", { amount: 0, currency: "USD" }, "amount", "parameter_invalid"],
      ["amount too large", { amount: 100_000_000, currency: "USD" }, "amount", "amount_too_large"],
      ["lower-case currency", { amount: 1, currency: "usd" }, "currency", "parameter_invalid"],
      ["bad email", { amount: 1, currency: "USD", customerEmail: "nope" }, "customer_email", "parameter_invalid"],
      ["missing amount", { currency: "USD" }, "amount", "parameter_missing"],
      ["unknown parameter", { amount: 1, currency: "USD", colour: "red" }, "colour", "parameter_unknown"],
      [
        "bad card number",
        { amount: 1, currency: "USD", paymentMethod: { card: { ...card.card, number: "4242424242424241" } } },
        "payment_method.card.number",
        "parameter_invalid"
      ],
      ["metadata value too long", { amount: 1, currency: "USD", metadata: { order_id: "x".repeat(501) } }, "metadata.order_id", "parameter_invalid"]
    ]
    for (const [name, params, field, code] of cases) {
      it.effect(`${name} → ValidationError field ${field}, nothing sent`, () =>
        Effect.gen(function*() {
          const { exit, requests } = yield* withClient(ok, (pf) =>
            // Deliberately ill-typed input, as JavaScript callers can send.
            pf.payments.create(params as never))
          const error = failure(exit)
          expect(error._tag).toBe("ValidationError")
          if (error._tag === "ValidationError") {
            expect(error.field).toBe(field)
            expect(error.code).toBe(code)
            // the message stands beside the field: `${field}: ${message}` names it once
            expect(error.message.startsWith(field)).toBe(false)
          }
          expect(requests).toHaveLength(0)
        }))
    }

    it.effect("Effect.catchTag('ValidationError') reads the wire field", () =>
      Effect.gen(function*() {
        const { exit } = yield* withClient(ok, (pf) =>
          pf.payments.create({ amount: 1, currency: "USD", customerEmail: "bad" }).pipe(
            Effect.map(() => "sent"),
            Effect.catchTag("ValidationError", (e) => Effect.succeed(e.field))
          ))
        expect(exit).toEqual(Exit.succeed("customer_email"))
      }))

    it.effect("a malformed id (an unsafe cast) never reaches the server", () =>
      Effect.gen(function*() {
        const { exit, requests } = yield* withClient(ok, (pf) =>
          Effect.all([
            Effect.flip(pf.payments.retrieve("../customers" as PaymentId)),
            Effect.flip(pf.payments.cancel("pay_x" as PaymentId))
          ]))
        expect(requests).toHaveLength(0)
        if (Exit.isSuccess(exit)) {
          // one answer for one mistake, whether the row lists ValidationError (cancel) or not (retrieve)
          expect(exit.value[0]).toMatchObject({ _tag: "ValidationError", field: "id", code: "parameter_invalid" })
          expect(exit.value[0].statusCode).toBeUndefined()
          expect(exit.value[1]).toMatchObject({ _tag: "ValidationError", field: "id" })
        } else throw new Error("unexpected")
      }))

    it.effect("a bad caller Idempotency-Key → ValidationError field idempotency_key", () =>
      Effect.gen(function*() {
        const { exit, requests } = yield* withClient(ok, (pf) =>
          pf.payments.create({ amount: 1, currency: "USD" }, { idempotencyKey: "é" }))
        expect(failure(exit)).toMatchObject({ _tag: "ValidationError", field: "idempotency_key" })
        expect(requests).toHaveLength(0)
      }))

    it.effect("bad per-call options from plain JavaScript (timeout \"5s\", maxRetries NaN or -1) → ValidationError, nothing sent", () =>
      Effect.gen(function*() {
        // what a JavaScript caller can pass past the types
        const bad: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
          ["timeout", { timeout: "5s" }],
          ["timeout", { timeout: -1 }],
          ["timeout", { timeout: Number.NaN }],
          ["timeout", { timeout: "-5 seconds" }],
          ["timeout", { timeout: -5n }],
          ["timeout", { timeout: [-1, 0] }],
          ["max_retries", { maxRetries: Number.NaN }],
          ["max_retries", { maxRetries: -1 }],
          ["max_retries", { maxRetries: 1.5 }],
          ["max_retries", { maxRetries: "3" }]
        ]
        for (const [field, options] of bad) {
          const { exit, requests } = yield* withClient(ok, (pf) =>
            Effect.suspend(() => pf.payments.retrieve(PaymentId.make(payId), options as PaymentFlow.RequestOptions)))
          expect(failure(exit), String(Object.values(options)[0])).toMatchObject({ _tag: "ValidationError", field, code: "parameter_invalid" })
          expect(requests).toHaveLength(0)
        }
        // the good ones still go out
        const { exit, requests } = yield* withClient(ok, (pf) =>
          pf.payments.retrieve(PaymentId.make(payId), { timeout: "5 seconds", maxRetries: 0 }))
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(requests).toHaveLength(1)
      }))

    it.effect("the same mistakes as client options: every call is refused with that ValidationError, nothing sent", () =>
      Effect.gen(function*() {
        const bad: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
          ["timeout", { timeout: "5s" }],
          ["max_retries", { maxRetries: Number.NaN }]
        ]
        for (const [field, options] of bad) {
          const { exit, requests } = yield* withClient(ok, (pf) => pf.payments.retrieve(PaymentId.make(payId)), options as Partial<PaymentFlow.Options>)
          expect(failure(exit), field).toMatchObject({ _tag: "ValidationError", field, code: "parameter_invalid" })
          expect(requests).toHaveLength(0)
        }
      }))
  })

  describe("error mapping", () => {
    const retrieve = (pf: PaymentFlow.Service) => pf.payments.retrieve(PaymentId.make(payId))
    const create = (pf: PaymentFlow.Service) => pf.payments.create({ amount: 1, currency: "USD" })
    const cases: ReadonlyArray<
      readonly [string, Script, (pf: PaymentFlow.Service) => Effect.Effect<unknown, { readonly _tag: string }>, Record<string, unknown>]
    > = [
      [
        "400 with field",
        () => ({ status: 400, json: Scripted.errorJson("validation_error", "card_not_test", "use a test card", "payment_method.card.number") }),
        create,
        { _tag: "ValidationError", field: "payment_method.card.number", code: "card_not_test", statusCode: 400 }
      ],
      ["401", () => ({ status: 401, json: Scripted.errorJson("authentication_error", "api_key_invalid", "bad key") }), retrieve, {
        _tag: "AuthenticationError",
        code: "api_key_invalid",
        statusCode: 401
      }],
      ["403", () => ({ status: 403, json: Scripted.errorJson("authentication_error", "permission_denied", "no") }), retrieve, {
        _tag: "AuthenticationError",
        code: "permission_denied"
      }],
      ["404", () => ({ status: 404, json: Scripted.errorJson("not_found_error", "resource_missing", "No such payment") }), retrieve, {
        _tag: "NotFoundError",
        code: "resource_missing",
        statusCode: 404,
        requestId: "req_000000000000000000000000"
      }],
      ["409", () => ({ status: 409, json: Scripted.errorJson("conflict_error", "payment_not_cancelable", "no") }), create, {
        _tag: "ConflictError",
        code: "payment_not_cancelable"
      }],
      [
        "409 on an operation without ConflictError → ApiError",
        () => ({ status: 409, json: Scripted.errorJson("conflict_error", "payment_not_cancelable", "no") }),
        retrieve,
        { _tag: "ApiError", code: "payment_not_cancelable", statusCode: 409 }
      ],
      [
        "409 on retrieve (ConflictError not in its channel) → ApiError",
        () => ({ status: 409, json: Scripted.errorJson("conflict_error", "payment_not_cancelable", "no") }),
        retrieve,
        { _tag: "ApiError", code: "payment_not_cancelable", statusCode: 409 }
      ],
      [
        "418 → ApiError",
        () => ({ status: 418, json: Scripted.errorJson("api_error", "teapot", "short and stout") }),
        retrieve,
        { _tag: "ApiError", statusCode: 418 }
      ],
      [
        "2xx body that is not a Payment → NetworkError invalid_response with requestId",
        () => ({ status: 200, json: { id: payId, object: "refund" } }),
        retrieve,
        { _tag: "NetworkError", code: "invalid_response", body: "unexpected_shape", requestId: "req_000000000000000000000000" }
      ],
      ["2xx body that is not JSON → NetworkError invalid_response", () => ({ status: 200, text: "<html>" }), retrieve, {
        _tag: "NetworkError",
        code: "invalid_response",
        body: "unparseable"
      }]
    ]
    for (const [name, script, op, expected] of cases) {
      it.effect(name, () =>
        Effect.gen(function*() {
          const { exit, requests } = yield* withClient(script, op, { maxRetries: 0 })
          expect(failure(exit)).toMatchObject(expected)
          expect(requests).toHaveLength(1)
        }))
    }

    it.effect("an HTML 502 from a proxy → ApiError 502 (and it is retried)", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(withClient(() => ({ status: 502, text: "<html>Bad Gateway</html>", headers: { "content-type": "text/html" } }), retrieve))
        yield* TestClock.adjust("1 minute")
        const { exit, requests } = yield* Fiber.join(fiber)
        expect(failure(exit)).toMatchObject({ _tag: "ApiError", statusCode: 502 })
        expect(requests).toHaveLength(3)
      }))

    it.effect("the message of a server error never carries the key", () =>
      Effect.gen(function*() {
        const { exit } = yield* withClient(
          () => ({ status: 401, json: Scripted.errorJson("authentication_error", "api_key_invalid", `Invalid key ${SK}`) }),
          retrieve
        )
        const error = failure(exit)
        expect(error.message).not.toContain(SK)
        expect(error.message).toContain("sk_test...1234")
      }))
  })

  describe("retries", () => {
    const create = (pf: PaymentFlow.Service) => pf.payments.create({ amount: 1, currency: "USD" })

    it.effect("retries 503 with the same Idempotency-Key, then succeeds", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(withClient(
          (_, i) => i < 2 ? { status: 503, json: Scripted.errorJson("api_error", "service_unavailable", "later") } : ok(_, i),
          create
        ))
        yield* TestClock.adjust("1 minute")
        const { exit, requests } = yield* Fiber.join(fiber)
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(requests).toHaveLength(3)
        const keys = new Set(requests.map((r) => r.headers["idempotency-key"]))
        expect(keys.size).toBe(1)
        expect([...keys][0]).toMatch(/^pf_/)
      }))

    it.effect("retries a connection failure and a 409 idempotency_key_in_use with the caller's key", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(withClient(
          (_, i) =>
            i === 0
              ? { transport: "connection_failed" }
              : i === 1
              ? { status: 409, json: Scripted.errorJson("conflict_error", "idempotency_key_in_use", "running") }
              : ok(_, i),
          (pf) => pf.payments.create({ amount: 1, currency: "USD" }, { idempotencyKey: "order-7" })
        ))
        yield* TestClock.adjust("1 minute")
        const { exit, requests } = yield* Fiber.join(fiber)
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(requests.map((r) => r.headers["idempotency-key"])).toEqual(["order-7", "order-7", "order-7"])
      }))

    it.effect("honours Retry-After on 429: no second attempt before it elapses", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(withClient(
          (_, i) =>
            i === 0
              ? { status: 429, json: Scripted.errorJson("rate_limit_error", "rate_limited", "slow down"), headers: { "retry-after": "20" } }
              : ok(_, i),
          create
        ))
        const http = yield* Effect.sync(() => fiber)
        yield* TestClock.adjust("19 seconds")
        expect(http.unsafePoll()).toBeNull()
        yield* TestClock.adjust("1 second")
        const { exit, requests } = yield* Fiber.join(fiber)
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(requests).toHaveLength(2)
      }))

    it.effect("gives up after maxRetries and surfaces RateLimitError with retryAfter", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(withClient(
          () => ({ status: 429, json: Scripted.errorJson("rate_limit_error", "rate_limited", "slow down"), headers: { "retry-after": "1" } }),
          create,
          { maxRetries: 1 }
        ))
        yield* TestClock.adjust("1 minute")
        const { exit, requests } = yield* Fiber.join(fiber)
        expect(failure(exit)).toMatchObject({ _tag: "RateLimitError", retryAfter: 1, statusCode: 429 })
        expect(requests).toHaveLength(2)
      }))

    for (const status of [400, 401, 403, 404] as const) {
      it.effect(`never retries ${status}`, () =>
        Effect.gen(function*() {
          const fiber = yield* Effect.fork(withClient(
            () => ({ status, json: Scripted.errorJson("validation_error", "parameter_invalid", "no") }),
            create
          ))
          yield* TestClock.adjust("1 minute")
          const { requests } = yield* Fiber.join(fiber)
          expect(requests).toHaveLength(1)
        }))
    }

    it.effect("never retries a 409 other than idempotency_key_in_use, nor an invalid 2xx body", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(Effect.all([
          withClient(() => ({ status: 409, json: Scripted.errorJson("conflict_error", "idempotency_key_reused", "no") }), create),
          withClient(() => ({ status: 200, json: {} }), create)
        ]))
        yield* TestClock.adjust("1 minute")
        const [a, b] = yield* Fiber.join(fiber)
        expect(a.requests).toHaveLength(1)
        expect(b.requests).toHaveLength(1)
      }))

    it.effect("a 2xx body cut off on the way is asked again under the same idempotency key, and the result is not lost", () =>
      Effect.gen(function*() {
        let n = 0
        const payment = Scripted.paymentJson(payId)
        const fiber = yield* Effect.fork(withClient(
          () => (n++ === 0 ? { status: 200, text: JSON.stringify(payment).slice(0, 40) } : { status: 200, json: payment }),
          create
        ))
        yield* TestClock.adjust("1 minute")
        const { exit, requests } = yield* Fiber.join(fiber)
        expect(exit._tag).toBe("Success")
        expect(requests).toHaveLength(2)
        expect(requests[0]?.headers["idempotency-key"]).toBeDefined()
        expect(requests[1]?.headers["idempotency-key"]).toBe(requests[0]?.headers["idempotency-key"])
      }))

    it.effect("maxRetries: 0 means exactly one attempt (client option and per call)", () =>
      Effect.gen(function*() {
        const unavailable: Script = () => ({ status: 503, json: Scripted.errorJson("api_error", "service_unavailable", "later") })
        const fiber = yield* Effect.fork(Effect.all([
          withClient(unavailable, create, { maxRetries: 0 }),
          withClient(unavailable, (pf) => pf.payments.create({ amount: 1, currency: "USD" }, { maxRetries: 0 })),
          withClient(unavailable, create)
        ]))
        yield* TestClock.adjust("1 minute")
        const [zero, perCall, byDefault] = yield* Fiber.join(fiber)
        expect(zero.requests).toHaveLength(1)
        expect(perCall.requests).toHaveLength(1)
        expect(byDefault.requests).toHaveLength(3)
        expect(failure(zero.exit)).toMatchObject({ _tag: "ApiError", statusCode: 503 })
      }))
  })

  describe("timeouts and interruption", () => {
    it.effect("an attempt past the timeout fails with NetworkError timeout and its request is aborted", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(withClient(
          () => ({ hang: true }),
          (pf) => pf.payments.retrieve(PaymentId.make(payId)),
          { maxRetries: 0, timeout: "5 seconds" }
        ))
        yield* TestClock.adjust("5 seconds")
        const { exit, requests } = yield* Fiber.join(fiber)
        expect(failure(exit)).toMatchObject({ _tag: "NetworkError", code: "timeout" })
        expect(requests).toHaveLength(1)
        expect(requests[0]?.aborted).toBe(true)
      }))

    it.effect("timeouts are retried (default 30 s per attempt)", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(withClient((_, i) => i === 0 ? { hang: true } : ok(_, i), (pf) => pf.payments.create({ amount: 1, currency: "USD" })))
        yield* TestClock.adjust("29 seconds")
        expect(fiber.unsafePoll()).toBeNull()
        yield* TestClock.adjust("1 minute")
        const { exit, requests } = yield* Fiber.join(fiber)
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(requests).toHaveLength(2)
        expect(requests[0]?.headers["idempotency-key"]).toBe(requests[1]?.headers["idempotency-key"])
      }))

    it.effect("interrupting an operation aborts its HTTP request", () =>
      Effect.gen(function*() {
        const http = Scripted.make(() => ({ hang: true }))
        const pf = yield* PaymentFlow.make({ apiKey: SK }).pipe(Effect.provide(http.layer))
        const fiber = yield* Effect.fork(pf.payments.retrieve(PaymentId.make(payId)))
        yield* TestClock.adjust("1 second")
        expect(http.requests).toHaveLength(1)
        expect(http.requests[0]?.aborted).toBe(false)
        yield* Fiber.interrupt(fiber)
        expect(http.requests[0]?.aborted).toBe(true)
      }).pipe(Effect.scoped))
  })

  describe("listAll", () => {
    const TOTAL = 250
    const all = Array.from({ length: TOTAL }, (_, i) => Scripted.id("pay", TOTAL - i))
    const pager: Script = (req) => {
      const limit = Number(req.url.searchParams.get("limit") ?? "10")
      const after = req.url.searchParams.get("starting_after")
      const start = after === null ? 0 : all.indexOf(after) + 1
      const data = all.slice(start, start + limit).map((id) => Scripted.paymentJson(id))
      return { status: 200, json: { object: "list", data, has_more: start + limit < TOTAL, total_count: TOTAL } }
    }

    it.effect("yields every item once, page after page, with starting_after = the last id", () =>
      Effect.gen(function*() {
        const { exit, requests } = yield* withClient(pager, (pf) =>
          pf.payments.listAll({ limit: 100, status: "pending" }).pipe(
            Stream.map((p) => p.id),
            Stream.runCollect
          ))
        if (Exit.isFailure(exit)) throw new Error(String(exit.cause))
        const ids = Chunk.toReadonlyArray(exit.value)
        expect(ids).toHaveLength(TOTAL)
        expect(new Set(ids).size).toBe(TOTAL)
        expect(ids).toEqual(all)
        expect(requests).toHaveLength(3)
        expect(requests.map((r) => r.url.searchParams.get("starting_after"))).toEqual([null, all[99], all[199]])
        expect(requests.every((r) => r.url.searchParams.get("status") === "pending")).toBe(true)
      }))

    it.effect("pulls pages lazily: taking 15 of 250 fetches two pages of 10", () =>
      Effect.gen(function*() {
        const { requests } = yield* withClient(pager, (pf) => pf.payments.listAll().pipe(Stream.take(15), Stream.runDrain))
        expect(requests).toHaveLength(2)
      }))
  })

  describe("keys, environments and base URLs", () => {
    const retrieve = (pf: PaymentFlow.Service) => pf.payments.retrieve(PaymentId.make(payId))

    it.effect("a malformed key fails every operation locally with AuthenticationError api_key_invalid", () =>
      Effect.gen(function*() {
        const { exit, requests } = yield* withClient(ok, retrieve, { apiKey: "sk_test_short" })
        expect(failure(exit)).toMatchObject({ _tag: "AuthenticationError", code: "api_key_invalid" })
        expect(failure(exit).message).not.toContain("sk_test_short")
        expect(requests).toHaveLength(0)
      }))

    it.effect("a pk_ key may retrieve/confirm but is refused locally on secret endpoints (create among them)", () =>
      Effect.gen(function*() {
        const { exit, requests } = yield* withClient(ok, (pf) =>
          Effect.all([
            retrieve(pf),
            pf.payments.confirm(PaymentId.make(payId), { paymentMethod: card }),
            Effect.flip(pf.payments.create({ amount: 1, currency: "USD" })),
            Effect.flip(pf.payments.list()),
            Effect.flip(pf.payments.cancel(PaymentId.make(payId))),
            Effect.flip(pf.customers.create({ email: "a@b.co" }))
          ]), { apiKey: Redacted.make(PK) })
        if (Exit.isFailure(exit)) throw new Error(String(exit.cause))
        for (const error of exit.value.slice(2)) {
          expect(error).toMatchObject({ _tag: "AuthenticationError", code: "permission_denied" })
        }
        expect(requests).toHaveLength(2)
      }))

    it.effect("the environment is inferred from the key; a contradicting one fails locally", () =>
      Effect.gen(function*() {
        const live = "sk_live_abcdefghijklmnop1234"
        const a = yield* withClient(ok, retrieve, { apiKey: live })
        expect(a.requests[0]?.url.origin).toBe("https://api.paymentflow.com")
        const b = yield* withClient(ok, retrieve, { apiKey: SK, environment: "production" })
        expect(failure(b.exit)).toMatchObject({ _tag: "AuthenticationError", code: "api_key_environment_mismatch" })
        expect(b.requests).toHaveLength(0)
        const c = yield* withClient(ok, retrieve, { apiKey: live, environment: "sandbox" })
        expect(failure(c.exit)).toMatchObject({ code: "api_key_environment_mismatch" })
      }))

    it.effect("baseUrl: https or loopback http are used; other http is refused before sending the key", () =>
      Effect.gen(function*() {
        for (const base of ["http://localhost:4010", "http://127.0.0.5:1", "http://[::1]:8080/", "https://proxy.example.com/pf/"]) {
          const { exit, requests } = yield* withClient(ok, retrieve, { baseUrl: base })
          expect(Exit.isSuccess(exit)).toBe(true)
          expect(requests[0]?.url.href).toBe(`${base.replace(/\/$/, "")}/v1/payments/${payId}`)
        }
        for (const base of ["http://api.paymentflow.com", "http://10.0.0.1", "ftp://localhost", "not a url"]) {
          const { exit, requests } = yield* withClient(ok, retrieve, { baseUrl: base })
          expect(failure(exit)._tag).toBe("AuthenticationError")
          expect(["insecure_base_url", "base_url_invalid"]).toContain(failure(exit).code)
          expect(requests).toHaveLength(0)
        }
      }))
  })
})

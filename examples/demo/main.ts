/**
 * The PaymentFlow demo: every flow of the seed, end to end, with the SDK against the embedded
 * sandbox server (or an already running one: `PAYMENTFLOW_BASE_URL=http://127.0.0.1:12111`).
 *
 *   npx pnpm@10 install && npx pnpm@10 demo
 *
 * A webhook receiver is started beside the sandbox; every event is printed as it is received and
 * verified. The API key is only ever shown masked.
 */
import { BrowserPaymentFlow } from "@paymentflow/browser/BrowserPaymentFlow"
import { PaymentFlow } from "@paymentflow/core/PaymentFlow"
import { maskApiKey } from "@paymentflow/core/ApiKey"
import { ValidationError } from "@paymentflow/core/Errors"
import { PaymentFlowClient } from "@paymentflow/node/PaymentFlowClient"
import { maskClientSecret, type Payment } from "@paymentflow/core/Payment"
import * as NodePaymentFlow from "@paymentflow/node/NodePaymentFlow"
import * as SandboxServer from "@paymentflow/sandbox/server"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import { startReceiver } from "./receiver.js"
import { repeatCustomer, WEBHOOKS as REPEAT_CUSTOMER_WEBHOOKS } from "./repeatCustomer.js"
import { line, section, show } from "./print.js"

const HELP = `PaymentFlow demo — walks every flow of the SDK against a sandbox.

Usage: npx pnpm@10 demo [--help]

Environment:
  PAYMENTFLOW_BASE_URL   use an already running sandbox (e.g. http://127.0.0.1:12111, started with
                         "npx pnpm@10 sandbox --port 12111"); webhooks are then not received here
  PAYMENTFLOW_API_KEY    the secret test key to use (default: a generated sk_test_ key)
`

const randomKey = (prefix: "sk_test_" | "pk_test_") => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
  const bytes = crypto.getRandomValues(new Uint8Array(24))
  return prefix + Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("")
}

const card = (number: string) => ({ card: { number, expMonth: 12, expYear: new Date().getFullYear() + 3, cvc: "123" } })

const program = (baseUrl: string, apiKey: string, expectWebhooks: (n: number) => Effect.Effect<number>) =>
  Effect.gen(function*() {
    const pf = yield* PaymentFlow
    line(`API key: ${maskApiKey(apiKey)} (the full key is never printed, logged or put in an error)`)
    line(`Sandbox: ${baseUrl}`)

    section("1. Create a customer")
    const customer = yield* pf.customers.create({
      email: "jane@example.com",
      name: "Jane Doe",
      metadata: { tier: "gold", source: "demo" }
    })
    show("customer", { id: customer.id, email: customer.email, metadata: customer.metadata })

    section("2. Create a payment with metadata and an idempotency key, then repeat it")
    const idempotencyKey = `order-12345-${Date.now()}`
    const params = {
      amount: 2500,
      currency: "USD",
      customer: customer.id,
      description: "Order #12345",
      metadata: { order_id: "12345" }
    } as const
    // The typed result together with the response's metadata (request id, replay flag, rate limit)
    const { data: first, response: firstResponse } = yield* pf.payments.create(params, { idempotencyKey }).pipe(
      PaymentFlow.withResponse
    )
    const { data: again, response: againResponse } = yield* pf.payments.create(params, { idempotencyKey }).pipe(
      PaymentFlow.withResponse
    )
    show("first ", {
      id: first.id,
      status: first.status,
      amount: first.amount,
      customerEmail: first.customerEmail,
      idempotentReplayed: firstResponse.idempotentReplayed,
      requestId: firstResponse.requestId
    })
    show("repeat", { id: again.id, status: again.status, idempotentReplayed: againResponse.idempotentReplayed })
    line(first.id === again.id ? "same id: the repeat was replayed, nothing was charged twice" : "DIFFERENT ids (unexpected)")

    section("3. The page confirms it with the test card 4242…: publishable key + the payment's client secret → succeeded")
    // The server hands the page only the payment's client secret (shown masked); the page holds a
    // publishable key, which can no longer create payments (API version 2026-12-01)
    line(`client secret handed to the page: ${maskClientSecret(first.clientSecret)}`)
    const confirmed = yield* Effect.flatMap(BrowserPaymentFlow, (page) =>
      page.payments.confirm(first.clientSecret, { paymentMethod: card("4242424242424242") })).pipe(
        Effect.provide(BrowserPaymentFlow.layer({ apiKey: randomKey("pk_test_"), baseUrl }))
      )
    show("confirmed", { id: confirmed.id, status: confirmed.status })

    section("4. Cards that fail")
    for (const [number, label] of [["4000000000000002", "declined"], ["4000000000009995", "insufficient funds"]] as const) {
      const failed = yield* pf.payments.create({ amount: 1999, currency: "EUR", paymentMethod: card(number) })
      show(label, { id: failed.id, status: failed.status, failureCode: failed.failureCode, failureMessage: failed.failureMessage })
    }

    section("5. List with pagination, then stream every payment")
    const page1 = yield* pf.payments.list({ limit: 2 })
    show("page 1", { ids: page1.data.map((p) => p.id), hasMore: page1.hasMore, totalCount: page1.totalCount })
    const last = page1.data[page1.data.length - 1]
    if (last !== undefined) {
      const page2 = yield* pf.payments.list({ limit: 2, startingAfter: last.id })
      show("page 2", { startingAfter: last.id, ids: page2.data.map((p) => p.id), hasMore: page2.hasMore })
    }
    const all = yield* Stream.runCollect(pf.payments.listAll({ limit: 2 }))
    show("listAll", { streamed: Chunk.size(all), statuses: Chunk.toReadonlyArray(Chunk.map(all, (p: Payment) => p.status)) })

    section("6. Refunds: part, the rest, then one too many")
    const part = yield* pf.refunds.create({ paymentId: confirmed.id, amount: 1000, reason: "customer_request" })
    show("partial refund", { id: part.id, amount: part.amount, status: part.status })
    const rest = yield* pf.refunds.create({ paymentId: confirmed.id })
    show("the rest", { id: rest.id, amount: rest.amount })
    const afterRefunds = yield* pf.payments.retrieve(confirmed.id)
    show("payment", { amount: afterRefunds.amount, amountRefunded: afterRefunds.amountRefunded })
    const over = yield* Effect.either(pf.refunds.create({ paymentId: confirmed.id, amount: 1 }))
    if (Either.isLeft(over)) {
      const e = over.left
      show("over-refund", e._tag === "ValidationError"
        ? { error: e._tag, code: e.code, field: e.field, message: e.message }
        : { error: e._tag, code: e.code, message: e.message })
    }

    section("7. Cancel a pending payment; a succeeded one cannot be cancelled")
    const pending = yield* pf.payments.create({ amount: 500, currency: "GBP" })
    const cancelled = yield* pf.payments.cancel(pending.id)
    show("cancelled", { id: cancelled.id, status: cancelled.status })
    const notCancelable = yield* pf.payments.cancel(confirmed.id).pipe(
      Effect.catchTag("ConflictError", (e) => Effect.succeed({ error: e._tag, code: e.code, message: e.message }))
    )
    show("cancel the succeeded one", notCancelable)

    section("7b. A repeat customer: save a card, charge it again in one call; a saved card declines; a detached one is refused")
    yield* repeatCustomer(customer)

    section("8. Customer metadata: add vip, remove source with \"\"; then delete the customer")
    const updated = yield* pf.customers.update(customer.id, { metadata: { vip: "true", source: "" } })
    show("updated", { metadata: updated.metadata })
    const deleted = yield* pf.customers.delete(customer.id)
    show("deleted", deleted)
    const gone = yield* pf.customers.retrieve(customer.id).pipe(
      Effect.catchTag("NotFoundError", (e) => Effect.succeed({ error: e._tag, code: e.code }))
    )
    show("retrieve after delete", gone)

    section("9. A wrong key")
    const wrongKey = randomKey("sk_test_")
    const wrong = yield* Effect.gen(function*() {
      const other = yield* PaymentFlow
      return yield* other.payments.list()
    }).pipe(
      Effect.provide(NodePaymentFlow.layer({ apiKey: "sk_live_" + wrongKey.slice(8), baseUrl })),
      Effect.catchTag("AuthenticationError", (e) => Effect.succeed({ error: e._tag, code: e.code, message: e.message }))
    )
    show("live key on the sandbox", wrong)

    section("10. A burst past the rate limit")
    const burstKey = randomKey("sk_test_")
    const burst = (maxRetries: number) =>
      Effect.gen(function*() {
        const client = yield* PaymentFlow
        return yield* Effect.forEach(
          Array.from({ length: 30 }, (_, i) => i),
          (i) => Effect.either(client.payments.create({ amount: 100 + i, currency: "USD" })),
          { concurrency: 10 }
        )
      }).pipe(Effect.provide(NodePaymentFlow.layer({ apiKey: burstKey, baseUrl, maxRetries })))
    const noRetry = yield* burst(0)
    const limited = noRetry.filter(Either.isLeft).map((r) => r.left)
    const firstLimited = limited.find((e) => e._tag === "RateLimitError")
    show("retries off", {
      succeeded: noRetry.filter(Either.isRight).length,
      rateLimited: limited.filter((e) => e._tag === "RateLimitError").length,
      example: firstLimited?._tag === "RateLimitError"
        ? { error: firstLimited._tag, code: firstLimited.code, retryAfter: firstLimited.retryAfter }
        : undefined
    })
    const withRetry = yield* burst(5)
    show("retries on ", {
      succeeded: withRetry.filter(Either.isRight).length,
      failed: withRetry.filter(Either.isLeft).length
    })

    section("11. The same SDK as Promises (PaymentFlowClient), for code that does not use Effect")
    const client = yield* Effect.acquireRelease(
      Effect.sync(() => new PaymentFlowClient({ apiKey, baseUrl })),
      (c) => Effect.promise(() => c.close())
    )
    const created = yield* Effect.promise(() =>
      client.payments.create({ amount: 4200, currency: "JPY", paymentMethod: card("4242424242424242") })
    )
    show("created", { id: created.id, status: created.status, amount: created.amount, currency: created.currency })
    const bad = yield* Effect.promise(() =>
      client.payments.create({ amount: 100, currency: "USD", customerEmail: "not-an-email" }).then(
        () => "accepted (unexpected)",
        (e: unknown) => (e instanceof ValidationError ? `ValidationError on field ${e.field}: ${e.message}` : String(e))
      )
    )
    line(`rejected locally, nothing sent: ${bad}`)

    section("12. Webhooks")
    const received = yield* expectWebhooks(9 + REPEAT_CUSTOMER_WEBHOOKS)
    line(`${received} webhook deliveries received and verified (printed above as they arrived)`)
    section("Done")
  })

const main = Effect.gen(function*() {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    process.stdout.write(HELP)
    return
  }
  const apiKey = process.env["PAYMENTFLOW_API_KEY"] ?? randomKey("sk_test_")
  const external = process.env["PAYMENTFLOW_BASE_URL"]
  let baseUrl: string
  let expectWebhooks: (n: number) => Effect.Effect<number> = () => Effect.succeed(0)
  if (external !== undefined && external !== "") {
    baseUrl = external
  } else {
    const secret = `whsec_${randomKey("sk_test_").slice(8)}`
    const receiver = yield* startReceiver(secret)
    const server = yield* SandboxServer.make({
      port: 0,
      host: "127.0.0.1",
      webhooks: [{ url: receiver.url, secret }],
      rateLimit: 20,
      rateLimitWindow: "2 seconds"
    })
    baseUrl = server.url
    expectWebhooks = receiver.waitFor
  }
  yield* program(baseUrl, apiKey, expectWebhooks).pipe(
    Effect.provide(
      NodePaymentFlow.layer({ apiKey, baseUrl })
    )
  )
}).pipe(Effect.scoped)

const started = Date.now()
Effect.runPromiseExit(main.pipe(Effect.timeout(Duration.seconds(60)))).then((exit) => {
  if (exit._tag === "Failure") {
    process.stderr.write(`demo failed: ${String(exit.cause)}\n`)
    process.exit(1)
  }
  line(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  process.exit(0)
})


import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../..", import.meta.url))

describe("pnpm demo", () => {
  it("walks every flow of the seed on the embedded sandbox and exits 0", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "examples/demo/main.ts"], {
      cwd: root,
      encoding: "utf8",
      timeout: 90_000,
      env: { ...process.env, PAYMENTFLOW_BASE_URL: "", PAYMENTFLOW_API_KEY: "sk_test_DemoCanaryKey0123456789xyz" }
    })
    const out = run.stdout
    expect(run.stderr).not.toContain("demo failed")
    expect(run.status).toBe(0)
    // the key is only ever shown masked
    expect(out).toContain("sk_test...9xyz")
    expect(out).not.toContain("sk_test_DemoCanaryKey0123456789xyz")
    // idempotent replay: same id, Idempotent-Replayed read from the metadata API, as a boolean
    expect(out).toMatch(/first : .*"idempotentReplayed":false,"requestId":"req_[A-Za-z0-9]{24}"/)
    expect(out).toMatch(/repeat: .*"idempotentReplayed":true/)
    expect(out).toContain("same id: the repeat was replayed")
    // the page confirms with a publishable key and the client secret, shown only masked
    expect(out).toMatch(/client secret handed to the page: pay_[A-Za-z0-9]{24}_secret_…[A-Za-z0-9]{4}\n/)
    expect(out).not.toMatch(/_secret_[A-Za-z0-9]{24}/)
    expect(out).toMatch(/confirmed: .*"status":"succeeded"/)
    expect(out).toMatch(/"failureCode":"card_declined"/)
    expect(out).toMatch(/"failureCode":"insufficient_funds"/)
    expect(out).toMatch(/page 1: .*"hasMore":true/)
    expect(out).toMatch(/over-refund: .*"error":"ValidationError","code":"refund_exceeds_payment","field":"amount"/)
    expect(out).toMatch(/cancelled: .*"status":"cancelled"/)
    expect(out).toMatch(/cancel the succeeded one: .*"ConflictError".*"payment_not_cancelable"/)
    expect(out).toMatch(/updated: \{"metadata":\{"tier":"gold","vip":"true"\}\}/)
    expect(out).toMatch(/"deleted":true/)
    expect(out).toMatch(/live key on the sandbox: .*"AuthenticationError"/)
    expect(out).toMatch(/retries off: .*"rateLimited":[1-9]\d*.*"RateLimitError".*"retryAfter":\d+/)
    expect(out).toMatch(/retries on : \{"succeeded":30,"failed":0\}/)
    expect(out).toMatch(/created: .*"status":"succeeded","amount":4200,"currency":"JPY"/)
    expect(out).toContain("rejected locally, nothing sent: ValidationError on field customer_email: must be a valid email address\n")
    expect(out).toMatch(/\[webhook\] verified payment.succeeded/)
    expect(out).toMatch(/\[webhook\] verified refund.completed/)
    // the repeat-customer step: saved once, charged again by its pm_ id, a saved decline, a detached card refused
    expect(out).toMatch(/saved card: \{"id":"pm_[A-Za-z0-9]{24}","brand":"mastercard","last4":"4444","customer":null\}/)
    const pm = /saved card: \{"id":"(pm_[A-Za-z0-9]{24})"/.exec(out)?.[1] ?? "none"
    expect(out).toContain(`attached: {"id":"${pm}","customer":"`)
    expect(out).toMatch(new RegExp(`attached: .*"defaultPaymentMethod":"${pm}"`))
    expect(out).toMatch(new RegExp(`charged again: \\{"id":"pay_[A-Za-z0-9]{24}","status":"succeeded","paymentMethod":"${pm}"\\}`))
    expect(out).toMatch(/saved 4000…0002: .*"status":"failed","failureCode":"card_declined","paymentMethod":"pm_/)
    expect(out).toContain(`detached: {"id":"${pm}","customer":null}`)
    expect(out).toContain(`charge the detached card: {"error":"ValidationError","code":"payment_method_unusable","field":"payment_method"}`)
    expect(out).toMatch(new RegExp(`\\[webhook\\] verified payment.succeeded +pay_[A-Za-z0-9]{24} succeeded with ${pm}`))
    expect(out).toMatch(/\[webhook\] verified payment.failed +pay_[A-Za-z0-9]{24} failed \(card_declined\) with pm_/)
    // the card numbers of the saved cards never appear in the transcript
    expect(out).not.toContain("5555555555554444")
    expect(out).toMatch(/11 webhook deliveries received and verified/)
  }, 120_000)
})

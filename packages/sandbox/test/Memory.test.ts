/**
 * Memory of the in-process layer: what a request leaves behind after it is answered. A size
 * budget, not a timing: the heap after a full GC must not grow with the number of requests
 * served through `Sandbox.layer`'s fetch bridge (it used to keep ~11 KB per request).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { Sandbox } from "@paymentflow/sandbox"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { freshKey } from "./http.js"

/** The API version these raw-HTTP tests are written for: named, never the SDK's pin. */
const API_VERSION = "2025-06-01"

/** A full GC without `--expose-gc` on the command line (the flag, set now, exposes `gc` in a new context). */
const fullGc = ((): (() => void) => {
  setFlagsFromString("--expose-gc")
  const gc: unknown = runInNewContext("gc")
  if (typeof gc !== "function") throw new Error("could not expose gc")
  return () => {
    gc()
    gc()
  }
})()

const heapAfterGc = Effect.sync(() => {
  fullGc()
  return process.memoryUsage().heapUsed
})

const REQUESTS = 2000
/** 2 000 requests may leave at most this much behind (0.5 KB each; the leak kept ~11 KB each). */
const BUDGET_BYTES = 1024 * 1024

describe("Sandbox.layer memory", () => {
  it.live(`the heap after GC does not grow with the requests served (${REQUESTS} in-process requests twice)`, () =>
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      const key = freshKey()
      const get = client.execute(
        HttpClientRequest.get("https://sandbox.api.paymentflow.com/v1/payments?limit=2").pipe(
          HttpClientRequest.bearerToken(key),
          HttpClientRequest.setHeader("PaymentFlow-Version", API_VERSION)
        )
      ).pipe(Effect.flatMap((response) => response.arrayBuffer), Effect.scoped, Effect.orDie)
      const create = client.execute(
        HttpClientRequest.post("https://sandbox.api.paymentflow.com/v1/payments").pipe(
          HttpClientRequest.bearerToken(key),
          HttpClientRequest.bodyUnsafeJson({ amount: 500, currency: "USD" })
        )
      ).pipe(Effect.flatMap((response) => response.json), Effect.scoped, Effect.orDie)
      yield* create
      yield* create
      const burst = Effect.gen(function*() {
        for (let i = 0; i < REQUESTS; i++) {
          const body = yield* get
          if (body.byteLength === 0) return yield* Effect.dieMessage("empty answer")
        }
      })
      yield* burst // warm up: JIT, caches, lazily built schemas
      const first = yield* heapAfterGc
      yield* burst
      const second = yield* heapAfterGc
      expect(second - first).toBeLessThan(BUDGET_BYTES)
    }).pipe(Effect.provide(Layer.merge(Sandbox.layer({ rateLimit: false }), Layer.setTracerEnabled(false)))), 60_000)
})

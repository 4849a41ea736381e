/**
 * Hostile responses from a scripted Node server on 127.0.0.1 (a random port), through the Node
 * layer (`NodePaymentFlow`, undici) and the Promise facade: truncated JSON, HTML, an empty body,
 * wrong types, a 10 MB body, bytes that are not UTF-8, headers and then a stall (slow loris), a
 * stall before any header, a reset mid-body. Each must end in a typed `NetworkError` or
 * `ApiError` (the per-attempt timeout is 300 ms), the Effect must complete, and once the client
 * is closed the server must see every connection closed.
 *
 * Stalls are the server's doing (it never finishes the response); the tests never sleep.
 */
import { describe, expect, it } from "@effect/vitest"
import { isPaymentFlowError, PaymentFlow, PaymentId } from "@paymentflow/core"
import { NodePaymentFlow, PaymentFlowClient } from "@paymentflow/node"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import type * as Net from "node:net"
import { paymentJson } from "../fixtures/wire.js"

const SK = "sk_test_hostileHOSTILE0123456"
const ID = PaymentId.make("pay_AAAAAAAAAAAAAAAAAAAAAAAA")

type Script = (req: Http.IncomingMessage, res: Http.ServerResponse) => void

interface Scenario {
  readonly name: string
  readonly script: Script
  /** What the call must fail with: `_tag` and, where fixed, `code`. */
  readonly expected: { readonly _tag: "NetworkError" | "ApiError" | "RateLimitError"; readonly code?: string | ReadonlyArray<string> }
  /** The server never finishes: the client's timeout must abort the request and close its connection. */
  readonly stall?: true
}

const validPayment = JSON.stringify(paymentJson(ID, { customer_email: null, created: 1_748_736_000 }))

const json = (res: Http.ServerResponse, status: number, body: string | Buffer, headers: Http.OutgoingHttpHeaders = {}) => {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "request-id": "req_AAAAAAAAAAAAAAAAAAAAAAAA", ...headers })
  res.end(body)
}

const TEN_MB = 10 * 1024 * 1024

const scenarios: ReadonlyArray<Scenario> = [
  {
    name: "truncated JSON (consistent Content-Length)",
    script: (_, res) => json(res, 200, validPayment.slice(0, 60)),
    expected: { _tag: "NetworkError", code: "invalid_response" }
  },
  {
    name: "an HTML page with status 200",
    script: (_, res) => {
      res.writeHead(200, { "content-type": "text/html" })
      res.end("<!doctype html><html><body>Welcome to the hotel wifi</body></html>")
    },
    expected: { _tag: "NetworkError", code: "invalid_response" }
  },
  {
    name: "an HTML 502 from a proxy",
    script: (_, res) => {
      res.writeHead(502, { "content-type": "text/html" })
      res.end("<html><body><h1>502 Bad Gateway</h1></body></html>")
    },
    expected: { _tag: "ApiError", code: "bad_gateway" }
  },
  { name: "an empty 200 body", script: (_, res) => json(res, 200, ""), expected: { _tag: "NetworkError", code: "invalid_response" } },
  { name: "an empty 500 body", script: (_, res) => json(res, 500, ""), expected: { _tag: "ApiError" } },
  {
    name: "JSON of the wrong types",
    script: (_, res) => json(res, 200, JSON.stringify({ id: 5, object: "payment", amount: "2500", currency: ["USD"], status: null })),
    expected: { _tag: "NetworkError", code: "invalid_response" }
  },
  {
    name: "an error envelope of the wrong types",
    script: (_, res) => json(res, 500, JSON.stringify({ error: { type: 7, code: null, message: { a: 1 } } })),
    expected: { _tag: "ApiError" }
  },
  {
    name: "a 10 MB body",
    script: (_, res) => {
      const body = Buffer.alloc(TEN_MB, 0x20)
      body.write("[", 0)
      body.write("]", TEN_MB - 1)
      json(res, 200, body)
    },
    expected: { _tag: "NetworkError", code: ["invalid_response", "timeout"] }
  },
  {
    name: "bytes that are not UTF-8 (200)",
    script: (_, res) => json(res, 200, Buffer.from([0xff, 0xfe, 0x7b, 0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0xbc])),
    expected: { _tag: "NetworkError", code: "invalid_response" }
  },
  {
    name: "bytes that are not UTF-8 inside an error envelope (500)",
    script: (_, res) =>
      json(
        res,
        500,
        Buffer.concat([
          Buffer.from("{\"error\":{\"type\":\"api_error\",\"code\":\"internal_error\",\"message\":\""),
          Buffer.from([0xff, 0xc3, 0x28]),
          Buffer.from("\"}}")
        ])
      ),
    expected: { _tag: "ApiError", code: "internal_error" }
  },
  {
    name: "headers, half a body, then a stall (slow loris)",
    script: (_, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(validPayment) })
      res.write(validPayment.slice(0, 40))
    },
    expected: { _tag: "NetworkError", code: "timeout" },
    stall: true
  },
  { name: "a stall before any header", script: () => undefined, expected: { _tag: "NetworkError", code: "timeout" }, stall: true },
  {
    name: "a reset mid-body",
    script: (req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(validPayment) })
      res.write(validPayment.slice(0, 40), () => req.socket.destroy())
    },
    expected: { _tag: "NetworkError", code: "connection_failed" }
  },
  { name: "a reset before any response", script: (req) => req.socket.destroy(), expected: { _tag: "NetworkError", code: "connection_failed" } },
  {
    name: "a 429 with an unreadable Retry-After and no body",
    script: (_, res) => {
      res.writeHead(429, { "retry-after": "whenever" })
      res.end()
    },
    expected: { _tag: "RateLimitError", code: "rate_limited" }
  }
]

interface Hostile {
  readonly url: string
  readonly open: Set<Net.Socket>
  readonly requests: () => number
  /** Resolves once the connection of the latest request is closed. */
  lastRequestClosed(): Promise<void>
  setScript(script: Script): void
  /** Resolves once every connection the server accepted is closed. */
  allClosed(): Promise<void>
  close(): Promise<void>
}

const startHostile = (): Promise<Hostile> =>
  new Promise((resolve) => {
    let script: Script = (_, res) => json(res, 200, validPayment)
    let requests = 0
    let lastSocket: Net.Socket | undefined
    const open = new Set<Net.Socket>()
    let waiters: Array<() => void> = []
    const server = Http.createServer((req, res) => {
      requests++
      lastSocket = req.socket
      req.resume()
      script(req, res)
    })
    server.on("connection", (socket) => {
      open.add(socket)
      socket.on("close", () => {
        open.delete(socket)
        if (open.size === 0) {
          const ws = waiters
          waiters = []
          for (const w of ws) w()
        }
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        open,
        requests: () => requests,
        lastRequestClosed: () =>
          lastSocket === undefined || lastSocket.destroyed
            ? Promise.resolve()
            : new Promise<void>((r) => lastSocket?.once("close", () => r())),
        setScript: (s) => {
          script = s
        },
        allClosed: () => (open.size === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections()
            server.close(() => r())
          })
      })
    })
  })

const matches = (error: unknown, expected: Scenario["expected"]) => {
  expect(isPaymentFlowError(error)).toBe(true)
  expect(error).toMatchObject({ _tag: expected._tag })
  if (expected.code !== undefined && isPaymentFlowError(error)) {
    const codes = typeof expected.code === "string" ? [expected.code] : expected.code
    expect(codes).toContain(error.code)
  }
}

describe("hostile responses through NodePaymentFlow (undici)", () => {
  it.live("every hostile answer is a typed error; the Effect completes; no socket is left open", () =>
    Effect.gen(function*() {
      const server = yield* Effect.promise(startHostile)
      const seen: Array<string> = []
      yield* Effect.gen(function*() {
        const pf = yield* PaymentFlow
        for (const scenario of scenarios) {
          server.setScript(scenario.script)
          const exit = yield* Effect.exit(pf.payments.retrieve(ID))
          expect(Exit.isFailure(exit), scenario.name).toBe(true)
          if (Exit.isFailure(exit)) {
            expect(exit.cause._tag, `${scenario.name}: ${String(exit.cause)}`).toBe("Fail")
            if (exit.cause._tag === "Fail") matches(exit.cause.error, scenario.expected)
          }
          // a timed-out request is aborted: its connection is closed now, not when the pool goes
          if (scenario.stall) yield* Effect.promise(() => server.lastRequestClosed())
          seen.push(scenario.name)
        }
        // after all that, a well-behaved answer still works on the same client
        server.setScript((_, res) => json(res, 200, validPayment))
        expect((yield* pf.payments.retrieve(ID)).id).toBe(ID)
      }).pipe(Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url, timeout: 300, maxRetries: 0 })))
      expect(seen).toHaveLength(scenarios.length)
      // the layer's scope is closed: its pool is destroyed, so the server sees every connection end
      yield* Effect.promise(() => server.allClosed())
      expect(server.open.size).toBe(0)
      yield* Effect.promise(() => server.close())
    }), 60_000)

  it.live("with one retry, a reset mid-body is retried with the same Idempotency-Key and still ends typed", () =>
    Effect.gen(function*() {
      const server = yield* Effect.promise(startHostile)
      const keys: Array<string | undefined> = []
      server.setScript((req, res) => {
        const key = req.headers["idempotency-key"]
        keys.push(typeof key === "string" ? key : undefined)
        res.writeHead(200, { "content-type": "application/json", "content-length": 1000 })
        res.write("{\"id\":", () => req.socket.destroy())
      })
      const error = yield* Effect.flip(
        Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 100, currency: "USD" }, { retry: undefined, maxRetries: 1 })).pipe(
          Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url, timeout: 300 }))
        )
      )
      expect(error).toMatchObject({ _tag: "NetworkError", code: "connection_failed" })
      expect(keys).toHaveLength(2)
      expect(keys[0]).toBeDefined()
      expect(keys[1]).toBe(keys[0])
      yield* Effect.promise(() => server.allClosed())
      yield* Effect.promise(() => server.close())
    }), 30_000)
})

describe("hostile responses through the Promise facade", () => {
  it("every hostile answer rejects with the SDK's own error instance; close() leaves no socket open", async () => {
    const server = await startHostile()
    const client = new PaymentFlowClient({ apiKey: SK, baseUrl: server.url, timeout: 300, maxRetries: 0 })
    try {
      for (const scenario of scenarios) {
        server.setScript(scenario.script)
        const rejection: unknown = await client.payments.retrieve(ID).then(
          () => new Error(`${scenario.name}: resolved`),
          (e: unknown) => e
        )
        expect(rejection, scenario.name).toBeInstanceOf(Error)
        matches(rejection, scenario.expected)
      }
    } finally {
      await client.close()
    }
    await server.allClosed()
    expect(server.open.size).toBe(0)
    await server.close()
  }, 60_000)
})

/**
 * The sandbox as a Node HTTP server (`@effect/platform-node`), for black-box tests, the demo and
 * the CLI (`paymentflow-sandbox`); published as `@paymentflow/sandbox/server`, the one entry that
 * needs `@effect/platform-node`. `SandboxServer.layer(options)` serves on the layer's scope;
 * `SandboxServer.start(options)` is the same thing as a Promise with `close()`.
 *
 * @since 0.1.0
 */
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Http from "node:http"
import { Transport } from "./internal/faults.js"
import { make as makeSandbox, Sandbox, type SandboxService } from "./Sandbox.js"
import type { SandboxOptions } from "./SandboxOptions.js"

/**
 * @since 0.1.0
 * @category Models
 */
export interface ServerOptions extends SandboxOptions {
  /** Default `0`: a free port, chosen by the system. */
  readonly port?: number | undefined
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface SandboxServerService {
  /** `http://<host>:<port>`, with the port actually bound. */
  readonly url: string
  readonly port: number
  readonly host: string
  readonly sandbox: SandboxService
}

/**
 * A running server started from a Promise API.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RunningServer extends SandboxServerService {
  /** Stops listening, ends open connections, stops webhook deliveries. */
  readonly close: () => Promise<void>
}

const hostForUrl = (host: string) => (host.includes(":") ? `[${host}]` : host)

/**
 * Serves a sandbox on the current scope.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: ServerOptions = {}): Effect.Effect<SandboxServerService, HttpServerError, Scope.Scope> =>
  Effect.gen(function*() {
    const host = options.host ?? "127.0.0.1"
    const sandbox = yield* makeSandbox(options)
    const nodeServer = Http.createServer()
    const server = yield* NodeHttpServer.make(() => nodeServer, { port: options.port ?? 0, host })
    // ended last (finalizers run in reverse): no keep-alive connection holds the close up
    yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer.closeAllConnections()))
    const platform = yield* Layer.build(NodeHttpServer.layerContext)
    // the `drop-after-commit` fault's Transport (see internal/faults.ts), one for every request
    // (provided once, below): it destroys the current request's socket
    const transport = Transport.of({
      drop: Effect.flatMap(Effect.serviceOption(HttpServerRequest.HttpServerRequest), (request) =>
        Effect.sync(() => {
          if (Option.isSome(request)) NodeHttpServerRequest.toIncomingMessage(request.value).socket.destroy()
        }))
    })
    // no server span per request: nobody reads a simulator's spans, and it is a good part of a
    // small request's cost (the in-process layer keeps them: it runs in the caller's runtime)
    yield* HttpServer.serveEffect(sandbox.app).pipe(
      HttpMiddleware.withTracerDisabledWhenEffect(() => true),
      Effect.provideService(Transport, transport),
      Effect.provideService(HttpServer.HttpServer, server),
      Effect.provide(platform)
    )
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    return { url: `http://${hostForUrl(host)}:${port}`, port, host, sandbox }
  })

/**
 * @since 0.1.0
 * @category Models
 */
export type HttpServerError = Effect.Effect.Error<ReturnType<typeof NodeHttpServer.make>>

/**
 * The running server as a service.
 *
 * @since 0.1.0
 * @category Tags
 */
export class SandboxServer extends Context.Tag("@paymentflow/sandbox/SandboxServer")<SandboxServer, SandboxServerService>() {
  /**
   * Serves a sandbox for the lifetime of the layer; provides `SandboxServer` (its URL) and the
   * `Sandbox` service (its state).
   *
   * @since 0.1.0
   */
  static layer(options?: ServerOptions): Layer.Layer<SandboxServer | Sandbox, HttpServerError> {
    const server = Layer.scoped(SandboxServer, make(options))
    return Layer.merge(server, Layer.effect(Sandbox, Effect.map(SandboxServer, (s) => s.sandbox)).pipe(Layer.provide(server)))
  }

  /**
   * Starts a server from plain JavaScript; resolves once it listens.
   *
   * @since 0.1.0
   */
  static start(options?: ServerOptions): Promise<RunningServer> {
    return Effect.runPromise(Effect.gen(function*() {
      const scope = yield* Scope.make()
      const service = yield* Scope.extend(make(options), scope).pipe(
        Effect.onError(() => Scope.close(scope, Exit.void))
      )
      let closing: Promise<void> | undefined
      return {
        ...service,
        close: () => (closing ??= Effect.runPromise(Scope.close(scope, Exit.void)))
      }
    }))
  }
}

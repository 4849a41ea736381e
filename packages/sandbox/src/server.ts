/**
 * `@paymentflow/sandbox/server`: the sandbox as a Node HTTP server (`SandboxServer`). A separate
 * entry so that the in-process layer (`@paymentflow/sandbox`) never loads `@effect/platform-node`,
 * an optional peer dependency needed only here.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export {
  type HttpServerError,
  make,
  type RunningServer,
  SandboxServer,
  type SandboxServerService,
  type ServerOptions
} from "./SandboxServer.js"

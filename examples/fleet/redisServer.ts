/**
 * A real `redis-server` (Debian's, `REDIS_SERVER` or `/usr/bin/redis-server`) for the fleet example
 * when no `REDIS_PORT` is given, and for the Redis test suites and the bench: started
 * on a free loopback port in a temporary folder, nothing persisted, stopped (and the folder removed)
 * after. It can be stopped and started again on the same port mid-run.
 *
 * Under `CI=true` the Redis suites always run (a missing server fails them); elsewhere, without a
 * server, they are left out with a message naming the reason ({@link redisSkipReason}).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { createServer, Socket } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** Where redis-server is expected. */
export const redisServerPath = process.env["REDIS_SERVER"] ?? "/usr/bin/redis-server"

const isCI = (): boolean => {
  const ci = process.env["CI"]
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0"
}

/** Why the Redis suites are left out here, or `undefined`: they run (always under CI). */
export const redisSkipReason = (): string | undefined => {
  if (existsSync(redisServerPath) || isCI()) return undefined
  const reason = `Redis suites skipped: no redis-server at ${redisServerPath} (set REDIS_SERVER, or apt-get install redis-server)`
  console.warn(reason)
  return reason
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/** Answers PING with PONG? */
const ping = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = new Socket()
    let answer = ""
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once("error", () => done(false))
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("utf8")
      if (answer.includes("\r\n")) done(answer.startsWith("+PONG"))
    })
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"))
  })

/** A running (or stopped) test Redis. */
export interface TestRedis {
  readonly host: "127.0.0.1"
  readonly port: number
  /** Stops the server (SIGTERM), keeping the port for {@link start}. */
  readonly stop: () => Promise<void>
  /** Starts it again on the same port (an empty store, unless started with `persist`). */
  readonly start: () => Promise<void>
  /** Stops it for good and removes its folder. */
  readonly close: () => Promise<void>
}

/**
 * Starts a `redis-server` on a free loopback port; resolves once it answers PING. `persist: true`
 * keeps an append-only file (fsync on every write), so a restart finds the keys it had.
 */
export const startRedis = async (options: { readonly persist?: boolean } = {}): Promise<TestRedis> => {
  const dir = mkdtempSync(join(tmpdir(), "paymentflow-redis-"))
  const port = await freePort()
  let child: ChildProcess | undefined
  let output = ""

  const start = async (): Promise<void> => {
    const proc = spawn(
      redisServerPath,
      ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", options.persist === true ? "yes" : "no", "--appendfsync", "always"],
      { stdio: ["ignore", "pipe", "pipe"] }
    )
    child = proc
    proc.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-4000)))
    proc.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-4000)))
    const exited = new Promise<never>((_, reject) => {
      proc.once("error", (error) => reject(new Error(`redis-server (${redisServerPath}) did not start: ${error.message}`)))
      proc.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)))
    })
    exited.catch(() => {})
    const deadline = Date.now() + 10_000
    for (;;) {
      const ready = await Promise.race([ping(port), exited])
      if (ready) return
      if (Date.now() > deadline) throw new Error(`redis-server did not answer PING on port ${port}: ${output}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const proc = child
      child = undefined
      if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return resolve()
      proc.once("exit", () => resolve())
      proc.kill("SIGTERM")
    })

  await start()
  return {
    host: "127.0.0.1",
    port,
    stop,
    start,
    close: async () => {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

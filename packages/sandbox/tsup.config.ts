import { defineConfig } from "tsup"
import { base } from "../../tsup.base.js"

// Every entry named (package.json `exports` lists the same ones, plus the `bin`): `server` is the
// only one that loads `@effect/platform-node`.
export default defineConfig({
  ...base,
  entry: ["src/index.ts", "src/server.ts", "src/HttpApi.ts", "src/Sandbox.ts", "src/SandboxOptions.ts", "src/WebhookDelivery.ts", "src/PaymentFlowTest.ts", "src/SandboxControl.ts", "src/msw.ts", "src/bin.ts"]
})

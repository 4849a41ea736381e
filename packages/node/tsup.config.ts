import { defineConfig } from "tsup"
import { base } from "../../tsup.base.js"

// `client.ts` is built by tsup.client.config.ts, as one bundled file.
export default defineConfig({ ...base, entry: ["src/*.ts", "!src/client.ts"] })

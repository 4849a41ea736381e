import { HttpRouter } from "@effect/platform"
import * as WebhookReceiver from '../../src/WebhookReceiver'

const webhooks = WebhookReceiver.make({
  secret: Redacted.make(process.env.PAYMENTFLOW_WEBHOOK_SECRET!),
  handle: (event) => Effect.log(`got ${event.type} ${event.id}`)
})
const router = HttpRouter.empty.pipe(HttpRouter.post("/webhooks", webhooks))

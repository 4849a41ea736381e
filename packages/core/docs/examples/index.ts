import './src-Webhook.ts-function-constructEvent-0'
import './src-WebhookReceiver.ts-module-WebhookReceiver-0'

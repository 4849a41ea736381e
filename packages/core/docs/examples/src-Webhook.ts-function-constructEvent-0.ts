const event = yield* Webhook.constructEvent(rawBody, request.headers["paymentflow-signature"], secret)

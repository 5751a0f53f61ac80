import * as EtalabCommunes from "@vigie/adapters/communes/EtalabCommunes"
import type { ClaimedDelivery } from "@vigie/domain/delivery/DeliveryRepo"
import { type AlertForMessage, emailText, type MessageSpec, smsText } from "@vigie/domain/delivery/MessageTexts"
import type { Renderer } from "./DeliveryWorker.js"

const specOf = (delivery: ClaimedDelivery): MessageSpec =>
  delivery.kind === "closing"
    ? { kind: "closing", outcome: delivery.alert.status === "retracted" ? "retracted" : "resolved" }
    : { kind: delivery.kind }

const alertOf = (delivery: ClaimedDelivery): AlertForMessage => ({
  alertId: delivery.alertId,
  category: delivery.alert.category,
  urgency: delivery.alert.urgency,
  origin: delivery.alert.origin,
  text: delivery.alert.text,
  place: delivery.alert.place,
  communeName: EtalabCommunes.findByInsee(delivery.alert.insee)?.name ?? delivery.alert.insee
})

/**
 * The French texts of alert messages (domain MessageTexts): one GSM-7 segment SMS with a short link,
 * and an e-mail in plain text and HTML with links to the alert and to the preferences.
 */
export const alertRenderer = (publicUrl: URL): Renderer => ({
  sms: (delivery) => smsText(alertOf(delivery), specOf(delivery), publicUrl),
  email: (delivery) => emailText(alertOf(delivery), specOf(delivery), publicUrl)
})

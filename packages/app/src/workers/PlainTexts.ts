import type { ClaimedDelivery } from "@vigie/domain/delivery/DeliveryRepo"
import { Option } from "effect"
import type { Renderer } from "./DeliveryWorker.js"

const closing = (d: ClaimedDelivery) =>
  Option.exists(d.alert, (a) => a.status === "retracted") ? "Alerte retiree." : "Alerte resolue."

const line = (d: ClaimedDelivery): string => {
  const where = Option.match(Option.flatMap(d.alert, (a) => a.place), { onNone: () => "", onSome: (p) => ` (${p})` })
  switch (d.kind) {
    case "alert":
      return `Vigie: ${Option.match(d.alert, { onNone: () => "", onSome: (a) => a.text })}${where}`
    case "followup":
      return `Vigie: un autre voisin confirme l'alerte${where}`
    case "closing":
      return `Vigie: ${closing(d)}${where}`
    case "bulletin":
      return `Vigie aux referents: ${Option.match(d.bulletin, { onNone: () => "", onSome: (b) => b.text })}`
    case "notice":
      return Option.getOrElse(d.notice, () => "Vigie: message de la moderation")
  }
}

/**
 * Minimal texts for the standalone worker and the tests, one per message (so batching groups a
 * message's SMS). The real French texts are MessageTexts (smsText, emailText); the composition root
 * passes a Renderer built on them.
 */
export const plainRenderer: Renderer = {
  sms: line,
  email: (d) => ({ subject: line(d), text: line(d), html: `<p>${line(d).replace(/[&<>"]/g, "")}</p>` })
}

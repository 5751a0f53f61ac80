import * as EtalabCommunes from "@vigie/adapters/communes/EtalabCommunes"
import type { AlertForDelivery, BulletinForDelivery, ClaimedDelivery } from "@vigie/domain/delivery/DeliveryRepo"
import { type AlertForMessage, emailText, type MessageSpec, smsText } from "@vigie/domain/alerts/AlertTexts"
import type { EmailText } from "@vigie/domain/channels/EmailLayout"
import { type BulletinForMessage, bulletinEmailText, bulletinSmsText } from "@vigie/domain/mairie/BulletinTexts"
import { noticeEmailText } from "@vigie/domain/moderation/NoticeTexts"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import { Option } from "effect"
import type { Renderer } from "./DeliveryWorker.js"

const communeName = (insee: InseeCode): string => EtalabCommunes.findByInsee(insee)?.name ?? insee

const specOf = (kind: Exclude<ClaimedDelivery["kind"], "bulletin" | "notice">, alert: AlertForDelivery): MessageSpec =>
  kind === "closing"
    ? { kind: "closing", outcome: alert.status === "retracted" ? "retracted" : "resolved" }
    : { kind }

const alertOf = (delivery: ClaimedDelivery): { readonly alert: AlertForMessage; readonly spec: MessageSpec } => {
  const alert = Option.getOrThrowWith(delivery.alert, () => new Error(`delivery ${delivery.id}: its alert is missing`))
  const alertId = Option.getOrThrowWith(delivery.alertId, () => new Error(`delivery ${delivery.id}: its alert is missing`))
  if (delivery.kind === "bulletin" || delivery.kind === "notice") {
    throw new Error(`delivery ${delivery.id}: a ${delivery.kind} is not an alert`)
  }
  return {
    alert: {
      alertId,
      category: alert.category,
      urgency: alert.urgency,
      origin: alert.origin,
      text: alert.text,
      place: alert.place,
      communeName: communeName(alert.insee)
    },
    spec: specOf(delivery.kind, alert)
  }
}

const bulletinOf = (delivery: ClaimedDelivery): Option.Option<BulletinForMessage> =>
  delivery.kind === "bulletin"
    ? Option.map(delivery.bulletin, (b: BulletinForDelivery) => ({ origin: b.origin, communeName: communeName(b.insee), text: b.text }))
    : Option.none()

const missing = (delivery: ClaimedDelivery): never => {
  throw new Error(`delivery ${delivery.id}: its bulletin is missing`)
}

/**
 * The French texts of messages (domain MessageTexts): one GSM-7 segment SMS (with a short link for
 * alerts), and an e-mail in plain text and HTML. Alerts link to the alert and to the preferences;
 * bulletins to référents say who sends them ("Vigie - Mairie de X aux référents : ...").
 */
/** A moderation notice's text, rendered when the decision was taken. */
const noticeOf = (delivery: ClaimedDelivery): string =>
  Option.getOrThrowWith(delivery.notice, () => new Error(`delivery ${delivery.id}: its notice text is missing`))

export const alertRenderer = (publicUrl: URL): Renderer => ({
  sms: (delivery) =>
    delivery.kind === "notice" ? noticeOf(delivery) : delivery.kind === "bulletin"
      ? Option.match(bulletinOf(delivery), { onNone: () => missing(delivery), onSome: bulletinSmsText })
      : (({ alert, spec }) => smsText(alert, spec, publicUrl))(alertOf(delivery)),
  email: (delivery): EmailText =>
    delivery.kind === "notice" ? noticeEmailText(noticeOf(delivery), publicUrl) : delivery.kind === "bulletin"
      ? Option.match(bulletinOf(delivery), { onNone: () => missing(delivery), onSome: (b) => bulletinEmailText(b, publicUrl) })
      : (({ alert, spec }) => emailText(alert, spec, publicUrl))(alertOf(delivery))
})

import * as EtalabCommunes from "@vigie/adapters/communes/EtalabCommunes"
import { alertRenderers } from "@vigie/domain/alerts/AlertRenderer"
import type { AlertMessageKind } from "@vigie/domain/alerts/AlertRenderer"
import type { AlertMessageFacts } from "@vigie/domain/alerts/AlertRepo"
import type { AlertRepo } from "@vigie/domain/alerts/AlertRepo"
import { type AlertForMessage, emailText, type MessageSpec, smsText } from "@vigie/domain/alerts/AlertTexts"
import { bulletinEmailText, bulletinSmsText } from "@vigie/domain/mairie/BulletinTexts"
import { noticeEmailText } from "@vigie/domain/moderation/NoticeTexts"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import { bulletinRenderers } from "@vigie/domain/mairie/BulletinRenderer"
import type { ReferentBulletin } from "@vigie/domain/mairie/ReferentBulletin"
import type { ReferentBulletinRepo } from "@vigie/domain/mairie/ReferentBulletinRepo"
import { noticeRenderers } from "@vigie/domain/moderation/NoticeRenderer"
import { proposalNoticeEmailText, proposalNoticeRenderers } from "@vigie/domain/proposals/ProposalTexts"
import { gazetteNoticeEmailText, gazetteNoticeRenderers } from "@vigie/domain/gazette/GazetteTexts"
import { quartierNoticeEmailText, quartierNoticeRenderers } from "@vigie/domain/mairie/QuartierTexts"
import { digestRenderers } from "@vigie/domain/gazette/GazetteDigests"
import type { GazetteDigestRepo } from "@vigie/domain/gazette/GazetteDigestRepo"
import type { GazetteImmediateRepo } from "@vigie/domain/gazette/GazetteImmediateRepo"
import { immediateRenderers } from "@vigie/domain/gazette/GazetteImmediate"
import { gazetteActivityEmailText, gazetteActivityRenderers } from "@vigie/domain/gazette/GazetteSocialTexts"
import { conversationNoticeEmailText, conversationNoticeRenderers } from "@vigie/domain/messaging/MessagingTexts"
import { veilleEmailText, veilleRenderers } from "@vigie/domain/checkin/VeilleTexts"
import { Effect } from "effect"
import type { Renderer } from "./DeliveryWorker.js"

const communeName = (insee: InseeCode): string => EtalabCommunes.findByInsee(insee)?.name ?? insee

const specOf = (kind: AlertMessageKind, alert: AlertMessageFacts): MessageSpec =>
  kind === "closing"
    ? { kind: "closing", outcome: alert.status === "retracted" ? "retracted" : "resolved" }
    : { kind }

const forMessage = (alert: AlertMessageFacts): AlertForMessage => ({
  alertId: alert.id,
  category: alert.category,
  urgency: alert.urgency,
  origin: alert.origin,
  text: alert.text,
  place: alert.place,
  communeName: communeName(alert.insee)
})

const bulletinOf = (b: ReferentBulletin) => ({ origin: b.origin, communeName: communeName(b.insee), text: b.text })

/**
 * The French texts of messages (domain MessageTexts), registered by subject kind: one GSM-7 segment
 * SMS (with a short link for alerts), and an e-mail in plain text and HTML. Alerts link to the alert
 * and to the preferences; bulletins to référents say who sends them ("Vigie - Mairie de X aux
 * référents : ..."); moderation notices were rendered when the decision was taken.
 */
export const alertRenderer = (
  publicUrl: URL
): Effect.Effect<Renderer, never, AlertRepo | ReferentBulletinRepo | GazetteDigestRepo | GazetteImmediateRepo> =>
  Effect.map(
    Effect.all([
      alertRenderers({
        sms: (alert, kind) => smsText(forMessage(alert), specOf(kind, alert), publicUrl),
        email: (alert, kind) => emailText(forMessage(alert), specOf(kind, alert), publicUrl)
      }),
      bulletinRenderers({
        sms: (b) => bulletinSmsText(bulletinOf(b)),
        email: (b) => bulletinEmailText(bulletinOf(b), publicUrl)
      }),
      digestRenderers,
      immediateRenderers(publicUrl)
    ]),
    ([alerts, bulletins, digests, immediate]): Renderer => ({
      ...alerts,
      ...bulletins,
      ...digests,
      ...immediate,
      ...noticeRenderers({ sms: (body) => body, email: (body) => noticeEmailText(body, publicUrl) }),
      ...quartierNoticeRenderers({ sms: (body) => body, email: (body) => quartierNoticeEmailText(body, publicUrl) }),
      ...proposalNoticeRenderers({ sms: (body) => body, email: (body) => proposalNoticeEmailText(body, publicUrl) }),
      ...gazetteNoticeRenderers({ sms: (body) => body, email: (body) => gazetteNoticeEmailText(body, publicUrl) }),
      ...veilleRenderers({ sms: (body) => body, email: (body) => veilleEmailText(body, publicUrl) }),
      ...gazetteActivityRenderers({
        sms: (body) => body,
        email: (body, delivery) => gazetteActivityEmailText(body, delivery.subject.id, publicUrl)
      }),
      ...conversationNoticeRenderers({
        sms: (body) => body,
        email: (body, delivery) => conversationNoticeEmailText(body, delivery.subject.id, publicUrl)
      })
    })
  )

import { alertRenderers } from "@vigie/domain/alerts/AlertRenderer"
import type { AlertMessageKind } from "@vigie/domain/alerts/AlertRenderer"
import type { AlertMessageFacts, AlertRepo } from "@vigie/domain/alerts/AlertRepo"
import type { EmailContent } from "@vigie/domain/delivery/SubjectTexts"
import { bulletinRenderers } from "@vigie/domain/mairie/BulletinRenderer"
import type { ReferentBulletinRepo } from "@vigie/domain/mairie/ReferentBulletinRepo"
import { noticeRenderers } from "@vigie/domain/moderation/NoticeRenderer"
import { proposalNoticeRenderers } from "@vigie/domain/proposals/ProposalTexts"
import { gazetteNoticeRenderers } from "@vigie/domain/gazette/GazetteTexts"
import { quartierNoticeRenderers } from "@vigie/domain/mairie/QuartierTexts"
import { digestRenderers } from "@vigie/domain/gazette/GazetteDigests"
import type { GazetteDigestRepo } from "@vigie/domain/gazette/GazetteDigestRepo"
import type { GazetteImmediateRepo } from "@vigie/domain/gazette/GazetteImmediateRepo"
import { immediateRenderers } from "@vigie/domain/gazette/GazetteImmediate"
import { gazetteActivityRenderers } from "@vigie/domain/gazette/GazetteSocialTexts"
import { veilleRenderers } from "@vigie/domain/checkin/VeilleTexts"
import { Effect, Option } from "effect"
import type { Renderer } from "./DeliveryWorker.js"

const closing = (a: AlertMessageFacts) => a.status === "retracted" ? "Alerte retiree." : "Alerte resolue."

const alertLine = (a: AlertMessageFacts, kind: AlertMessageKind): string => {
  const where = Option.match(a.place, { onNone: () => "", onSome: (p) => ` (${p})` })
  switch (kind) {
    case "alert":
      return `Vigie: ${a.text}${where}`
    case "followup":
      return `Vigie: un autre voisin confirme l'alerte${where}`
    case "closing":
      return `Vigie: ${closing(a)}${where}`
  }
}

const mail = (line: string): EmailContent => ({ subject: line, text: line,
  html: `<p>${line.replace(/[&<>"]/g, "")}</p>` })

/**
 * Minimal texts for the standalone worker and the tests, one per message (so batching groups a
 * message's SMS). The real French texts are MessageTexts (smsText, emailText); the composition root
 * registers the renderers built on them (AlertTexts).
 */
export const plainRenderer: Effect.Effect<
  Renderer,
  never,
  AlertRepo | ReferentBulletinRepo | GazetteDigestRepo | GazetteImmediateRepo
> = Effect.map(
  Effect.all([
    alertRenderers({ sms: alertLine, email: (a, kind) => mail(alertLine(a, kind)) }),
    bulletinRenderers({
      sms: (b) => `Vigie aux referents: ${b.text}`,
      email: (b) => mail(`Vigie aux referents: ${b.text}`)
    }),
    digestRenderers,
    immediateRenderers("")
  ]),
  ([alerts, bulletins, digests, immediate]): Renderer => ({ ...alerts, ...bulletins, ...digests, ...immediate,
    ...noticeRenderers({ sms: (body) => body, email: mail }),
    ...quartierNoticeRenderers({ sms: (body) => body, email: mail }),
    ...proposalNoticeRenderers({ sms: (body) => body, email: mail }),
    ...gazetteNoticeRenderers({ sms: (body) => body, email: mail }),
    ...gazetteActivityRenderers({ sms: (body) => body, email: mail }),
    ...veilleRenderers({ sms: (body) => body, email: mail }) })
)

import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { AccountId } from "../accounts/Account.js"
import type { AlertId } from "../alerts/Alert.js"
import { alertSubject } from "../alerts/AlertPublisher.js"
import { CommuneDirectory } from "../communities/CommuneDirectory.js"
import type { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { smsText } from "../alerts/AlertTexts.js"
import { gsm7Segments } from "../channels/Gsm7.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { Outbox } from "../delivery/Outbox.js"
import type { AudienceMessage } from "../delivery/Outbox.js"
import { LiveEvents } from "../live/LiveEvents.js"
import { PublicUrl } from "../shared/PublicUrl.js"
import { Transactor } from "../shared/Transactor.js"
import { BudgetExceeded, PreviewNotFound, PreviewOutdated } from "./MairieErrors.js"
import { MairieSettings } from "./MairieSettings.js"
import { authorityRole, requireAuthority } from "./StaffAccess.js"
import { TownAlertPreview, TownAlertSent, type PreviewToken, type TownAlertDraft } from "./TownAlert.js"
import { estimate, fits, remaining } from "./TownAlertPolicy.js"
import { TownAlertRepo } from "./TownAlertRepo.js"

type Acting = Unauthenticated | AccountSuspended

/** Any id renders the same SMS length: the link carries a fixed-length short id. */
const PREVIEW_ALERT_ID = "00000000-0000-4000-8000-000000000000" as AlertId

/**
 * Town alerts of the mairie and the municipal police: first a preview (recipients per channel,
 * SMS parts, cost, time, budget), then the confirmation of exactly that preview.
 */
export class TownAlerts extends Context.Tag("@vigie/domain/TownAlerts")<
  TownAlerts,
  {
    readonly preview: (
      actor: Actor,
      draft: TownAlertDraft
    ) => Effect.Effect<TownAlertPreview, Acting | Forbidden | CommunityNotFound>
    /**
     * Posts the previewed alert if the world still yields the previewed counts (else PreviewOutdated)
     * and the month's SMS budget pays for it (else BudgetExceeded), or by e-mail only when asked.
     * Confirmations of one commune are serialized, so two agents can never overspend together.
     */
    readonly confirm: (
      actor: Actor,
      token: PreviewToken,
      emailOnly: boolean
    ) => Effect.Effect<TownAlertSent, Acting | PreviewNotFound | PreviewOutdated | BudgetExceeded>
  }
>() {}

/** A town alert as the outbox plans it: to every community of its commune, or the chosen ones. */
const townMessage = (authorId: AccountId, draft: TownAlertDraft): AudienceMessage => ({
  authorId,
  audience: { _tag: "Commune", insee: draft.insee, communityIds: draft.communityIds },
  priority: draft.urgency
})

export const make = Effect.gen(function*() {
  const repo = yield* TownAlertRepo
  const communities = yield* CommunityRepo
  const communes = yield* CommuneDirectory
  const settings = yield* MairieSettings
  const publicUrl = yield* PublicUrl
  const transactor = yield* Transactor
  const live = yield* LiveEvents
  const wakeup = yield* DeliveryWakeup
  const outbox = yield* Outbox

  const now = DateTime.now

  const preview: TownAlerts["Type"]["preview"] = (actor, draft) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const origin = yield* requireAuthority(account.staffRoles, draft.insee, "preview_town_alert")
      const own = new Set(
        (yield* communities.listByCommune(draft.insee)).filter((c) => c.status === "active").map((c) => c.id)
      )
      const chosen = Option.getOrElse(draft.communityIds, () => [] as ReadonlyArray<CommunityId>)
      const stranger = chosen.find((id) => !own.has(id))
      if (stranger !== undefined) return yield* new CommunityNotFound({ communityId: stranger })
      const at = yield* now
      const counts = yield* outbox.count(townMessage(account.id, draft), at)
      const communeName = Option.match(yield* communes.findByInsee(draft.insee), {
        onNone: () => draft.insee,
        onSome: (c) => c.name
      })
      const text = smsText(
        {
          alertId: PREVIEW_ALERT_ID,
          category: draft.category,
          urgency: draft.urgency,
          origin,
          text: draft.text,
          place: draft.place,
          communeName
        },
        { kind: "alert" },
        publicUrl
      )
      const parts = gsm7Segments(text)
      const cost = estimate({
        sms: counts.sms,
        segments: parts.segments,
        pricePerSegmentEur: settings.smsPriceEur,
        ratePerSecond: settings.smsRatePerSecond
      })
      const stored = yield* repo.budget(draft.insee, at)
      const budget = {
        monthlySegments: Option.getOrElse(stored.monthlySegments, () => settings.defaultMonthlySmsSegments),
        usedSegments: stored.usedSegments
      }
      const expiresAt = DateTime.addDuration(at, settings.previewTtl)
      const token = yield* repo.savePreview({
        accountId: account.id,
        origin,
        draft,
        sms: counts.sms,
        email: counts.email,
        smsSegments: parts.segments,
        expiresAt: DateTime.toDateUtc(expiresAt)
      }, at)
      return new TownAlertPreview({
        previewToken: token,
        insee: draft.insee,
        origin,
        sms: counts.sms,
        email: counts.email,
        voice: counts.voice,
        smsText: text,
        smsEncoding: parts.encoding,
        smsSegments: parts.segments,
        billedSegments: cost.billedSegments,
        costEur: cost.costEur,
        pricePerSegmentEur: settings.smsPriceEur,
        estimatedSeconds: cost.seconds,
        exceedsProviderQueue: cost.exceedsProviderQueue,
        budget: { ...budget, remainingSegments: remaining(budget) },
        fitsBudget: fits(budget, cost.billedSegments),
        expiresAt
      })
    }).pipe(Effect.withSpan("TownAlerts.preview"))

  const confirm: TownAlerts["Type"]["confirm"] = (actor, token, emailOnly) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const at = yield* now
      const sent = yield* transactor.transaction(Effect.gen(function*() {
        const found = yield* repo.openPreview(token, account.id, at)
        if (Option.isNone(found)) return yield* new PreviewNotFound({ previewToken: token })
        const previewed = found.value
        // The agent must still be staff of the commune (a role can be withdrawn between the two steps).
        if (authorityRole(account.staffRoles, previewed.draft.insee) === undefined) {
          return yield* new PreviewNotFound({ previewToken: token })
        }
        const stored = yield* repo.lockBudget(previewed.draft.insee, at)
        const budget = {
          monthlySegments: Option.getOrElse(stored.monthlySegments, () => settings.defaultMonthlySmsSegments),
          usedSegments: stored.usedSegments
        }
        const needed = emailOnly ? 0 : previewed.sms * previewed.smsSegments
        if (!fits(budget, needed)) {
          return yield* new BudgetExceeded({ insee: previewed.draft.insee, ...budget, neededSegments: needed })
        }
        // A town alert is the mairie's or the police's own: never held for review, it fans out at once.
        const channels: ReadonlyArray<"sms" | "email"> = emailOnly ? ["email"] : ["sms", "email"]
        const alert = yield* repo.insert(previewed, at)
        const message = townMessage(alert.authorId, previewed.draft)
        // An urgent town alert also rings those who chose voice calls for urgent alerts (not when
        // the mairie chose e-mail only); the preview shows how many, but they are not billed as SMS.
        const written = yield* outbox.fanOut(
          alertSubject("alert", alert.id),
          message,
          at,
          emailOnly ? channels : [...channels, "voice"]
        )
        yield* repo.record(previewed, alert.id, channels, written, at)
        const posted = { alert, sms: written.sms, email: written.email }
        // Written in this transaction and compared before it commits: a difference rolls everything back.
        if (posted.email !== previewed.email || posted.sms !== (emailOnly ? 0 : previewed.sms)) {
          return yield* new PreviewOutdated({
            previewToken: token,
            previewed: { sms: previewed.sms, email: previewed.email },
            current: yield* outbox.count(townMessage(account.id, previewed.draft), at).pipe(
              Effect.map(({ email, sms }) => ({ sms, email }))
            )
          })
        }
        return new TownAlertSent({ alert: posted.alert, sms: posted.sms, email: posted.email, emailOnly })
      }))
      const scope = sent.alert.scope
      if (scope._tag !== "Commune") return yield* Effect.dieMessage(`town alert ${sent.alert.id} has a community scope`)
      const insee = scope.insee
      const ids = yield* Option.match(scope.communityIds, {
        onSome: (ids) => Effect.succeed(ids as ReadonlyArray<CommunityId>),
        onNone: () => Effect.map(communities.listByCommune(insee), (cs) => cs.map((c) => c.id))
      })
      // Committed: wake the workers now rather than at their next poll.
      const channels = [...(sent.sms > 0 ? ["sms" as const] : []), ...(sent.email > 0 ? ["email" as const] : [])]
      if (channels.length > 0) yield* wakeup.wake({ channels })
      yield* live.publish({ _tag: "AlertPublished", alertId: sent.alert.id, insee, communityIds: ids,
        authorities: true })
      return sent
    }).pipe(Effect.withSpan("TownAlerts.confirm"))

  return TownAlerts.of({ preview, confirm })
})

export const layer = Layer.effect(TownAlerts, make)

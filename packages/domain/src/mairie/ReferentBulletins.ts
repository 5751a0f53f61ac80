import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { InseeCode } from "../communities/Commune.js"
import type { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { Outbox } from "../delivery/Outbox.js"
import { BULLETIN_MESSAGE } from "./BulletinRenderer.js"
import type { Channel } from "../delivery/NotificationPreferences.js"
import { CommuneDirectory } from "../communities/CommuneDirectory.js"
import { gsm7Segments } from "../channels/Gsm7.js"
import { bulletinSmsText } from "./BulletinTexts.js"
import { Transactor } from "../shared/Transactor.js"
import { BudgetExceeded } from "./MairieErrors.js"
import { MairieSettings } from "./MairieSettings.js"
import { BulletinSent, ReferentInboxPage } from "./ReferentBulletin.js"
import { fits } from "./TownAlertPolicy.js"
import { TownAlertRepo } from "./TownAlertRepo.js"
import { ReferentBulletinRepo } from "./ReferentBulletinRepo.js"
import { requireAuthority } from "./StaffAccess.js"

type Acting = Unauthenticated | AccountSuspended

/**
 * Information from the mairie or the police to the référents of chosen communities: kept in their
 * inbox and sent by SMS and e-mail through the delivery engine (workers woken after the commit).
 * Their SMS are paid from the commune's monthly SMS budget, under the same lock as town alerts.
 */
export class ReferentBulletins extends Context.Tag("@vigie/domain/ReferentBulletins")<
  ReferentBulletins,
  {
    readonly send: (
      actor: Actor,
      bulletin: { readonly insee: InseeCode; readonly communityIds: ReadonlyArray<CommunityId>; readonly text: string }
    ) => Effect.Effect<BulletinSent, Acting | Forbidden | CommunityNotFound | BudgetExceeded>
    /** The bulletins kept in my référent inbox (empty for anyone who never was a référent). */
    readonly inbox: (
      actor: Actor,
      page: { readonly before: Option.Option<DateTime.Utc>; readonly limit: number }
    ) => Effect.Effect<ReferentInboxPage, Acting>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* ReferentBulletinRepo
  const communities = yield* CommunityRepo
  const wakeup = yield* DeliveryWakeup
  const outbox = yield* Outbox
  const townAlerts = yield* TownAlertRepo
  const communes = yield* CommuneDirectory
  const settings = yield* MairieSettings
  const tx = yield* Transactor
  const now = DateTime.now

  const send: ReferentBulletins["Type"]["send"] = (actor, bulletin) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const origin = yield* requireAuthority(account.staffRoles, bulletin.insee, "send_referent_bulletin")
      const own = new Set(
        (yield* communities.listByCommune(bulletin.insee)).filter((c) => c.status === "active").map((c) => c.id)
      )
      const stranger = bulletin.communityIds.find((id) => !own.has(id))
      if (stranger !== undefined) return yield* new CommunityNotFound({ communityId: stranger })
      const communeName = Option.match(yield* communes.findByInsee(bulletin.insee), {
        onNone: () => bulletin.insee as string,
        onSome: (c) => c.name
      })
      const smsSegments = gsm7Segments(bulletinSmsText({ origin, communeName, text: bulletin.text })).segments
      // Written, then paid from the month's budget under its lock: what it cannot pay rolls back whole.
      const sent = yield* tx.transaction(Effect.gen(function*() {
        const at = yield* now
        const stored = yield* townAlerts.lockBudget(bulletin.insee, at)
        const budget = {
          monthlySegments: Option.getOrElse(stored.monthlySegments, () => settings.defaultMonthlySmsSegments),
          usedSegments: stored.usedSegments
        }
        const { bulletin: written, referents } = yield* repo.insert({
          insee: bulletin.insee,
          authorId: account.id,
          origin,
          communityIds: [...new Set(bulletin.communityIds)],
          text: bulletin.text
        }, at)
        // Information the référents have to relay in time: it counts as urgent (no quiet hours).
        const planned = yield* outbox.direct({ kind: BULLETIN_MESSAGE, id: written.id }, referents, "urgent", at)
        yield* repo.bill(written.id, smsSegments, planned.sms)
        const sent = { bulletin: written, referents: referents.length, sms: planned.sms, email: planned.email }
        const needed = sent.sms * smsSegments
        if (!fits(budget, needed)) {
          return yield* new BudgetExceeded({ insee: bulletin.insee, ...budget, neededSegments: needed })
        }
        return sent
      }))
      const channels: ReadonlyArray<Channel> = [...(sent.sms > 0 ? ["sms" as const] : []),
        ...(sent.email > 0 ? ["email" as const] : [])]
      if (channels.length > 0) yield* wakeup.wake({ channels })
      return new BulletinSent({ bulletin: sent.bulletin, referents: sent.referents })
    }).pipe(Effect.withSpan("ReferentBulletins.send"))

  const inbox: ReferentBulletins["Type"]["inbox"] = (actor, page) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const rows = yield* repo.inbox(account.id, page.before, page.limit + 1)
      const shown = rows.slice(0, page.limit)
      const last = shown[shown.length - 1]
      return new ReferentInboxPage({
        bulletins: shown,
        nextBefore: rows.length > page.limit && last !== undefined ? Option.some(last.createdAt) : Option.none()
      })
    })

  return ReferentBulletins.of({ send, inbox })
})

export const layer = Layer.effect(ReferentBulletins, make)

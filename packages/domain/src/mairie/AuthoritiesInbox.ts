import { Context, DateTime, Effect, Layer, Option, Stream } from "effect"
import type { Scope } from "effect"
import type { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { AlertId } from "../alerts/Alert.js"
import { AlertNotFound } from "../alerts/AlertErrors.js"
import { Alerts } from "../alerts/Alerts.js"
import type { InseeCode } from "../communities/Commune.js"
import { LiveEvents } from "../live/LiveEvents.js"
import type { LiveEvent } from "../live/LiveEvent.js"
import { AuthoritiesInboxRepo, type SharedAlertRecord } from "./AuthoritiesInboxRepo.js"
import { AlertAcknowledgements, SharedAlert, SharedAlertPage } from "./SharedAlert.js"
import { authorityRole, requireAuthority } from "./StaffAccess.js"

type Acting = Unauthenticated | AccountSuspended

/**
 * The inbox of the mairie and the municipal police: the alerts residents of the commune shared with
 * them, live, with an acknowledgement the author sees and notes only the staff read.
 */
export class AuthoritiesInbox extends Context.Tag("@vigie/domain/AuthoritiesInbox")<
  AuthoritiesInbox,
  {
    readonly list: (
      actor: Actor,
      insee: InseeCode,
      page: {
        readonly before: Option.Option<DateTime.Utc>
        readonly beforeId: Option.Option<AlertId>
        readonly limit: number
      }
    ) => Effect.Effect<SharedAlertPage, Acting | Forbidden>
    /** Each shared alert of the commune as it is published or changes, for as long as the caller listens. */
    readonly watch: (
      actor: Actor,
      insee: InseeCode
    ) => Effect.Effect<Stream.Stream<SharedAlert>, Acting | Forbidden, Scope.Scope>
    /** Acknowledge a shared alert for my side (mairie or police), with an optional internal note. */
    readonly acknowledge: (
      actor: Actor,
      alertId: AlertId,
      note: Option.Option<string>
    ) => Effect.Effect<SharedAlert, Acting | AlertNotFound>
    /** Who took note of an alert, for whoever may read it (its author first of all). */
    readonly acknowledgements: (
      actor: Actor,
      alertId: AlertId
    ) => Effect.Effect<AlertAcknowledgements, Acting | AlertNotFound>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* AuthoritiesInboxRepo
  const live = yield* LiveEvents
  const alerts = yield* Alerts
  const now = DateTime.now

  /** The records as the staff member receives them: each alert named, never with its author's id. */
  const shown = (actor: Actor, records: ReadonlyArray<SharedAlertRecord>) =>
    Effect.map(alerts.present(actor, records.map((r) => r.alert)), (views) =>
      records.flatMap((r, i) => {
        const alert = views[i]
        return alert === undefined ? [] : [new SharedAlert({ ...r, alert })]
      }))

  const list: AuthoritiesInbox["Type"]["list"] = (actor, insee, page) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      yield* requireAuthority(account.staffRoles, insee, "read_authorities_inbox")
      const cursor = Option.map(page.before, (createdAt) => ({ createdAt, id: page.beforeId }))
      const rows = yield* repo.list(
        insee,
        Option.flatMap(cursor, (c) => Option.map(c.id, (id) => ({ createdAt: c.createdAt, id }))),
        page.limit + 1
      )
      const kept = rows.slice(0, page.limit)
      const last = kept[kept.length - 1]
      const more = rows.length > page.limit && last !== undefined
      return new SharedAlertPage({
        items: yield* shown(actor, kept),
        nextBefore: more ? Option.some(last.alert.createdAt) : Option.none(),
        nextBeforeId: more ? Option.some(last.alert.id) : Option.none()
      })
    }).pipe(Effect.withSpan("AuthoritiesInbox.list"))

  const watch: AuthoritiesInbox["Type"]["watch"] = (actor, insee) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      yield* requireAuthority(account.staffRoles, insee, "watch_authorities_inbox")
      const events = yield* live.subscribe
      return events.pipe(
        // Only publications and status changes change an inbox item; neighbours' marks and delivery
        // progress do not.
        Stream.filter((event): event is Extract<LiveEvent, { readonly _tag: "AlertPublished" | "AlertChanged" }> =>
          (event._tag === "AlertPublished" || event._tag === "AlertChanged") && event.insee === insee
        ),
        Stream.mapEffect((event) => repo.find(event.alertId)),
        Stream.filterMap((found) =>
          Option.flatMap(found, (f) => (f.insee === insee ? Option.some(f.item) : Option.none()))
        ),
        // The account was checked when the stream opened.
        Stream.mapEffect((item) => Effect.orDie(shown(actor, [item]))),
        Stream.flattenIterables
      )
    })

  /** The shared alert if the account is staff of its commune; otherwise it does not exist for them. */
  const sharedFor = (roles: Parameters<typeof authorityRole>[0], alertId: AlertId) =>
    Effect.gen(function*() {
      const found = yield* repo.find(alertId)
      const role = Option.flatMap(found, (f) => Option.fromNullable(authorityRole(roles, f.insee)))
      if (Option.isNone(found) || Option.isNone(role)) return yield* new AlertNotFound({ alertId })
      return { ...found.value, role: role.value }
    })

  const acknowledge: AuthoritiesInbox["Type"]["acknowledge"] = (actor, alertId, note) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const { role } = yield* sharedFor(account.staffRoles, alertId)
      const at = yield* now
      yield* repo.acknowledge(alertId, role, account.id, at)
      if (Option.isSome(note)) yield* repo.addNote(alertId, role, account.id, note.value, at)
      return (yield* shown(actor, [(yield* sharedFor(account.staffRoles, alertId)).item]))[0] ??
        (yield* Effect.dieMessage(`shared alert ${alertId} vanished`))
    }).pipe(Effect.withSpan("AuthoritiesInbox.acknowledge"))

  const acknowledgements: AuthoritiesInbox["Type"]["acknowledgements"] = (actor, alertId) =>
    Effect.gen(function*() {
      yield* alerts.get(actor, alertId)
      const acks = yield* repo.acknowledgements(alertId)
      return new AlertAcknowledgements({ alertId, ...acks })
    })

  return AuthoritiesInbox.of({ list, watch, acknowledge, acknowledgements })
})

export const layer = Layer.effect(AuthoritiesInbox, make)

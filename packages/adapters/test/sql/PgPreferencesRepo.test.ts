import { assert } from "@effect/vitest"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { defaultPreferences, NotificationPreferences } from "@vigie/domain/delivery/NotificationPreferences"
import type { MinuteOfDay } from "@vigie/domain/delivery/NotificationPreferences"
import { PreferencesRepo } from "@vigie/domain/delivery/PreferencesRepo"
import { Effect, Option } from "effect"
import { describeEachDatabase } from "../support/TestDatabase"
import { email, phone, repositories } from "./Fixtures"

describeEachDatabase("PgPreferencesRepo", (it) => {
  it.effect("gives the defaults until the member chooses, then their choice", () =>
    Effect.gen(function*() {
      const preferences = yield* PreferencesRepo
      const account = yield* (yield* AccountRepo).insert({
        firstName: "Jean",
        lastName: "Petit",
        email: Option.some(email()),
        phone: Option.none(),
        phoneVerified: false,
        passwordHash: Option.none(),
        staffRoles: []
      })
      assert.deepStrictEqual(yield* preferences.get(account.id), defaultPreferences(account.id))
      assert.deepStrictEqual(
        yield* preferences.get(crypto.randomUUID() as AccountId).pipe(Effect.map((p) => p.sms)),
        "all"
      )
      const chosen = new NotificationPreferences({
        accountId: account.id,
        sms: "urgent_only",
        email: "none",
        quietHours: Option.some({ start: 1320 as MinuteOfDay, end: 420 as MinuteOfDay })
      })
      yield* preferences.put(chosen)
      assert.deepStrictEqual(yield* preferences.get(account.id), chosen)
      const again = new NotificationPreferences({ ...chosen, email: "all", quietHours: Option.none() })
      yield* preferences.put(again)
      assert.deepStrictEqual(yield* preferences.get(account.id), again)
    }).pipe(Effect.provide(repositories)))

  it.effect("suppresses and unsuppresses phone numbers", () =>
    Effect.gen(function*() {
      const preferences = yield* PreferencesRepo
      const stopped = phone()
      const other = phone()
      yield* preferences.suppress(stopped, "stop_keyword")
      yield* preferences.suppress(stopped, "moderator")
      const found = yield* preferences.suppressions([stopped, other])
      assert.deepStrictEqual(found.map((s) => [s.phone, s.reason]), [[stopped, "stop_keyword"]])
      yield* preferences.unsuppress(stopped)
      assert.deepStrictEqual(yield* preferences.suppressions([stopped]), [])
    }).pipe(Effect.provide(repositories)))
})

import { mkdtempSync, existsSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { defaultRetentionPeriods } from "@vigie/domain/accounts/Retention"
import { RetentionRepo } from "@vigie/domain/accounts/RetentionRepo"
import * as PgRetention from "@vigie/adapters/sql/PgRetention"
import * as RetentionJob from "@vigie/domain/administration/RetentionJob"
import { BlobStore } from "@vigie/domain/media/BlobStore"
import { Upload, UploadId } from "@vigie/domain/media/Upload"
import { UploadRepo } from "@vigie/domain/media/UploadRepo"
import { Email } from "@vigie/domain/shared/Text"
import { DateTime, Duration, Effect, Exit, Layer, Option, Schema } from "effect"
import { Sent } from "../support/Recorders.js"
import { platform } from "../support/TestPlatform.js"
import { makeWorld } from "../support/World.js"

const ago = (interval: string) => `now() - interval '${interval}'`

/** An account created `interval` ago, never seen since; `warned` an interval ago, or never. */
const oldAccount = (name: string, created: string, options: { warned?: string; staff?: boolean } = {}) =>
  Effect.gen(function*() {
    const account = yield* (yield* AccountRepo).insert({
      firstName: "Ancienne",
      lastName: name,
      email: Option.some(Schema.decodeSync(Email)(`${name.toLowerCase()}@example.org`)),
      phone: Option.none(),
      phoneVerified: false,
      passwordHash: Option.none(),
      staffRoles: options.staff === true ? [{ _tag: "Moderator" }] : []
    }).pipe(Effect.orDie)
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(
      `UPDATE accounts SET created_at = ${ago(created)},
      inactivity_warned_at = ${options.warned === undefined ? "NULL" : ago(options.warned)} WHERE id = $1`,
      [account.id]
    )
    return account
  })

for (const db of databases) {
  const job = RetentionJob.layer.pipe(Layer.provideMerge(platform(db, new URL("http://vigie.test"))))
  layer(job, { excludeTestServices: true, timeout: Duration.seconds(120) })(`retention job [${db.name}]`, (it) => {
    it.effect("ages out what is past its period, once for two concurrent runs, and keeps the rest", () =>
      Effect.gen(function*() {
        const world = yield* makeWorld("retention")
        const sql = yield* SqlClient.SqlClient
        const member = world.accounts.memberA.id

        // Sessions: one expired, one idle for 8 days, the world's own live ones.
        yield* sql.unsafe(
          `INSERT INTO sessions (account_id, token_hash, created_at, last_seen_at, expires_at) VALUES
          ($1, '\\x01', ${ago("40 days")}, ${ago("31 days")}, ${ago("10 days")}),
          ($1, '\\x02', ${ago("9 days")}, ${ago("8 days")}, now() + interval '21 days')`,
          [member]
        )
        const liveSessions = (yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM sessions`)[0]!.n - 2
        yield* sql.unsafe(`INSERT INTO login_failures (login_key, failures, last_failure_at) VALUES
          ('\\x0a', 4, ${ago("8 days")}), ('\\x0b', 2, ${ago("1 hour")})`)

        // Deliveries of the world's alerts: some delivered 91 days ago, one still pending as old.
        const deliveries = yield* sql<{ id: string }>`SELECT id::text AS id FROM deliveries ORDER BY id`
        expect(deliveries.length).toBeGreaterThanOrEqual(3)
        const [oldDelivered, oldPending, recent] = deliveries.map((d) => d.id)
        yield* sql.unsafe(`UPDATE deliveries SET created_at = ${ago("91 days")}, status = 'delivered' WHERE id = $1`, [
          oldDelivered
        ])
        yield* sql.unsafe(`UPDATE deliveries SET created_at = ${ago("91 days")}, status = 'pending' WHERE id = $1`, [
          oldPending
        ])
        yield* sql.unsafe(`UPDATE deliveries SET status = 'delivered' WHERE id = $1`, [recent])

        yield* sql.unsafe(
          `INSERT INTO inbound_sms (message_uuid, from_number, to_number, text, type, received_at, sender, handling, outcome,
            reply_kind, reply_to, reply_text, reply_status) VALUES
          ('old-sms', '+33611111111', '+33700000000', 'VOL vélo vieux', 'sms', ${
            ago("91 days")
          }, '+33611111111', 'handled', 'alert_published',
            'alert_published', '+33611111111', 'Alerte publiée', 'sent'),
          ('new-sms', '+33622222222', '+33700000000', 'VOL vélo récent', 'sms', ${
            ago("1 day")
          }, '+33622222222', 'handled', 'alert_published',
            NULL, NULL, NULL, NULL)`
        )

        const dir = mkdtempSync(join(tmpdir(), "vigie-letters-"))
        const oldLetter = join(dir, "old.pdf")
        const newLetter = join(dir, "new.pdf")
        writeFileSync(oldLetter, "%PDF old")
        writeFileSync(newLetter, "%PDF new")
        yield* sql.unsafe(
          `INSERT INTO postal_outbox (recipient_name, address, expires_at, file_path, created_at) VALUES
          ('Jeanne Vieille', '{"line1":"1 rue A"}', ${ago("31 days")}, $1, ${ago("61 days")}),
          ('Jean Récent', '{"line1":"2 rue B"}', now() + interval '20 days', $2, ${ago("2 days")})`,
          [oldLetter, newLetter]
        )

        const toWarn = yield* oldAccount("Avertie", "23 months 5 days")
        const toErase = yield* oldAccount("Effacee", "25 months", { warned: "2 months" })
        const warnedRecently = yield* oldAccount("Patiente", "25 months", { warned: "10 days" })
        const staff = yield* oldAccount("Moderatrice", "30 months", { warned: "3 months", staff: true })

        const retention = yield* RetentionJob.RetentionJob
        const runs = yield* Effect.all([retention.runOnce(defaultRetentionPeriods),
          retention.runOnce(defaultRetentionPeriods)], {
          concurrency: 2
        })
        const done = runs.filter(Option.isSome).map((r) => r.value)
        expect(done).toHaveLength(1)
        expect(done[0]).toStrictEqual({
          sessionsDeleted: 2,
          loginFailuresDeleted: 1,
          deliveriesAnonymised: 1,
          inboundSmsAnonymised: 1,
          lettersDeleted: 1,
          loginDevicesDeleted: 0,
          verificationSmsDeleted: 0,
          expiredLinksDeleted: 0,
          rateCountersDeleted: 0,
          veilleHistoryDeleted: 0,
          uploadsRemoved: 0,
          accountsWarned: 1,
          accountsErased: 1
        })

        expect((yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM sessions`)[0]!.n).toBe(liveSessions)
        expect(yield* sql`SELECT failures FROM login_failures`).toStrictEqual([{ failures: 2 }])
        const destinations = yield* sql<{ id: string; destination: string }>`
          SELECT id::text AS id, destination FROM deliveries WHERE id IN (${oldDelivered}, ${oldPending}, ${recent}) ORDER BY id`
        expect(destinations.map((d) => d.destination === "")).toStrictEqual([true, false, false])
        expect(yield* sql`SELECT message_uuid, text, from_number, reply_to FROM inbound_sms ORDER BY message_uuid`)
          .toStrictEqual([
            { message_uuid: "new-sms", text: "VOL vélo récent", from_number: "+33622222222", reply_to: null },
            { message_uuid: "old-sms", text: "", from_number: "", reply_to: null }
          ])
        expect([existsSync(oldLetter), existsSync(newLetter)]).toStrictEqual([false, true])
        expect(yield* sql`SELECT recipient_name FROM postal_outbox`).toStrictEqual([{ recipient_name: "Jean Récent" }])

        const statuses = yield* sql<{ last_name: string; status: string; warned: boolean }>`
          SELECT last_name, status, inactivity_warned_at IS NOT NULL AS warned FROM accounts
          WHERE id IN (${toWarn.id}, ${toErase.id}, ${warnedRecently.id}, ${staff.id}) ORDER BY created_at, last_name`
        expect(statuses).toStrictEqual([
          { last_name: "Moderatrice", status: "active", warned: true },
          { last_name: "membre", status: "erased", warned: false },
          { last_name: "Patiente", status: "active", warned: true },
          { last_name: "Avertie", status: "active", warned: true }
        ])
        const warnings = (yield* Sent).emails.filter((m) => m.subject.includes("supprimé faute de connexion"))
        expect(warnings.map((m) => m.to)).toStrictEqual(["avertie@example.org"])
        expect(warnings[0]!.text).toContain("http://vigie.test")
      }))

    it.effect("a second run within the day does nothing", () =>
      Effect.gen(function*() {
        const retention = yield* RetentionJob.RetentionJob
        expect(yield* retention.runOnce(defaultRetentionPeriods)).toStrictEqual(Option.none())
      }))

    it.effect("known browsers unused for a year, old SMS budget rows, expired links and codes, ended edge counters go; the rest stays", () =>
      Effect.gen(function*() {
        const world = yield* makeWorld("retention-links")
        const sql = yield* SqlClient.SqlClient
        const member = world.accounts.memberB.id
        const pending = world.accounts.pending.id
        const hex = (n: number) => `'\\x${n.toString(16).padStart(2, "0")}'`
        yield* sql`DELETE FROM login_devices`
        yield* sql`DELETE FROM verification_sms`
        yield* sql`DELETE FROM rate_counters`
        yield* sql.unsafe(
          `INSERT INTO login_devices (token_hash, account_id, created_at, last_used_at) VALUES
          (${hex(0xd1)}, $1, ${ago("400 days")}, ${ago("366 days")}),
          (${hex(0xd2)}, $1, ${ago("400 days")}, ${ago("2 days")})`,
          [member]
        )
        // An SMS budget row of 8 days ago goes, but the phone codes of an account without a verified
        // address stay (they count in its 2 codes in all); today's row stays.
        yield* sql.unsafe(
          `INSERT INTO verification_sms (account_id, client_key, purpose, created_at) VALUES
          ($1, '\\x01', 'phone_code', ${ago("8 days")}),
          ($1, '\\x01', 'password_reset', ${ago("8 days")}),
          ($2, '\\x01', 'phone_code', ${ago("8 days")}),
          ($1, '\\x01', 'phone_code', ${ago("1 hour")})`,
          [member, pending]
        )
        yield* sql.unsafe(
          `INSERT INTO password_resets (account_id, channel, secret_hash, status, created_at, expires_at) VALUES
          ($1, 'email', ${hex(0xa1)}, 'used', ${ago("9 days")}, ${ago("8 days 23 hours")}),
          ($1, 'sms', ${hex(0xa2)}, 'pending', ${ago("10 minutes")}, now() + interval '5 minutes')`,
          [member]
        )
        yield* sql.unsafe(
          `INSERT INTO email_changes (account_id, new_email, token_hash, status, created_at, expires_at) VALUES
          ($1, 'vieille.adresse@example.org', ${hex(0xb1)}, 'superseded', ${ago("10 days")}, ${ago("9 days")}),
          ($1, 'nouvelle.adresse@example.org', ${hex(0xb2)}, 'pending', ${ago("1 hour")}, now() + interval '23 hours')`,
          [member]
        )
        yield* sql.unsafe(
          `INSERT INTO sign_in_challenges (token_hash, account_id, expires_at) VALUES
          (${hex(0xc1)}, $1, ${ago("8 days")}), (${hex(0xc2)}, $1, now() + interval '5 minutes')`,
          [member]
        )
        yield* sql.unsafe(
          `INSERT INTO staff_invitations (token_hash, account_id, created_at, expires_at, used_at) VALUES
          (${hex(0xe1)}, $1, ${ago("20 days")}, ${ago("13 days")}, NULL),
          (${hex(0xe2)}, $1, ${ago("1 day")}, now() + interval '6 days', NULL)`,
          [member]
        )
        yield* sql.unsafe(`INSERT INTO rate_counters (bucket, window_start, hits, expires_at) VALUES
          ('auth:all', ${ago("1 hour")}, 3, ${
          ago("50 minutes")
        }), ('auth:all', now(), 1, now() + interval '10 minutes')`)

        // Uploads: one sent 25 hours ago and never posted goes, rows and bytes; one as old but posted,
        // and one of an hour ago, stay.
        const blobs = yield* BlobStore
        const uploads = yield* UploadRepo
        const upload = (hoursAgo: number) =>
          Effect.gen(function*() {
            const id = UploadId.make(crypto.randomUUID())
            const u = new Upload({ id, ownerId: member, kind: "photo", blobKey: `photo/${id}`,
              contentType: "image/jpeg", name: null, bytes: 3, width: 1, height: 1,
              createdAt: DateTime.subtract(DateTime.unsafeNow(), { hours: hoursAgo }), claimedAt: null })
            yield* blobs.put(u.blobKey, new Uint8Array([1, 2, 3]), "image/jpeg")
            yield* uploads.insert(u)
            return u
          })
        const staleUpload = yield* upload(25)
        const postedUpload = yield* upload(30)
        yield* uploads.claim(member, [postedUpload.id], "photo", DateTime.unsafeNow())
        const freshUpload = yield* upload(1)

        yield* sql`DELETE FROM retention_runs`
        const report = yield* (yield* RetentionJob.RetentionJob).runOnce(defaultRetentionPeriods)
        expect(Option.getOrThrow(report)).toMatchObject({
          loginDevicesDeleted: 1,
          verificationSmsDeleted: 2,
          expiredLinksDeleted: 4,
          rateCountersDeleted: 1,
          veilleHistoryDeleted: 0,
          uploadsRemoved: 1
        })
        expect(Option.isNone(yield* uploads.get(staleUpload.id))).toBe(true)
        expect(Option.isNone(yield* blobs.get(staleUpload.blobKey))).toBe(true)
        for (const kept of [postedUpload, freshUpload]) {
          expect(Option.isSome(yield* uploads.get(kept.id))).toBe(true)
          expect(Option.isSome(yield* blobs.get(kept.blobKey))).toBe(true)
        }
        expect(yield* sql`SELECT encode(token_hash, 'hex') AS t FROM login_devices`).toStrictEqual([{ t: "d2" }])
        expect(yield* sql`SELECT account_id, purpose FROM verification_sms ORDER BY created_at, account_id`)
          .toStrictEqual([
            { account_id: pending, purpose: "phone_code" },
            { account_id: member, purpose: "phone_code" }
          ])
        expect(yield* sql`SELECT status FROM password_resets WHERE account_id = ${member}`).toStrictEqual([{
          status: "pending"
        }])
        expect(yield* sql`SELECT new_email FROM email_changes WHERE account_id = ${member}`).toStrictEqual([{
          new_email: "nouvelle.adresse@example.org"
        }])
        expect(yield* sql`SELECT encode(token_hash, 'hex') AS t FROM sign_in_challenges WHERE account_id = ${member}`)
          .toStrictEqual([{ t: "c2" }])
        expect(yield* sql`SELECT encode(token_hash, 'hex') AS t FROM staff_invitations WHERE account_id = ${member}`)
          .toStrictEqual([{ t: "e2" }])
        expect(yield* sql`SELECT hits FROM rate_counters`).toStrictEqual([{ hits: 1 }])
      }))
  })

  // Batches of 3: 10 due deliveries take 4 statements (3 + 3 + 3 + 1), 7 due inbound SMS take 3. Each
  // statement is its own transaction, so the rows it changed share one xmin (its transaction id).
  const batched = RetentionJob.layer.pipe(
    Layer.provide(PgRetention.layerWith({ batchSize: 3 })),
    Layer.provideMerge(platform(db, new URL("http://vigie.test")))
  )
  layer(batched, { excludeTestServices: true, timeout: Duration.seconds(120) })(
    `retention job in batches of 3 [${db.name}]`,
    (it) => {
      it.effect("ages out 10 deliveries in 4 statements and 7 inbound SMS in 3, counted once each", () =>
        Effect.gen(function*() {
          yield* makeWorld("retention-batches")
          const sql = yield* SqlClient.SqlClient
          // Ten final deliveries of 91 to 100 days ago (copies of a world's delivery for other accounts),
          // one as old still pending; and the world's own, recent.
          yield* sql.unsafe(`
INSERT INTO deliveries (message_id, alert_id, bulletin_id, audit_id, community_change_id, account_id, channel,
  destination, status, next_attempt_at, created_at, updated_at)
SELECT d.message_id, d.alert_id, d.bulletin_id, d.audit_id, d.community_change_id, gen_random_uuid(), d.channel,
  '+336100000' || lpad(g::text, 2, '0'), CASE WHEN g = 11 THEN 'pending' ELSE 'delivered' END, now(),
  now() - interval '90 days' - g * interval '1 day', now()
FROM (SELECT * FROM deliveries ORDER BY id LIMIT 1) d, generate_series(1, 11) g`)
          yield* sql.unsafe(`
INSERT INTO inbound_sms (message_uuid, from_number, to_number, text, type, received_at, sender, handling, outcome)
SELECT 'old-' || g, '+33611111111', '+33700000000', 'VOL vélo ' || g, 'sms', now() - interval '90 days' - g * interval '1 hour',
  '+33611111111', 'handled', 'alert_published'
FROM generate_series(1, 7) g`)
          const report = Option.getOrThrow(yield* (yield* RetentionJob.RetentionJob).runOnce(defaultRetentionPeriods))
          expect(report).toMatchObject({ deliveriesAnonymised: 10, inboundSmsAnonymised: 7 })

          const deliveryBatches = yield* sql<{ n: number }>`
            SELECT count(*)::int AS n FROM deliveries WHERE destination = '' GROUP BY xmin::text ORDER BY n DESC`
          expect(deliveryBatches.map((b) => b.n)).toStrictEqual([3, 3, 3, 1])
          expect(yield* sql`SELECT status FROM deliveries WHERE destination LIKE '+336100000%'`).toStrictEqual([{
            status: "pending"
          }])
          const smsBatches = yield* sql<{ n: number }>`
            SELECT count(*)::int AS n FROM inbound_sms WHERE text = '' GROUP BY xmin::text ORDER BY n DESC`
          expect(smsBatches.map((b) => b.n)).toStrictEqual([3, 3, 1])
          expect(yield* sql`SELECT count(*)::int AS n FROM inbound_sms WHERE from_number <> ''`).toStrictEqual([{
            n: 0
          }])
          // Run and recorded once: the next run within the day does nothing.
          expect(yield* (yield* RetentionJob.RetentionJob).runOnce(defaultRetentionPeriods)).toStrictEqual(
            Option.none()
          )
        }))

      it.effect("a run whose work fails or is interrupted is not recorded, so the next tick runs it again", () =>
        Effect.gen(function*() {
          const repo = yield* RetentionRepo
          const sql = yield* SqlClient.SqlClient
          const now = yield* DateTime.now
          const recorded = sql<{ n: number }>`SELECT count(*)::int AS n FROM retention_runs WHERE job = 'claim-test'`
          const failed = yield* repo.exclusively("claim-test", now, () => true, Effect.fail("boom" as const)).pipe(
            Effect.flip
          )
          expect(failed).toBe("boom")
          expect(yield* recorded).toStrictEqual([{ n: 0 }])
          const interrupted = yield* repo.exclusively("claim-test", now, () => true, Effect.interrupt).pipe(Effect.exit)
          expect(Exit.isInterrupted(interrupted)).toBe(true)
          expect(yield* recorded).toStrictEqual([{ n: 0 }])
          expect(yield* repo.exclusively("claim-test", now, () => true, Effect.succeed(1))).toStrictEqual(
            Option.some(1)
          )
          expect(yield* recorded).toStrictEqual([{ n: 1 }])
          // Once recorded, a failing rerun that was due takes back its own claim only: the earlier run stays.
          const later = DateTime.add(now, { days: 2 })
          yield* repo.exclusively("claim-test", later, () => true, Effect.fail("boom" as const)).pipe(Effect.flip)
          const [last] = yield* sql<{ at: Date }>`SELECT last_run_at AS at FROM retention_runs WHERE job = 'claim-test'`
          expect(last!.at.getTime()).toBe(DateTime.toEpochMillis(now))
        }))
    }
  )
}

import { Context, DateTime, Effect, Layer, Option } from "effect"
import { EmailSender } from "../channels/EmailSender.js"
import { PublicUrl } from "../shared/PublicUrl.js"
import { Transactor } from "../shared/Transactor.js"
import { AccountRepo } from "../accounts/AccountRepo.js"
import { eraseAccount } from "../accounts/PersonalData.js"
import { PersonalDataRepo, StoredFiles } from "../accounts/PersonalDataRepo.js"
import { inactivityStep, isRunDue, retentionCutoffs } from "../accounts/Retention.js"
import type { RetentionPeriods } from "../accounts/Retention.js"
import { RetentionRepo } from "../accounts/RetentionRepo.js"
import { removeStaleUploads, STALE_UPLOAD_HOURS } from "../media/StaleUploads.js"
import type { StaleUploads } from "../media/StaleUploads.js"
import type { BlobStore } from "../media/BlobStore.js"
import { inactivityWarningEmail } from "./RetentionTexts.js"

/** What one run did: the counts it logs. */
export interface RetentionReport {
  readonly sessionsDeleted: number
  readonly loginFailuresDeleted: number
  readonly deliveriesAnonymised: number
  readonly inboundSmsAnonymised: number
  readonly lettersDeleted: number
  readonly loginDevicesDeleted: number
  readonly verificationSmsDeleted: number
  readonly expiredLinksDeleted: number
  readonly rateCountersDeleted: number
  /** Check-ins of the veille (and their recorded steps) older than a year. */
  readonly veilleHistoryDeleted: number
  /** Uploads no post or message claimed within STALE_UPLOAD_HOURS: rows and bytes. */
  readonly uploadsRemoved: number
  readonly accountsWarned: number
  readonly accountsErased: number
}

export const RETENTION_JOB = "retention"

/**
 * The retention job: at most once per period across every process (an advisory lock and the time of
 * the last run, see RetentionRepo), it deletes ended sessions and old login failures, blanks the
 * destinations of old deliveries and the senders and texts of old inbound SMS, deletes old
 * activation letters, browsers unused for a year, the ledger of verification SMS after a few days,
 * expired reset and e-mail change links, sign-in challenges and invitations, ended edge counters,
 * the veille's check-ins and recorded steps after a year,
 * the uploads nobody claimed within a day (rows and blobs); it warns accounts inactive for `inactivityWarningMonths` by e-mail and erases
 * those inactive for `inactivityErasureMonths` that were warned at least a month before.
 */
export class RetentionJob extends Context.Tag("@vigie/domain/RetentionJob")<
  RetentionJob,
  { readonly runOnce: (periods: RetentionPeriods) => Effect.Effect<Option.Option<RetentionReport>> }
>() {}

export const make = Effect.gen(function*() {
  const publicUrl = yield* PublicUrl
  const repo = yield* RetentionRepo
  const accounts = yield* AccountRepo
  const email = yield* EmailSender
  const context = yield* Effect.context<PersonalDataRepo | StoredFiles | Transactor | StaleUploads | BlobStore>()

  const runOnce: RetentionJob["Type"]["runOnce"] = (periods) =>
    Effect.gen(function*() {
      const now = yield* DateTime.now
      const c = retentionCutoffs(now, periods)
      const done = yield* repo.exclusively(
        RETENTION_JOB,
        now,
        (last) => isRunDue(last, now, periods.every),
        Effect.gen(function*() {
          const sessionsDeleted = yield* repo.deleteEndedSessions(c)
          const loginFailuresDeleted = yield* repo.deleteOldLoginFailures(c)
          const deliveriesAnonymised = yield* repo.anonymiseDeliveries(c)
          const inboundSmsAnonymised = yield* repo.anonymiseInboundSms(c)
          const letterFiles = yield* repo.deleteOldLetters(c)
          const loginDevicesDeleted = yield* repo.deleteUnusedLoginDevices(c)
          const verificationSmsDeleted = yield* repo.deleteOldVerificationSms(c)
          const expiredLinksDeleted = yield* repo.deleteExpiredLinks(c)
          const rateCountersDeleted = yield* repo.deleteEndedRateCounters(c)
          const veilleHistoryDeleted = yield* repo.deleteOldVeilleHistory(c)
          const candidates = yield* repo.inactiveCandidates(c)
          const steps = candidates.map((candidate) => ({
            candidate,
            step: inactivityStep({ ...candidate, erased: false }, c)
          }))
          const toWarn = steps.filter((s) => s.step === "warn" && Option.isSome(s.candidate.email)).map((s) =>
            s.candidate
          )
          yield* repo.markWarned(toWarn.map((w) => w.accountId), Option.some(now))
          const toErase = steps.filter((s) => s.step === "erase").map((s) => s.candidate.accountId)
          return {
            sessionsDeleted,
            loginFailuresDeleted,
            deliveriesAnonymised,
            inboundSmsAnonymised,
            letterFiles,
            loginDevicesDeleted,
            verificationSmsDeleted,
            expiredLinksDeleted,
            rateCountersDeleted,
            veilleHistoryDeleted,
            toWarn,
            toErase
          }
        })
      )
      if (Option.isNone(done)) return Option.none()
      const run = done.value
      const lettersDeleted = yield* Effect.provide(
        Effect.flatMap(StoredFiles, (f) => f.remove(run.letterFiles)),
        context
      )
      const uploadsRemoved = yield* Effect.provide(
        removeStaleUploads(DateTime.subtract(now, { hours: STALE_UPLOAD_HOURS })),
        context
      )
      // After the commit: an e-mail that fails is not marked as sent, so the next run warns again.
      let accountsWarned = 0
      for (const w of run.toWarn) {
        const message = inactivityWarningEmail(
          w.firstName,
          publicUrl,
          periods.inactivityErasureMonths,
          periods.inactivityWarningMonths
        )
        const outcome = yield* email.send([{ to: Option.getOrThrow(w.email), ...message }]).pipe(Effect.either)
        if (outcome._tag === "Right" && outcome.right.every((o) => o._tag === "Accepted")) accountsWarned++
        else yield* repo.markWarned([w.accountId], Option.none())
      }
      // Each erasure in its own transaction, like a member's own.
      let accountsErased = 0
      for (const id of run.toErase) {
        const account = yield* accounts.findById(id)
        if (Option.isNone(account) || account.value.status === "erased") continue
        yield* Effect.provide(eraseAccount(account.value, now), context)
        accountsErased++
      }
      const report: RetentionReport = {
        sessionsDeleted: run.sessionsDeleted,
        loginFailuresDeleted: run.loginFailuresDeleted,
        deliveriesAnonymised: run.deliveriesAnonymised,
        inboundSmsAnonymised: run.inboundSmsAnonymised,
        lettersDeleted: run.letterFiles.length,
        loginDevicesDeleted: run.loginDevicesDeleted,
        verificationSmsDeleted: run.verificationSmsDeleted,
        expiredLinksDeleted: run.expiredLinksDeleted,
        rateCountersDeleted: run.rateCountersDeleted,
        veilleHistoryDeleted: run.veilleHistoryDeleted,
        uploadsRemoved,
        accountsWarned,
        accountsErased
      }
      yield* Effect.logInfo("retention run").pipe(
        Effect.annotateLogs({ ...report, lettersRemovedFromDisk: lettersDeleted })
      )
      return Option.some(report)
    }).pipe(Effect.withSpan("RetentionJob.runOnce"))

  return RetentionJob.of({ runOnce })
})

export const layer = Layer.effect(RetentionJob, make)

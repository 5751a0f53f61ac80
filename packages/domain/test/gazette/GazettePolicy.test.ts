import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, DateTime, Duration, FastCheck as fc, Schema } from "effect"
import type { AccountId, StaffRole } from "../../src/accounts/Account.js"
import type { InseeCode } from "../../src/communities/Commune.js"
import type { CommunityId } from "../../src/communities/Community.js"
import {
  GazetteDetails,
  GazettePost,
  type GazettePostId,
  PostKind,
  PostOutcome,
  PostState,
  PostStatus
} from "../../src/gazette/GazettePost.js"
import {
  canRead,
  closeRefusal,
  currentState,
  detailsRefusal,
  EXPIRING_KINDS,
  expiryFrom,
  gazetteHoldReasons,
  outcomesOf,
  remindersDue,
  renewal,
  type GazetteViewer,
  type Readable,
  withdrawRefusal
} from "../../src/gazette/GazettePolicy.js"
import { DEFAULT_TRUST } from "../../src/trust/TrustPolicy.js"
import { receivesLiveEvent, type Viewer } from "../../src/alerts/AlertAccess.js"
import type { LiveEvent } from "../../src/live/LiveEvent.js"
import { sensitiveSpans } from "../../src/trust/SensitiveDescriptors.js"

const NOW = DateTime.unsafeMake("2026-06-15T10:00:00Z")
const CADAUJAC = "33080" as InseeCode
const BORDEAUX = "33063" as InseeCode
const communities = ["a", "b", "c", "d"].map((c) => `00000000-0000-4000-8000-00000000000${c}` as CommunityId)
const accounts = ["1", "2", "3"].map((c) => `00000000-0000-4000-8000-10000000000${c}` as AccountId)

const instant = fc.integer({ min: -90 * 24 * 60, max: 90 * 24 * 60 }).map((minutes) => DateTime.add(NOW, { minutes }))
const nullable = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: null })

/** Posts in any lifecycle position around NOW. */
const post: fc.Arbitrary<GazettePost> = fc.record({
  kind: Arbitrary.make(PostKind),
  status: Arbitrary.make(PostStatus),
  state: Arbitrary.make(PostState),
  createdAt: instant,
  expiresAt: nullable(instant),
  cancelledAt: nullable(instant),
  remindedFor: nullable(instant),
  author: fc.constantFrom(...accounts)
}).map((p) =>
  new GazettePost({
    id: "00000000-0000-4000-8000-20000000000f" as GazettePostId,
    kind: p.kind,
    communityId: p.kind === "communication" ? null : communities[0]!,
    insee: CADAUJAC,
    authorId: p.author,
    authorName: "Test M.",
    title: "Titre",
    body: "Texte",
    photos: [],
    details: p.kind === "communication"
      ? { _tag: "communication", communityIds: [] }
      : { _tag: "vie_du_quartier", topic: "nouvelle" },
    status: p.status,
    holdReasons: [],
    state: p.state,
    outcome: p.state === "closed" ? "vendu" : null,
    closedAt: p.state === "closed" ? p.createdAt : null,
    cancelledAt: p.cancelledAt,
    createdAt: p.createdAt,
    expiresAt: p.expiresAt,
    remindedFor: p.remindedFor
  })
)

const roles: fc.Arbitrary<ReadonlyArray<StaffRole>> = fc.subarray([
  { _tag: "Moderator" },
  { _tag: "Admin" },
  { _tag: "MairieAgent", insee: CADAUJAC },
  { _tag: "MairieAgent", insee: BORDEAUX },
  { _tag: "MunicipalPolice", insee: CADAUJAC }
] as Array<StaffRole>)

const viewer: fc.Arbitrary<GazetteViewer> = fc.record({
  accountId: fc.constantFrom(...accounts),
  staffRoles: roles,
  verified: fc.subarray(communities)
}).map((v) => ({ accountId: v.accountId, staffRoles: v.staffRoles, verifiedCommunities: new Set(v.verified) }))

const readable: fc.Arbitrary<Readable> = fc.record({
  authorId: fc.constantFrom(...accounts),
  kind: Arbitrary.make(PostKind),
  status: Arbitrary.make(PostStatus),
  insee: fc.constantFrom(CADAUJAC, BORDEAUX),
  reach: fc.subarray(communities, { minLength: 1 })
})

describe("GazettePolicy: visibility", () => {
  it.prop(
    "nobody reads a withdrawn post; its author reads any other; others only published ones",
    [viewer, readable],
    ([v, p]) => {
      if (p.status === "withdrawn") expect(canRead(v, p)).toBe(false)
      else if (p.authorId === v.accountId) expect(canRead(v, p)).toBe(true)
      else if (p.status !== "published") expect(canRead(v, p)).toBe(false)
    }
  )

  it.prop(
    "a published post of someone else: exactly the verified members it reaches, plus the commune's mairie agents for a communication",
    [viewer, readable],
    ([v, p]) => {
      fc.pre(p.status === "published" && p.authorId !== v.accountId)
      const member = p.reach.some((id) => v.verifiedCommunities.has(id))
      const agent = p.kind === "communication" &&
        v.staffRoles.some((r) => r._tag === "MairieAgent" && r.insee === p.insee)
      expect(canRead(v, p)).toBe(member || agent)
    }
  )

  it.prop("staff roles alone give nothing but the mairie's own communications", [viewer, readable], ([v, p]) => {
    const outsider = { ...v, verifiedCommunities: new Set<CommunityId>() }
    fc.pre(p.authorId !== v.accountId)
    if (canRead(outsider, p)) {
      expect(p.kind).toBe("communication")
      expect(outsider.staffRoles).toContainEqual({ _tag: "MairieAgent", insee: p.insee })
    }
  })
})

describe("GazettePolicy: closing", () => {
  it("names the outcomes of each kind; events and the kinds without outcome are never closed", () => {
    expect(outcomesOf("annonce")).toEqual(["vendu", "donne", "rendu", "trouve"])
    expect(outcomesOf("entraide")).toEqual(["fait"])
    expect(outcomesOf("covoiturage")).toEqual(["complet"])
    expect(outcomesOf("perdu_trouve")).toEqual(["retrouve"])
    for (const kind of ["evenement", "vie_du_quartier", "compte_rendu", "communication"] as const) {
      expect(outcomesOf(kind)).toEqual([])
    }
  })

  it.prop("closes exactly an available, not yet closed post with an outcome of its kind", [post,
    Arbitrary.make(PostOutcome)], ([p, outcome]) => {
    const refusal = closeRefusal(p, outcome, NOW)
    const allowed = (p.status === "published" || p.status === "held_for_review") &&
      outcomesOf(p.kind).includes(outcome) && currentState(p, NOW) !== "closed"
    expect(refusal === undefined).toBe(allowed)
    if (!outcomesOf(p.kind).includes(outcome) && p.status !== "hidden" && p.status !== "withdrawn") {
      expect(refusal?._tag).toBe("OutcomeNotAllowed")
    }
  })

  it.prop("withdraws anything but what is hidden or withdrawn already", [post], ([p]) => {
    expect(withdrawRefusal(p) === undefined).toBe(p.status === "published" || p.status === "held_for_review")
  })
})

describe("GazettePolicy: expiry", () => {
  it.prop("annonces, entraide, rides and lost-and-found expire 30 days on; the other kinds never", [
    Arbitrary.make(PostKind),
    instant
  ], ([kind, at]) => {
    const expiry = expiryFrom(kind, at)
    if (EXPIRING_KINDS.includes(kind)) {
      expect(DateTime.toEpochMillis(expiry!) - DateTime.toEpochMillis(at)).toBe(Duration.toMillis(Duration.days(30)))
    } else expect(expiry).toBeNull()
  })

  it.prop("an open post reads expired exactly once its expiry has passed; closed stays closed", [post], ([p]) => {
    const state = currentState(p, NOW)
    if (p.state === "closed" || p.cancelledAt !== null) expect(state).toBe("closed")
    else if (p.state === "expired") expect(state).toBe("expired")
    else {
      expect(state).toBe(p.expiresAt !== null && DateTime.lessThanOrEqualTo(p.expiresAt, NOW) ? "expired" : "open")
    }
  })

  it.prop("renewal: open or expired posts of an expiring kind come back for 30 days from now; closed ones never", [
    post
  ], ([p]) => {
    const decision = renewal(p, NOW)
    const state = currentState(p, NOW)
    if (!EXPIRING_KINDS.includes(p.kind)) {
      expect(decision).toMatchObject({ _tag: "Refuse", error: { _tag: "NotRenewable" } })
    } else if (p.status === "hidden" || p.status === "withdrawn") expect(decision._tag).toBe("Refuse")
    else if (state === "closed") {
      expect(decision).toMatchObject({ _tag: "Refuse", error: { _tag: "GazettePostClosed" } })
    } else {
      expect(decision._tag).toBe("Renew")
      if (decision._tag === "Renew") {
        expect(DateTime.toEpochMillis(decision.expiresAt)).toBe(DateTime.toEpochMillis(NOW) + 30 * 86_400_000)
        // Renewed, it reads open again.
        expect(currentState({ ...p, state: "open", expiresAt: decision.expiresAt }, NOW)).toBe("open")
      }
    }
  })

  it.prop("reminds once per expiry, in the last 3 days, only published open posts that expire", [post], ([p]) => {
    const due = remindersDue([p], NOW).length === 1
    const inWindow = p.expiresAt !== null && DateTime.greaterThan(p.expiresAt, NOW) &&
      DateTime.toEpochMillis(p.expiresAt) - DateTime.toEpochMillis(NOW) <= 3 * 86_400_000
    const expected = p.status === "published" && EXPIRING_KINDS.includes(p.kind) && inWindow &&
      p.state === "open" && p.cancelledAt === null &&
      (p.remindedFor === null || DateTime.toEpochMillis(p.remindedFor) !== DateTime.toEpochMillis(p.expiresAt!))
    expect(due).toBe(expected)
    // Once recorded for this expiry, never again; a renewal (a new expiry) starts a new period.
    if (due) {
      expect(remindersDue([{ ...p, remindedFor: p.expiresAt }], NOW)).toEqual([])
    }
  })
})

describe("GazettePolicy: details", () => {
  const future = DateTime.add(NOW, { days: 2 })
  const past = DateTime.add(NOW, { days: -2 })
  const ride = { _tag: "covoiturage", direction: "offre", from: "Cadaujac", to: "Bordeaux", departsAt: future,
    seats: 2 } as const

  it("refuses rides without a start or a destination, or in the past", () => {
    expect(detailsRefusal(ride, NOW)).toBeUndefined()
    expect(detailsRefusal({ ...ride, to: "" }, NOW)).toMatchObject({ field: "to", reason: "required" })
    expect(detailsRefusal({ ...ride, from: "" }, NOW)).toMatchObject({ field: "from", reason: "required" })
    expect(detailsRefusal({ ...ride, departsAt: past }, NOW)).toMatchObject({ field: "departsAt",
      reason: "in_the_past" })
  })

  it("refuses dates too far ahead: a ride or a pin beyond a year, an event beyond two", () => {
    expect(detailsRefusal({ ...ride, departsAt: DateTime.add(NOW, { days: 400 }) }, NOW)).toMatchObject({
      field: "departsAt",
      reason: "too_far"
    })
    expect(detailsRefusal({ _tag: "evenement", startsAt: DateTime.add(NOW, { days: 400 }), place: "Salle" }, NOW))
      .toBeUndefined()
    expect(detailsRefusal({ _tag: "evenement", startsAt: DateTime.add(NOW, { days: 800 }), place: "Salle" }, NOW))
      .toMatchObject({ field: "startsAt", reason: "too_far" })
    expect(
      detailsRefusal({ _tag: "communication", communityIds: [], pinnedUntil: DateTime.add(NOW, { days: 400 }) }, NOW)
    ).toMatchObject({ field: "pinnedUntil", reason: "too_far" })
  })

  it("refuses events in the past, ending before they start, or without a place", () => {
    const event = { _tag: "evenement", startsAt: future, place: "Salle des fêtes" } as const
    expect(detailsRefusal(event, NOW)).toBeUndefined()
    expect(detailsRefusal({ ...event, endsAt: DateTime.add(future, { hours: 2 }) }, NOW)).toBeUndefined()
    expect(detailsRefusal({ ...event, endsAt: future }, NOW)).toMatchObject({ field: "endsAt", reason: "before_start" })
    expect(detailsRefusal({ ...event, startsAt: past }, NOW)).toMatchObject({ field: "startsAt" })
    expect(detailsRefusal({ ...event, place: "" }, NOW)).toMatchObject({ field: "place", reason: "required" })
  })

  it("refuses a lost animal seen in the future, a price on a gift, a pin that already ended", () => {
    expect(
      detailsRefusal(
        { _tag: "perdu_trouve", situation: "perdu", subject: "animal", where: "parc", seenAt: future },
        NOW
      )
    ).toMatchObject({ field: "seenAt", reason: "in_the_future" })
    expect(detailsRefusal({ _tag: "annonce", offer: "donne", priceCents: 10 }, NOW)).toMatchObject({
      field: "priceCents"
    })
    expect(detailsRefusal({ _tag: "annonce", offer: "vends", priceCents: 10 }, NOW)).toBeUndefined()
    expect(detailsRefusal({ _tag: "communication", communityIds: [], pinnedUntil: past }, NOW)).toMatchObject({
      field: "pinnedUntil"
    })
  })

  it.prop("accepts any ride that leaves later with both ends named", [
    fc.integer({ min: 1, max: 100_000 }),
    fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s.length > 0)
  ], ([minutes, place]) => {
    expect(detailsRefusal({ ...ride, from: place, to: place, departsAt: DateTime.add(NOW, { minutes }) }, NOW))
      .toBeUndefined()
  })

  it.prop("details round-trip through their JSON form (as stored in jsonb and sent on the wire)", [
    Arbitrary.make(GazetteDetails)
  ], ([details]) => {
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(GazetteDetails)(details)))
    expect(Schema.encodeSync(GazetteDetails)(Schema.decodeUnknownSync(GazetteDetails)(json))).toEqual(json)
  })
})

describe("GazettePolicy: held posts", () => {
  const spans = sensitiveSpans("Un homme de type maghrébin a trouvé le chat.")

  it("holds a member's first posts, as for alerts", () => {
    expect(gazetteHoldReasons({ kind: "annonce", authorPreviousPosts: 0, sensitive: [] }, DEFAULT_TRUST))
      .toEqual(["new_member"])
    expect(
      gazetteHoldReasons(
        { kind: "annonce", authorPreviousPosts: DEFAULT_TRUST.heldFirstAlerts, sensitive: [] },
        DEFAULT_TRUST
      )
    ).toEqual([])
  })

  it("checks sensitive descriptors on lost-and-found and entraide only", () => {
    expect(spans.length).toBeGreaterThan(0)
    for (const kind of PostKind.literals) {
      expect(gazetteHoldReasons({ kind, authorPreviousPosts: 5, sensitive: spans }, DEFAULT_TRUST), kind).toEqual(
        kind === "perdu_trouve" || kind === "entraide" ? ["sensitive_descriptors"] : []
      )
    }
  })
})

describe("GazetteChanged on the live stream (AlertAccess.receivesLiveEvent)", () => {
  const event = (mairie: boolean): LiveEvent => ({
    _tag: "GazetteChanged",
    postId: "00000000-0000-4000-8000-20000000000f",
    insee: CADAUJAC,
    communityIds: [communities[0]!],
    mairie
  })
  const as = (staffRoles: ReadonlyArray<StaffRole>, verified: ReadonlyArray<CommunityId> = []): Viewer => ({
    accountId: accounts[0]!,
    staffRoles,
    verifiedCommunities: new Set(verified)
  })

  it("reaches the verified members of the quartiers it names, and the commune's mairie agents for a communication", () => {
    for (const mairie of [false, true]) {
      expect(receivesLiveEvent(as([], [communities[0]!]), event(mairie))).toBe(true)
      expect(receivesLiveEvent(as([], [communities[1]!]), event(mairie))).toBe(false)
      expect(receivesLiveEvent(as([{ _tag: "MairieAgent", insee: CADAUJAC }]), event(mairie))).toBe(mairie)
      for (
        const staff of [{ _tag: "MunicipalPolice", insee: CADAUJAC }, { _tag: "Moderator" }, { _tag: "Admin" }, {
          _tag: "MairieAgent",
          insee: BORDEAUX
        }] as const
      ) {
        expect(receivesLiveEvent(as([staff]), event(mairie)), staff._tag).toBe(false)
      }
    }
  })
})

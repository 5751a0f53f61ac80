import { describe, expect, it } from "@effect/vitest"
import { DateTime, Either, FastCheck as fc } from "effect"
import type { AccountId, CommunityId } from "../../src/shared/Ids.js"
import type { UploadId } from "../../src/media/Upload.js"
import { blocks, eitherBlocks } from "../../src/membership/MemberBlocks.js"
import {
  DEFAULT_VISIBILITY,
  MemberProfile,
  OPT_IN_FIELDS,
  PROFILE_FIELDS,
  type ProfileField,
  TOPIC_IDS,
  type Visibility
} from "../../src/directory/Profile.js"
import {
  annuaireOf,
  blockRefusal,
  checkProfile,
  type DirectoryMember,
  type DirectoryViewer,
  folded,
  isNewcomer,
  MAX_PRESENTATION,
  mayFind,
  nameOf,
  type ProfileDraft,
  profileView,
  splitAddress
} from "../../src/directory/ProfilePolicy.js"

const account = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}` as AccountId
const A = "00000000-0000-4000-b000-00000000000a" as CommunityId
const B = "00000000-0000-4000-b000-00000000000b" as CommunityId
const PHOTO = "00000000-0000-4000-c000-000000000001" as UploadId
const NOW = DateTime.unsafeMake("2026-12-06T08:00:00Z")

const draft = (over: Partial<ProfileDraft> = {}): ProfileDraft => ({
  listed: true,
  nameStyle: "short",
  photoId: null,
  presentation: "",
  interests: [],
  interestsOther: "",
  skills: [],
  skillsOther: "",
  languages: [],
  visibility: {},
  ...over
})

const profile = (id: AccountId, visibility: Partial<Record<ProfileField, Visibility>> = {}, over = {}) =>
  new MemberProfile({
    accountId: id,
    listed: true,
    nameStyle: "short",
    photoId: PHOTO,
    presentation: "Retraitée, j'aime le jardin.",
    interests: ["jardinage", "lecture"],
    interestsOther: "Les roses anciennes",
    skills: ["arrosage"],
    skillsOther: "",
    languages: ["fr", "es"],
    visibility: { ...DEFAULT_VISIBILITY, ...visibility },
    updatedAt: NOW,
    ...over
  })

const member = (n: number, over: Partial<DirectoryMember> = {}): DirectoryMember => ({
  accountId: account(n),
  firstName: "Chloé",
  lastName: "Martin",
  status: "active",
  email: "chloe@example.org",
  phone: "+33612345678",
  memberships: [{ communityId: A, communityName: "Les Lilas", role: "resident",
    verifiedAt: DateTime.unsafeMake("2026-01-01T00:00:00Z"), addressLine1: "12 bis rue des Lilas" }],
  profile: profile(account(n)),
  ...over
})

const viewer = (n: number, over: Partial<DirectoryViewer> = {}): DirectoryViewer => ({
  accountId: account(n),
  staff: false,
  verifiedCommunities: new Set([A]),
  blockedBy: new Set(),
  blocked: new Set(),
  ...over
})

describe("checkProfile", () => {
  it("trims texts, keeps known entries in the list's order once, and defaults the visibilities", () => {
    const checked = checkProfile(draft({
      presentation: "  Bonjour !  ",
      interests: ["lecture", "jardinage", "lecture"],
      languages: ["es", "fr"],
      visibility: { street: "members" }
    }))
    expect(Either.getOrThrow(checked)).toMatchObject({
      presentation: "Bonjour !",
      interests: ["jardinage", "lecture"],
      languages: ["fr", "es"],
      visibility: { ...DEFAULT_VISIBILITY, street: "members" }
    })
  })

  it("hides the street, the number, the phone and the e-mail until the member opts in", () => {
    const checked = Either.getOrThrow(checkProfile(draft()))
    for (const field of OPT_IN_FIELDS) expect(checked.visibility[field]).toBe("me")
  })

  it.each(
    [
      [{ presentation: "é".repeat(MAX_PRESENTATION + 1) }, { field: "presentation", reason: "too_long",
        maxLength: 500 }],
      [{ interests: ["jardinage", "parachutisme"] }, { field: "interests", reason: "unknown", value: "parachutisme" }],
      [{ skills: ["plomberie"] }, { field: "skills", reason: "unknown", value: "plomberie" }],
      [{ languages: ["klingon"] }, { field: "languages", reason: "unknown", value: "klingon" }],
      [{ visibility: { street: "tout le monde" } }, { field: "visibility.street", reason: "invalid" }],
      [{ visibility: { password: "members" } }, { field: "visibility", reason: "unknown", value: "password" }],
      [{ nameStyle: "surnom" }, { field: "nameStyle", reason: "invalid" }],
      [{ interestsOther: "x".repeat(201) }, { field: "interestsOther", reason: "too_long", maxLength: 200 }],
      [{ interests: [...TOPIC_IDS, "jardinage"] }, { field: "interests", reason: "too_many" }]
    ] as const
  )("refuses %j", (over, expected) => {
    const checked = checkProfile(draft(over as Partial<ProfileDraft>))
    expect(Either.isLeft(checked)).toBe(true)
    expect(Either.flip(checked).pipe(Either.getOrThrow)).toMatchObject({ _tag: "InvalidProfile", ...expected })
  })

  it("accepts exactly 500 characters of presentation", () => {
    expect(Either.isRight(checkProfile(draft({ presentation: "é".repeat(MAX_PRESENTATION) })))).toBe(true)
  })
})

describe("splitAddress", () => {
  it.each([
    ["12 bis rue des Lilas", { houseNumber: "12 bis", street: "rue des Lilas" }],
    ["3 rue des Vignes", { houseNumber: "3", street: "rue des Vignes" }],
    ["14B, avenue de la Gare", { houseNumber: "14B", street: "avenue de la Gare" }],
    ["Lieu-dit Les Granges", { houseNumber: null, street: "Lieu-dit Les Granges" }],
    ["5 allée Beausoleil", { houseNumber: "5", street: "allée Beausoleil" }]
  ])("%s", (line, expected) => {
    expect(splitAddress(line)).toEqual(expected)
  })
})

describe("who finds whom", () => {
  it("a neighbour sees what is shown to members, never the fields kept to oneself", () => {
    const view = profileView(viewer(2), member(1, { profile: profile(account(1), { street: "members" }) }))!
    expect(view).toMatchObject({ name: "Chloé M.", street: "rue des Lilas", houseNumber: null, phone: null, email: null,
      presentation: "Retraitée, j'aime le jardin.", photoUrl: `/media/${PHOTO}`, visibility: null })
  })

  it("the owner sees every field and its visibility", () => {
    const view = profileView(viewer(1), member(1))!
    expect(view).toMatchObject({ mine: true, street: "rue des Lilas", houseNumber: "12 bis", phone: "+33612345678",
      email: "chloe@example.org", visibility: DEFAULT_VISIBILITY })
  })

  it("staff, other quartiers, the blocked, the unlisted and the erased find nobody", () => {
    const chloe = member(1)
    expect(mayFind(viewer(2, { staff: true }), chloe)).toBe(false)
    expect(mayFind(viewer(2, { verifiedCommunities: new Set([B]) }), chloe)).toBe(false)
    expect(mayFind(viewer(2, { blockedBy: new Set([account(1)]) }), chloe)).toBe(false)
    expect(mayFind(viewer(2), member(1, { profile: profile(account(1), {}, { listed: false }) }))).toBe(false)
    expect(mayFind(viewer(2), member(1, { status: "erased" }))).toBe(false)
    expect(mayFind(viewer(2), chloe)).toBe(true)
    // The blocker still finds the member they blocked (to unblock).
    expect(profileView(viewer(2, { blocked: new Set([account(1)]) }), chloe)!.blockedByMe).toBe(true)
  })

  it("names a member short by default, in full when they chose it", () => {
    expect(nameOf(member(1))).toBe("Chloé M.")
    expect(nameOf(member(1, { profile: profile(account(1), {}, { nameStyle: "full" }) }))).toBe("Chloé Martin")
    expect(nameOf(member(1, { profile: null }))).toBe("Chloé M.")
  })

  it("a newcomer is one verified within the last 7 days", () => {
    const at = (iso: string) => ({ communityId: A, communityName: "", role: "resident" as const,
      verifiedAt: DateTime.unsafeMake(iso), addressLine1: "" })
    expect(isNewcomer(at("2026-12-01T09:00:00Z"), NOW)).toBe(true)
    expect(isNewcomer(at("2026-11-28T09:00:00Z"), NOW)).toBe(false)
  })
})

describe("the annuaire", () => {
  const hugo = member(2, { firstName: "Hugo", lastName: "Bernard",
    memberships: [{ communityId: A, communityName: "Les Lilas", role: "referent",
      verifiedAt: DateTime.unsafeMake("2026-12-04T00:00:00Z"), addressLine1: "3 rue des Vignes" }],
    profile: profile(account(2), { street: "members" }, { interests: ["velo"] }) })
  const chloe = member(1, { profile: profile(account(1), { street: "me" }) })
  const eleonore = member(3, { firstName: "Éléonore", lastName: "Dupuis", profile: null })

  it("searches by name (without accents), shown street and interest; marks référents and newcomers", () => {
    const all = [chloe, hugo, eleonore]
    const names = (q: string) => annuaireOf(viewer(9), all, A, q, NOW).entries.map((e) => e.name)
    expect(names("")).toEqual(["Chloé M.", "Éléonore D.", "Hugo B."])
    expect(names("eleonore")).toEqual(["Éléonore D."])
    expect(names("vignes")).toEqual(["Hugo B."])
    // Chloé keeps her street to herself: a search never finds her by it.
    expect(names("lilas")).toEqual([])
    expect(names("vélo")).toEqual(["Hugo B."])
    expect(names("jardinage")).toEqual(["Chloé M."])
    const found = annuaireOf(viewer(9), all, A, "", NOW)
    expect(found.entries.find((e) => e.name === "Hugo B.")).toMatchObject({ referent: true, newThisWeek: true })
    expect(found.newThisWeek.map((e) => e.name)).toEqual(["Hugo B."])
  })

  it("a member blocked by Chloé does not find her", () => {
    const names = annuaireOf(viewer(9, { blockedBy: new Set([account(1)]) }), [chloe, hugo], A, "", NOW).entries
      .map((e) => e.name)
    expect(names).toEqual(["Hugo B."])
  })

  it("property: a hidden field never reaches anyone but its owner", () => {
    const visibilities = fc.record(
      Object.fromEntries(PROFILE_FIELDS.map((f) => [f, fc.constantFrom<Visibility>("me", "members")])) as Record<
        ProfileField,
        fc.Arbitrary<Visibility>
      >
    )
    fc.assert(fc.property(visibilities, fc.integer({ min: 1, max: 3 }), fc.boolean(), (vis, who, staff) => {
      const owner = member(1, { profile: profile(account(1), vis) })
      const v = viewer(who, { staff })
      const view = profileView(v, owner)
      const entry = annuaireOf(v, [owner], A, "", NOW).entries[0]
      if (who === 1) return view !== undefined
      const leaks = (field: ProfileField, value: unknown) =>
        vis[field] === "me" && value !== null && !(Array.isArray(value) && value.length === 0)
      if (view !== undefined) {
        if (staff) return false
        if (
          leaks("street", view.street) || leaks("houseNumber", view.houseNumber) || leaks("phone", view.phone) ||
          leaks("email", view.email) || leaks("photo", view.photoUrl) || leaks("presentation", view.presentation) ||
          leaks("interests", view.interests) || leaks("skills", view.skills) || leaks("languages", view.languages)
        ) {
          return false
        }
      }
      if (entry !== undefined && (leaks("street", entry.street) || leaks("photo", entry.photoUrl))) return false
      return true
    }))
  })
})

describe("blocks", () => {
  it("one way for reaching, either way for writing", () => {
    const rows = [{ blockerId: account(1), blockedId: account(2) }]
    expect(blocks(rows, account(1), account(2))).toBe(true)
    expect(blocks(rows, account(2), account(1))).toBe(false)
    expect(eitherBlocks(rows, account(2), account(1))).toBe(true)
    expect(eitherBlocks(rows, account(1), account(3))).toBe(false)
  })

  it("refuses oneself, someone out of one's quartiers, an erased member", () => {
    expect(blockRefusal(viewer(1), member(1), account(1))).toBe("self")
    expect(blockRefusal(viewer(1, { verifiedCommunities: new Set([B]) }), member(2), account(2))).toBe(
      "not_a_neighbour"
    )
    expect(blockRefusal(viewer(1), member(2, { status: "erased" }), account(2))).toBe("not_a_neighbour")
    expect(blockRefusal(viewer(1), undefined, account(2))).toBe("not_a_neighbour")
    expect(blockRefusal(viewer(1), member(2, { profile: profile(account(2), {}, { listed: false }) }), account(2)))
      .toBeUndefined()
    expect(folded("Éléonore")).toBe("eleonore")
  })
})

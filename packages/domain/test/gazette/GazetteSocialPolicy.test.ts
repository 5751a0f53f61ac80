import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, FastCheck as fc } from "effect"
import type { AccountId } from "../../src/accounts/Account.js"
import type { InseeCode } from "../../src/communities/Commune.js"
import type { CommunityId } from "../../src/communities/Community.js"
import { COMMENT_MAX_LENGTH, type EventAnswer, type GazetteCommentId } from "../../src/gazette/GazetteComment.js"
import type { GazettePostId } from "../../src/gazette/GazettePost.js"
import type { GazetteViewer } from "../../src/gazette/GazettePolicy.js"
import {
  answerRefusal,
  commentNoticeRecipients,
  commentText,
  type CommentRow,
  eventChangeRecipients,
  eventClosedRefusal,
  foundRecipients,
  nextCommentNotice,
  mayManageEvent,
  mayTakePart,
  reminderDue,
  repliesRefusal,
  threadParent,
  threadsFor
} from "../../src/gazette/GazetteSocialPolicy.js"
import { gazetteActivityBody, gazetteActivityEmailText } from "../../src/gazette/GazetteSocialTexts.js"

const account = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}` as AccountId
const comment = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, "0")}` as GazetteCommentId
const POST = "00000000-0000-4000-a000-000000000001" as GazettePostId
const A = "00000000-0000-4000-b000-00000000000a" as CommunityId
const B = "00000000-0000-4000-b000-00000000000b" as CommunityId
const CADAUJAC = "33080" as InseeCode
const now = DateTime.unsafeMake("2026-12-06T10:00:00Z")
const at = (minutes: number) => DateTime.add(now, { minutes })

const viewer = (id: number, communities: ReadonlyArray<CommunityId>, mairieOf?: InseeCode): GazetteViewer => ({
  accountId: account(id),
  staffRoles: mairieOf === undefined ? [] : [{ _tag: "MairieAgent", insee: mairieOf }],
  verifiedCommunities: new Set(communities)
})

describe("GazetteSocialPolicy", () => {
  it("a comment's text is trimmed, 1 to 2,000 characters (counted as a reader counts them)", () => {
    expect(commentText("  Bonjour \n")).toEqual({ _tag: "Text", text: "Bonjour" })
    expect(commentText(" \n\t ")).toMatchObject({ _tag: "InvalidGazetteComment", reason: "empty" })
    expect(commentText("é".repeat(COMMENT_MAX_LENGTH))).toMatchObject({ _tag: "Text" })
    expect(commentText("😀".repeat(COMMENT_MAX_LENGTH))).toMatchObject({ _tag: "Text" })
    expect(commentText("a".repeat(COMMENT_MAX_LENGTH + 1))).toMatchObject({ reason: "too_long", maxLength: 2000 })
  })

  it("replies are one level deep: a reply to a reply joins its top comment", () => {
    expect(threadParent({ id: comment(1), parentId: null })).toBe(comment(1))
    expect(threadParent({ id: comment(2), parentId: comment(1) })).toBe(comment(1))
  })

  it("who takes part: verified members of a quartier reached, and mairie agents on their commune's communications", () => {
    const resident = { kind: "annonce" as const, insee: CADAUJAC, reach: [A] }
    const communication = { kind: "communication" as const, insee: CADAUJAC, reach: [A, B] }
    expect(mayTakePart(viewer(1, [A]), resident)).toBe(true)
    expect(mayTakePart(viewer(1, [B]), resident)).toBe(false)
    expect(mayTakePart(viewer(1, [], CADAUJAC), resident)).toBe(false)
    expect(mayTakePart(viewer(1, [], CADAUJAC), communication)).toBe(true)
    expect(mayTakePart(viewer(1, [], "33063" as InseeCode), communication)).toBe(false)
    expect(mayTakePart(viewer(1, [B]), communication)).toBe(true)
    expect(repliesRefusal({ id: POST, status: "published" })).toBeUndefined()
    for (const status of ["held_for_review", "hidden", "withdrawn"] as const) {
      expect(repliesRefusal({ id: POST, status })).toMatchObject({ _tag: "GazettePostNotOpenToReplies", status })
    }
    expect(mayManageEvent(viewer(1, [A]), { authorId: account(1), communityId: A, insee: CADAUJAC })).toBe(true)
    expect(mayManageEvent(viewer(2, [A]), { authorId: account(1), communityId: A, insee: CADAUJAC })).toBe(false)
    expect(mayManageEvent(viewer(2, [], CADAUJAC), { authorId: account(1), communityId: A, insee: CADAUJAC }))
      .toBe(false)
    expect(mayManageEvent(viewer(2, [], CADAUJAC), { authorId: account(1), communityId: null, insee: CADAUJAC }))
      .toBe(true)
  })

  it("an event takes answers until it starts, never once cancelled", () => {
    const event = { _tag: "evenement" as const, startsAt: at(60), place: "Square" }
    expect(eventClosedRefusal(POST, event, null, now)).toBeUndefined()
    expect(eventClosedRefusal(POST, event, null, at(60))).toMatchObject({ reason: "past" })
    expect(eventClosedRefusal(POST, event, now, now)).toMatchObject({ reason: "cancelled" })
  })

  it("places: whatever the answers before, going never exceeds the capacity, and other answers are always taken", () => {
    const answerArb = fc.constantFrom<EventAnswer>("going", "maybe", "no")
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), answerArb), { maxLength: 60 }),
      (capacity, moves) => {
        const answers = new Map<number, EventAnswer>()
        for (const [who, given] of moves) {
          const going = [...answers.values()].filter((a) => a === "going").length
          const refusal = answerRefusal({ postId: POST, capacity, answer: given, previous: answers.get(who), going })
          if (given !== "going" || answers.get(who) === "going") expect(refusal).toBeUndefined()
          if (refusal === undefined) answers.set(who, given)
          else expect(refusal).toMatchObject({ _tag: "EventFull", capacity })
          expect([...answers.values()].filter((a) => a === "going").length).toBeLessThanOrEqual(capacity)
        }
      }
    ))
    expect(answerRefusal({ postId: POST, capacity: undefined, answer: "going", previous: undefined, going: 500 }))
      .toBeUndefined()
  })

  it("who is told: the author of others' published comments; each commenter once when found; those going or maybe when the event changes", () => {
    expect(commentNoticeRecipients({ postAuthorId: account(1), commentAuthorId: account(2), status: "published" }))
      .toEqual([account(1)])
    expect(commentNoticeRecipients({ postAuthorId: account(1), commentAuthorId: account(1), status: "published" }))
      .toEqual([])
    expect(
      commentNoticeRecipients({ postAuthorId: account(1), commentAuthorId: account(2), status: "held_for_review" })
    ).toEqual([])
    fc.assert(fc.property(fc.integer({ min: 0, max: 5 }), fc.array(fc.integer({ min: 0, max: 5 })), (author, ids) => {
      const told = foundRecipients(account(author), ids.map(account))
      expect(new Set(told).size).toBe(told.length)
      expect(told).not.toContain(account(author))
      expect(new Set(told)).toEqual(new Set(ids.filter((i) => i !== author).map(account)))
      // Input order does not matter.
      expect(foundRecipients(account(author), [...ids].reverse().map(account))).toEqual(told)
    }))
    expect(eventChangeRecipients(account(1), [
      { accountId: account(3), answer: "going" },
      { accountId: account(2), answer: "maybe" },
      { accountId: account(4), answer: "no" },
      { accountId: account(1), answer: "going" }
    ])).toEqual([account(2), account(3)])
  })

  it("comment e-mails: the first at once, then at most one an hour, and never a comment left untold", () => {
    const hour = Duration.hours(1)
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 30 }), (gaps) => {
      let at = now
      let last: DateTime.Utc | undefined
      const sent: Array<DateTime.Utc> = []
      for (const gap of gaps) {
        at = DateTime.add(at, { minutes: gap })
        const next = nextCommentNotice(last, at, hour)
        if (next !== undefined) {
          sent.push(next)
          last = next
        }
        // This comment is told by an e-mail that goes at or after it.
        expect(last !== undefined && DateTime.greaterThanOrEqualTo(last, at)).toBe(true)
      }
      for (let i = 1; i < sent.length; i++) {
        expect(DateTime.toEpochMillis(sent[i]!) - DateTime.toEpochMillis(sent[i - 1]!)).toBeGreaterThanOrEqual(
          3_600_000
        )
      }
    }))
    expect(nextCommentNotice(undefined, now, hour)).toEqual(now)
    expect(nextCommentNotice(at(-10), now, hour)).toEqual(at(50))
    expect(nextCommentNotice(at(50), now, hour)).toBeUndefined()
    expect(nextCommentNotice(at(-90), now, hour)).toEqual(now)
  })

  it("the reminder is due within the day before the start, not before, not after", () => {
    expect(reminderDue(at(24 * 60 + 1), now)).toBe(false)
    expect(reminderDue(at(24 * 60), now)).toBe(true)
    expect(reminderDue(at(1), now)).toBe(true)
    expect(reminderDue(now, now)).toBe(false)
  })

  it("threads: published comments and one's own held ones, deleted ones only while they have replies, oldest first whatever the row order", () => {
    const row = (n: number, parent: number | null, author: number, extra: Partial<CommentRow> = {}): CommentRow => ({
      id: comment(n),
      parentId: parent === null ? null : comment(parent),
      authorId: account(author),
      authorName: `Voisin ${author}`,
      body: `texte ${n}`,
      status: "published",
      createdAt: at(n),
      deletedAt: null,
      ...extra
    })
    const rows = [
      row(1, null, 1, { deletedAt: at(10), body: "" }),
      row(2, 1, 2),
      row(3, null, 3, { deletedAt: at(10), body: "" }),
      row(4, null, 2, { status: "held_for_review" }),
      row(5, null, 1),
      row(6, 5, 3, { deletedAt: at(11), body: "" }),
      row(7, 5, 2, { status: "hidden" })
    ]
    const shape = (reader: number) =>
      threadsFor(rows, account(reader)).map((
        t
      ) => [t.comment.body || "Commentaire supprimé", t.replies.map((r) => r.body)])
    expect(shape(1)).toEqual([["Commentaire supprimé", ["texte 2"]], ["texte 5", []]])
    expect(shape(2)).toEqual([["Commentaire supprimé", ["texte 2"]], ["texte 4", []], ["texte 5", []]])
    fc.assert(fc.property(fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }), (shuffled) => {
      expect(threadsFor(shuffled, account(2))).toEqual(threadsFor(rows, account(2)))
    }))
  })

  it("the notices' French texts, and an e-mail linking to the post", () => {
    const event = { _tag: "evenement" as const, startsAt: DateTime.unsafeMake("2026-12-12T14:00:00Z"),
      place: "Square des Lilas" }
    expect(gazetteActivityBody({ kind: "moved", title: "Fête", event })).toBe(
      "L'événement « Fête » change : il aura lieu samedi 12 décembre à 15 h, Square des Lilas."
    )
    expect(gazetteActivityBody({ kind: "cancelled", title: "Fête", event })).toContain("est annulé")
    expect(gazetteActivityBody({ kind: "reminder", title: "Fête", event })).toMatch(/^Rappel : /)
    const mail = gazetteActivityEmailText("Un <texte>", POST, "https://vigie.example/")
    expect(mail.text).toContain(`https://vigie.example/gazette/${POST}`)
    expect(mail.html).toContain("Un &lt;texte&gt;")
  })
})

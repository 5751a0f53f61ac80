import { describe, expect, it } from "@effect/vitest"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { receivesLiveEvent } from "@vigie/domain/alerts/AlertAccess"
import {
  directKey,
  emailDue,
  isNewMember,
  MAX_PARTICIPANTS,
  MESSAGE_MAX_LENGTH,
  messageText,
  nextReadMark,
  participantsOf,
  unreadAfter
} from "@vigie/domain/messaging/MessagingPolicy"
import { DateTime, FastCheck as fc } from "effect"

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}` as AccountId
const now = DateTime.unsafeMake("2026-12-06T08:00:00Z")

describe("the messagerie's rules", () => {
  it("keeps a trimmed text, refuses an empty one (unless photos go), an oversized one, too many photos", () => {
    expect(messageText("  Bonjour  ", 0)).toEqual({ text: "Bonjour" })
    expect(messageText("   ", 0)).toMatchObject({ _tag: "InvalidMessage", reason: "empty" })
    expect(messageText("", 1)).toEqual({ text: "" })
    expect(messageText("x".repeat(MESSAGE_MAX_LENGTH), 0)).toEqual({ text: "x".repeat(MESSAGE_MAX_LENGTH) })
    expect(messageText("x".repeat(MESSAGE_MAX_LENGTH + 1), 0)).toMatchObject({ reason: "too_long" })
    expect(messageText("Bonjour", 5)).toMatchObject({ reason: "too_many_photos" })
  })

  it("names the others once, without the starter; nobody or more than 50 people is refused", () => {
    expect(participantsOf(id(1), [id(2), id(2), id(1), id(3)])).toEqual([id(2), id(3)])
    expect(participantsOf(id(1), [id(1)])).toMatchObject({ _tag: "InvalidParticipants", reason: "none" })
    const many = Array.from({ length: MAX_PARTICIPANTS }, (_, i) => id(i + 2))
    expect(participantsOf(id(1), many.slice(0, MAX_PARTICIPANTS - 1))).toHaveLength(MAX_PARTICIPANTS - 1)
    expect(participantsOf(id(1), many)).toMatchObject({ reason: "too_many" })
  })

  it("gives a pair one key, whoever starts", () => {
    fc.assert(fc.property(fc.uuid(), fc.uuid(), (a, b) => directKey(a, b) === directKey(b, a)))
  })

  it("a member is new for 7 days", () => {
    expect(isNewMember({ createdAt: DateTime.subtract(now, { days: 6 }) }, now)).toBe(true)
    expect(isNewMember({ createdAt: DateTime.subtract(now, { days: 7 }) }, now)).toBe(false)
  })

  it("counts unread the others' messages after the mark, and the mark never moves back", () => {
    fc.assert(fc.property(
      fc.array(fc.record({ id: fc.integer({ min: 1, max: 100 }), authorId: fc.constantFrom("a", "b", "c") })),
      fc.integer({ min: 0, max: 100 }),
      fc.integer({ min: 0, max: 100 }),
      (messages, mark, upTo) => {
        const next = nextReadMark(mark, upTo)
        expect(next).toBeGreaterThanOrEqual(mark)
        expect(unreadAfter(messages, "a", next)).toBeLessThanOrEqual(unreadAfter(messages, "a", mark))
        expect(unreadAfter(messages, "a", mark)).toBe(messages.filter((m) => m.id > mark && m.authorId !== "a").length)
      }
    ))
  })

  it("e-mails after 15 minutes unread, at most once a day", () => {
    const ago = (minutes: number) => DateTime.subtract(now, { minutes })
    expect(emailDue({ firstUnreadAt: null, emailedAt: null }, now)).toBe(false)
    expect(emailDue({ firstUnreadAt: ago(14), emailedAt: null }, now)).toBe(false)
    expect(emailDue({ firstUnreadAt: ago(15), emailedAt: null }, now)).toBe(true)
    expect(emailDue({ firstUnreadAt: ago(60), emailedAt: ago(60 * 23) }, now)).toBe(false)
    expect(emailDue({ firstUnreadAt: ago(60), emailedAt: ago(60 * 24) }, now)).toBe(true)
  })

  it("tells a conversation's change to its members only: nobody else, staff included", () => {
    const event = { _tag: "ConversationChanged" as const, conversationId: id(9), accountIds: [id(1), id(2)] }
    const viewer = (n: number, staff = false) => ({
      accountId: id(n),
      staffRoles: staff ? [{ _tag: "Moderator" as const }] : [],
      verifiedCommunities: new Set<never>()
    })
    expect(receivesLiveEvent(viewer(1), event)).toBe(true)
    expect(receivesLiveEvent(viewer(2), event)).toBe(true)
    expect(receivesLiveEvent(viewer(3), event)).toBe(false)
    expect(receivesLiveEvent(viewer(4, true), event)).toBe(false)
  })
})

import { describe, expect, it } from "@effect/vitest"
import { CalendarEvent, calendarUid } from "@vigie/domain/gazette/CalendarEvent"
import { Either, Schema } from "effect"

const encoded = {
  uid: "gazette-event-42@vigie.example",
  title: "Fête des voisins",
  description: "",
  place: "Salle des fêtes",
  startsAt: "2026-12-12T14:00:00.000Z",
  endsAt: null,
  url: "https://vigie.example/gazette/evenements/42",
  organizer: "Chloé M.",
  sequence: 0,
  status: "CONFIRMED",
  updatedAt: "2026-12-01T09:00:00.000Z"
}

describe("CalendarEvent", () => {
  it("names an event the same way for its whole life, on the site's host", () => {
    expect(calendarUid("42", "https://Vigie.Example:8443/")).toBe("gazette-event-42@vigie.example")
    expect(calendarUid("42", "https://vigie.example")).toBe(calendarUid("42", "https://vigie.example/"))
  })

  it("accepts an event without an end, refuses one that ends before it starts, a UID with spaces, a status of its own", () => {
    const decode = Schema.decodeUnknownEither(CalendarEvent)
    expect(Either.isRight(decode(encoded))).toBe(true)
    expect(Either.isRight(decode({ ...encoded, endsAt: "2026-12-12T17:00:00.000Z" }))).toBe(true)
    expect(Either.isLeft(decode({ ...encoded, endsAt: "2026-12-12T14:00:00.000Z" }))).toBe(true)
    expect(Either.isLeft(decode({ ...encoded, uid: "gazette event 42" }))).toBe(true)
    expect(Either.isLeft(decode({ ...encoded, status: "TENTATIVE" }))).toBe(true)
    expect(Either.isLeft(decode({ ...encoded, sequence: -1 }))).toBe(true)
  })
})

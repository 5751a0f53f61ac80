import { describe, expect, it } from "@effect/vitest"
import * as IcsEventCalendar from "@vigie/adapters/gazette/IcsEventCalendar"
import { CalendarEvent, calendarUid } from "@vigie/domain/gazette/CalendarEvent"
import { EventCalendar } from "@vigie/domain/gazette/EventCalendar"
import { DateTime, Effect, Either, FastCheck as fc, Option, Schema } from "effect"

const event = (overrides: Partial<ConstructorParameters<typeof CalendarEvent>[0]> = {}) =>
  new CalendarEvent({
    uid: calendarUid("42", "https://vigie.example/"),
    title: "Fête des voisins, rue des Écoles",
    description: "Apportez un plat; des boissons.\nOn range ensemble à 19 h.",
    place: "Salle des fêtes, 2 place de l’Église",
    startsAt: DateTime.unsafeMake("2026-12-12T14:00:00Z"),
    endsAt: Option.some(DateTime.unsafeMake("2026-12-12T17:30:00Z")),
    url: "https://vigie.example/gazette/evenements/42",
    organizer: "Chloé M.",
    sequence: 0,
    status: "CONFIRMED",
    updatedAt: DateTime.unsafeMake("2026-12-01T09:15:00Z"),
    ...overrides
  })

const toIcs = (value: CalendarEvent) =>
  Effect.flatMap(EventCalendar, (calendar) => calendar.toIcs(value)).pipe(Effect.provide(IcsEventCalendar.layer))

/** The file's logical lines: folded lines joined back (a CRLF followed by one space or tab continues a line). */
const unfold = (ics: string): Array<string> => ics.replace(/\r\n[ \t]/g, "").split("\r\n").filter((l) => l !== "")

/** A TEXT value as it was before escaping (RFC 5545 3.3.11). */
const unescape = (value: string): string =>
  value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c))

/** The value of the first property `name` (without parameters). */
const property = (ics: string, name: string): string | undefined => {
  const line = unfold(ics).find((l) => l.startsWith(`${name}:`))
  return line === undefined ? undefined : line.slice(name.length + 1)
}

describe("IcsEventCalendar", () => {
  it.effect("writes one VEVENT with its UID, times in UTC, the French text escaped, its sequence and status", () =>
    Effect.gen(function*() {
      const ics = yield* toIcs(event())
      const lines = unfold(ics)
      expect(lines[0]).toBe("BEGIN:VCALENDAR")
      expect(lines.at(-1)).toBe("END:VCALENDAR")
      expect(ics.endsWith("\r\n")).toBe(true)
      expect(lines).toContain("VERSION:2.0")
      expect(lines).toContain("METHOD:PUBLISH")
      expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1)
      expect(property(ics, "UID")).toBe("gazette-event-42@vigie.example")
      // 15 h in Paris is 14 h UTC.
      expect(property(ics, "DTSTART")).toBe("20261212T140000Z")
      expect(property(ics, "DTEND")).toBe("20261212T173000Z")
      expect(property(ics, "DTSTAMP")).toBe("20261201T091500Z")
      expect(property(ics, "SUMMARY")).toBe("Fête des voisins\\, rue des Écoles")
      expect(property(ics, "LOCATION")).toBe("Salle des fêtes\\, 2 place de l’Église")
      expect(property(ics, "DESCRIPTION")).toBe(
        "Apportez un plat\\; des boissons.\\nOn range ensemble à 19 h.\\n\\nOrganisé par Chloé M.\\n" +
          "Sur Vigie : https://vigie.example/gazette/evenements/42"
      )
      expect(property(ics, "URL")).toBe("https://vigie.example/gazette/evenements/42")
      expect(property(ics, "SEQUENCE")).toBe("0")
      expect(property(ics, "STATUS")).toBe("CONFIRMED")
      // A member's name, never an address: no ORGANIZER (it needs one).
      expect(lines.some((l) => l.startsWith("ORGANIZER"))).toBe(false)
    }))

  it.effect("a cancelled event keeps its UID, raises its sequence, says CANCELLED and « Annulé »", () =>
    Effect.gen(function*() {
      const ics = yield* toIcs(event({ status: "CANCELLED", sequence: 2 }))
      expect(property(ics, "UID")).toBe("gazette-event-42@vigie.example")
      expect(property(ics, "STATUS")).toBe("CANCELLED")
      expect(property(ics, "SEQUENCE")).toBe("2")
      expect(unescape(property(ics, "SUMMARY")!)).toBe("Annulé : Fête des voisins, rue des Écoles")
      expect(unescape(property(ics, "DESCRIPTION")!)).toContain("Cet événement est annulé.")
    }))

  it.effect("a moved event has its new time and a higher sequence; without an end, no DTEND", () =>
    Effect.gen(function*() {
      const ics = yield* toIcs(event({
        startsAt: DateTime.unsafeMake("2027-07-14T16:00:00Z"),
        endsAt: Option.none(),
        sequence: 1
      }))
      // 18 h in Paris in summer is 16 h UTC.
      expect(property(ics, "DTSTART")).toBe("20270714T160000Z")
      expect(property(ics, "DTEND")).toBeUndefined()
      expect(property(ics, "DURATION")).toBeUndefined()
      expect(property(ics, "SEQUENCE")).toBe("1")
    }))

  it.effect("folds long lines (at most 75 characters each, continued by a tab) and never splits a character", () =>
    Effect.gen(function*() {
      const description = "Une très longue description, avec des accents é è à ç œ et des émojis 🎉🎄, ".repeat(8)
      const ics = yield* toIcs(event({ description }))
      const physical = ics.split("\r\n").filter((l) => l !== "")
      expect(physical.some((l) => l.startsWith("\t"))).toBe(true)
      for (const line of physical) {
        expect(Array.from(line).length).toBeLessThanOrEqual(75)
        expect(line).not.toMatch(/[\r\n]/)
        // No half of a surrogate pair (an emoji cut in two).
        expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/)
      }
      expect(unescape(property(ics, "DESCRIPTION")!).startsWith(description.trim())).toBe(true)
    }))

  it.effect("keeps the link in the notes when the package refuses the address", () =>
    Effect.gen(function*() {
      const ics = yield* toIcs(event({ url: "https://vigie_test.example/e/42" }))
      expect(property(ics, "URL")).toBeUndefined()
      expect(unescape(property(ics, "DESCRIPTION")!)).toContain("Sur Vigie : https://vigie_test.example/e/42")
    }))

  it("refuses an event that ends before it starts", () => {
    const decode = Schema.decodeEither(CalendarEvent)
    const encoded = Schema.encodeSync(CalendarEvent)(event())
    expect(Either.isRight(decode(encoded))).toBe(true)
    expect(Either.isLeft(decode({ ...encoded, endsAt: "2026-12-12T13:00:00.000Z" }))).toBe(true)
  })

  const text = fc.string({
    unit: fc.oneof(
      fc.constantFrom(
        ",",
        ";",
        "\\",
        "\n",
        "\r\n",
        "\r",
        ":",
        "\"",
        "\t",
        " ",
        "é",
        "€",
        "œ",
        "’",
        "🎉",
        "\\n",
        "\u0007"
      ),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })
    ),
    maxLength: 200
  })

  it.effect.prop(
    "any title and description come back, unfolded and unescaped, as written (line breaks as \\n, no control)",
    [text, text],
    ([title, description]) =>
      Effect.gen(function*() {
        const ics = yield* toIcs(event({ title, description }))
        const summary = property(ics, "SUMMARY")
        const expectedTitle = IcsEventCalendar.calendarTitle(title)
        if (expectedTitle === "") expect(summary).toBeUndefined()
        else expect(unescape(summary!)).toBe(expectedTitle)
        const notes = unescape(property(ics, "DESCRIPTION")!)
        const expectedDescription = IcsEventCalendar.calendarText(description)
        expect(notes).toBe(
          (expectedDescription === "" ? "" : `${expectedDescription}\n\n`) +
            "Organisé par Chloé M.\nSur Vigie : https://vigie.example/gazette/evenements/42"
        )
        // Nothing of the text breaks the file's structure: no bare CR or LF, one event.
        expect(ics.split("\r\n").filter((l) => /[\r\n]/.test(l))).toEqual([])
        expect(unfold(ics).filter((l) => l.startsWith("BEGIN:") || l.startsWith("END:"))).toEqual([
          "BEGIN:VCALENDAR",
          "BEGIN:VEVENT",
          "END:VEVENT",
          "END:VCALENDAR"
        ])
      }),
    { fastCheck: { numRuns: 300 } }
  )

  it("cleans text the way the property above expects: line breaks kept as \\n, controls gone, title on one line", () => {
    expect(IcsEventCalendar.calendarText("a\r\nb\rc\u0007d ")).toBe("a\nb\ncd")
    expect(IcsEventCalendar.calendarTitle("Fête\ndes voisins")).toBe("Fête des voisins")
    expect(IcsEventCalendar.calendarText("Écoles, fête; 5 €")).toBe("Écoles, fête; 5 €")
  })
})

import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"
import { Account } from "../../src/accounts/Account.js"
import { Alert } from "../../src/alerts/Alert.js"
import { InseeCode, Postcode } from "../../src/communities/Commune.js"
import { Community } from "../../src/communities/Community.js"
import { Polygon } from "../../src/communities/GeoJson.js"
import { Delivery } from "../../src/delivery/Delivery.js"
import { NotificationPreferences } from "../../src/delivery/NotificationPreferences.js"
import { SmsSuppression } from "../../src/delivery/SmsSuppression.js"
import { LiveEvent } from "../../src/live/LiveEvent.js"
import { Membership } from "../../src/membership/Membership.js"
import { Email, PhoneE164 } from "../../src/shared/Text.js"
import { AddressVerification } from "../../src/verification/AddressVerification.js"
import { PhoneVerification } from "../../src/verification/PhoneVerification.js"

const decode = <A, I>(s: Schema.Schema<A, I>) => (input: unknown) => Schema.decodeUnknownEither(s)(input)
const ok = <A, I>(s: Schema.Schema<A, I>, input: unknown): A => Either.getOrThrow(decode(s)(input))
const fails = <A, I>(s: Schema.Schema<A, I>, input: unknown) => Either.isLeft(decode(s)(input))

describe("Email", () => {
  it.each([
    ["Jean.Dupont@Exemple.FR", "jean.dupont@exemple.fr"],
    ["  marie@exemple.fr ", "marie@exemple.fr"],
    ["a+vigie@sous.domaine.fr", "a+vigie@sous.domaine.fr"]
  ])("%j → %j", (input, expected) => {
    expect(ok(Email, input)).toBe(expected)
  })
  it.each(["", "jean", "jean@exemple", "@exemple.fr", "jean@.fr", "jean dupont@exemple.fr", "a@b@c.fr",
    `${"x".repeat(250)}@exemple.fr`, 42])(
      "rejects %j",
      (input) => {
        expect(fails(Email, input)).toBe(true)
      }
    )
})

describe("PhoneE164", () => {
  it.each(["+33612345678", "+32470123456", "+262692123456"])("accepts %s", (p) => {
    expect(ok(PhoneE164, p)).toBe(p)
  })
  it.each(["0612345678", "+0612345678", "33612345678", "+33 6 12 34 56 78", "+336", "+3361234567890123", ""])(
    "rejects %j",
    (p) => {
      expect(fails(PhoneE164, p)).toBe(true)
    }
  )
})

describe("InseeCode and Postcode", () => {
  it.each(["33063", "33080", "2A004", "2B033", "97411", "01001"])("INSEE %s is valid", (c) => {
    expect(ok(InseeCode, c)).toBe(c)
  })
  it.each(["3306", "330633", "2C004", "2a004", "AB123", "3A004", " 33063"])("INSEE %j is not", (c) => {
    expect(fails(InseeCode, c)).toBe(true)
  })
  it.each(["33000", "20000", "97400"])("postcode %s is valid", (c) => {
    expect(ok(Postcode, c)).toBe(c)
  })
  it.each(["3300", "330000", "33 000", "2A004", ""])("postcode %j is not", (c) => {
    expect(fails(Postcode, c)).toBe(true)
  })
})

describe("Polygon", () => {
  const closed = [[-0.59, 44.83], [-0.576, 44.83], [-0.576, 44.84], [-0.59, 44.83]]
  it("accepts a closed ring, and holes", () => {
    expect(ok(Polygon, { type: "Polygon", coordinates: [closed] }).coordinates[0]).toHaveLength(4)
    expect(ok(Polygon, { type: "Polygon", coordinates: [closed, closed] }).coordinates).toHaveLength(2)
  })
  it.each([
    ["an unclosed ring", { type: "Polygon", coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }],
    ["a hole left open", { type: "Polygon", coordinates: [closed, [[0, 0], [1, 0], [1, 1], [0, 1]]] }],
    ["fewer than four positions", { type: "Polygon", coordinates: [[[0, 0], [1, 0], [0, 0]]] }],
    ["no ring at all", { type: "Polygon", coordinates: [] }],
    ["a longitude beyond 180", { type: "Polygon", coordinates: [[[0, 0], [181, 0], [1, 1], [0, 0]]] }],
    ["a latitude beyond 90", { type: "Polygon", coordinates: [[[0, 0], [1, 91], [1, 1], [0, 0]]] }],
    ["another geometry type", { type: "MultiPolygon", coordinates: [closed] }]
  ])("rejects %s", (_, input) => {
    expect(fails(Polygon, input)).toBe(true)
  })
})

const entities = [
  ["Account", Account],
  ["Community", Community],
  ["Membership", Membership],
  ["Alert", Alert],
  ["Delivery", Delivery],
  ["NotificationPreferences", NotificationPreferences],
  ["AddressVerification", AddressVerification],
  ["PhoneVerification", PhoneVerification],
  ["SmsSuppression", SmsSuppression],
  ["LiveEvent", LiveEvent]
] as const

describe("encode → decode round trip of every entity", () => {
  it.each(entities)("%s", (name, schema) => {
    const S = schema as unknown as Schema.Schema<unknown, unknown>
    fc.assert(
      fc.property(Arbitrary.make(S), (value) => {
        const encoded = Schema.encodeSync(S)(value)
        const decoded = Schema.decodeUnknownSync(S)(encoded)
        expect(decoded).toStrictEqual(value)
        expect(Schema.encodeSync(S)(decoded)).toStrictEqual(encoded)
        if (name !== "LiveEvent") expect(decoded).toBeInstanceOf(schema)
      }),
      { numRuns: 100 }
    )
  })
})

describe("Email as a type", () => {
  it("is lower case on the type side too, so every Email value encodes", () => {
    expect(Schema.is(Email)("jean@exemple.fr")).toBe(true)
    expect(Schema.is(Email)("Jean@Exemple.fr")).toBe(false)
    expect(Schema.encodeSync(Email)(ok(Email, "JEAN@EXEMPLE.FR"))).toBe("jean@exemple.fr")
  })
})

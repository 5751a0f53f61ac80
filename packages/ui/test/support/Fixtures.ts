import { Account, AccountId } from "@vigie/domain/accounts/Account"
import { Me, MyMembership } from "@vigie/domain/accounts/Me"
import { Alert, AlertId } from "@vigie/domain/alerts/Alert"
import { AlertView } from "@vigie/domain/alerts/AlertView"
import { Commune, InseeCode, Postcode } from "@vigie/domain/communities/Commune"
import { Community, CommunityId } from "@vigie/domain/communities/Community"
import { HomeAddress, Membership, MembershipId } from "@vigie/domain/membership/Membership"
import { Email, PhoneE164 } from "@vigie/domain/shared/Text"
import { DateTime, Option, Struct } from "effect"

export const now = DateTime.unsafeMake("2026-03-02T10:00:00Z")
export const insee = InseeCode.make("33080")
export const postcode = Postcode.make("33140")

export const cadaujac = new Commune({ insee, name: "Cadaujac", postcodes: [postcode], population: 6000 })

const square = (x: number, y: number) => ({
  type: "Polygon" as const,
  coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]] as Array<[number, number]>] as [
    Array<[number, number]>
  ]
})

export const bourg = new Community({
  id: CommunityId.make("11111111-1111-4111-8111-111111111111"),
  insee,
  name: "Le Bourg",
  perimeter: square(-0.54, 44.75),
  status: "active"
})
export const graves = new Community({
  id: CommunityId.make("22222222-2222-4222-8222-222222222222"),
  insee,
  name: "Les Graves",
  perimeter: square(-0.56, 44.74),
  status: "active"
})

export const accountId = AccountId.make("33333333-3333-4333-8333-333333333333")

export const account = new Account({
  id: accountId,
  firstName: "Yvette",
  lastName: "Perrin",
  email: Option.some(Email.make("yvette.perrin@example.org")),
  phone: Option.some(PhoneE164.make("+33639980037")),
  phoneVerified: false,
  status: "active",
  staffRoles: [],
  createdAt: now
})

export const address = new HomeAddress({
  line1: "12 Rue de l'Église",
  line2: Option.none(),
  postcode,
  city: "Cadaujac",
  location: Option.none()
})

export const membership = (
  community: Community,
  status: Membership["status"],
  id = "44444444-4444-4444-8444-444444444444"
) =>
  new Membership({
    id: MembershipId.make(id),
    accountId,
    communityId: community.id,
    role: "resident",
    status,
    home: true,
    address,
    createdAt: now,
    verifiedAt: status === "verified" ? Option.some(now) : Option.none()
  })

export const me = (status: Membership["status"] = "verified") =>
  new Me({ account, memberships: [new MyMembership({ membership: membership(bourg, status), community: bourg })] })

export const alert = (overrides: Partial<ConstructorParameters<typeof Alert>[0]> = {}) =>
  new Alert({
    id: AlertId.make("55555555-5555-4555-8555-555555555555"),
    scope: { _tag: "Community", communityId: bourg.id },
    authorId: AccountId.make("66666666-6666-4666-8666-666666666666"),
    origin: "web",
    category: "suspicious_vehicle",
    urgency: "urgent",
    text: "Camionnette blanche qui tourne dans la rue depuis une heure",
    place: Option.some("Rue de l'Église"),
    sharedWithAuthorities: false,
    status: "published",
    createdAt: now,
    closedAt: Option.none(),
    ...overrides
  })

/** An alert as a member receives it: someone else's ("Chloé M."), unless `mine`. */
export const alertView = (overrides: Partial<ConstructorParameters<typeof AlertView>[0]> = {}) =>
  new AlertView({ ...Struct.omit(alert(), "authorId"), mine: false, authorName: Option.some("Chloé M."), ...overrides })

import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import type { Account, StaffRole } from "@vigie/domain/accounts/Account"
import { PasswordHasher } from "@vigie/domain/accounts/PasswordHasher"
import type { Alert } from "@vigie/domain/alerts/Alert"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import { InseeCode, Postcode } from "@vigie/domain/communities/Commune"
import type { Community } from "@vigie/domain/communities/Community"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import type { GazettePost } from "@vigie/domain/gazette/GazettePost"
import { expiryFrom } from "@vigie/domain/gazette/GazettePolicy"
import { GazetteRepo } from "@vigie/domain/gazette/GazetteRepo"
import type { GazetteCommentId } from "@vigie/domain/gazette/GazetteComment"
import { GazetteSocialRepo } from "@vigie/domain/gazette/GazetteSocialRepo"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import {
  HomeAddress,
  type Membership,
  type MembershipRole,
  type MembershipStatus
} from "@vigie/domain/membership/Membership"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import type { ConversationId, MessageId, MessageReportId } from "@vigie/domain/messaging/Conversation"
import { Messaging } from "@vigie/domain/messaging/Messaging"
import { MessagingRepo } from "@vigie/domain/messaging/MessagingRepo"
import type { ProposalId } from "@vigie/domain/proposals/CommunityProposal"
import { ProposalRepo } from "@vigie/domain/proposals/ProposalRepo"
import { Email, type PhoneE164 } from "@vigie/domain/shared/Text"
import { DateTime, Effect, Option, Redacted, Schema } from "effect"
import { actorOf } from "./Actors.js"
import { enrolStaff, logInWithSecondStep } from "./StaffSignIn.js"

/** Every kind of caller the authorization matrix of issue 3 names. */
export const actorKinds = [
  "anonymous",
  "pending",
  "memberA",
  "memberB",
  "referentA",
  "moderator",
  "mairie",
  "mairieOther",
  "police",
  "admin"
] as const
export type ActorKind = (typeof actorKinds)[number]

export const PASSWORD = "correct horse battery staple"
export const CADAUJAC = Schema.decodeSync(InseeCode)("33080")
export const CADAUJAC_POSTCODE = Schema.decodeSync(Postcode)("33140")
export const BORDEAUX = Schema.decodeSync(InseeCode)("33063")
export const VILLENAVE = Schema.decodeSync(InseeCode)("33550")

const square = (x: number): Polygon => ({
  type: "Polygon",
  coordinates: [[[x, 44.74], [x + 0.01, 44.74], [x + 0.01, 44.75], [x, 44.75], [x, 44.74]]]
})

export const homeAddress = (line1: string) =>
  new HomeAddress({ line1, line2: Option.none(), postcode: CADAUJAC_POSTCODE, city: "Cadaujac",
    location: Option.none() })

/**
 * A verified resident of `communityId` who logs in with PASSWORD: the person as given (names, e-mail,
 * phone, verified or not), living at `line1`.
 */
export const verifiedNeighbour = (person: {
  readonly communityId: Community["id"]
  readonly firstName: string
  readonly lastName: string
  readonly email: Email
  readonly phone: Option.Option<PhoneE164>
  readonly line1: string
}) =>
  Effect.gen(function*() {
    const account = yield* (yield* AccountRepo).insert({
      firstName: person.firstName,
      lastName: person.lastName,
      email: Option.some(person.email),
      phone: person.phone,
      phoneVerified: Option.isSome(person.phone),
      passwordHash: Option.some(yield* (yield* PasswordHasher).hash(Redacted.make(PASSWORD))),
      staffRoles: []
    }).pipe(Effect.orDie)
    yield* (yield* MembershipRepo).insert({
      accountId: account.id,
      communityId: person.communityId,
      role: "resident",
      status: "verified",
      address: homeAddress(person.line1)
    }).pipe(Effect.orDie)
    return account
  })

export interface World {
  readonly communityA: Community
  readonly communityB: Community
  readonly accounts: Record<Exclude<ActorKind, "anonymous">, Account>
  readonly emails: Record<Exclude<ActorKind, "anonymous">, Email>
  /** The pending member's membership in A, and two more pending memberships to vouch for. */
  readonly pendingMembership: Membership
  readonly toVouchByReferent: Membership
  readonly toVouchByMairie: Membership
  /** Published alerts of memberA in A, shared with the authorities. */
  readonly alertKept: Alert
  readonly alertToRetract: Alert
  readonly alertToResolve: Alert
  /** Published Gazette annonces of memberA in A: one to read, renew and close, one to withdraw. */
  readonly gazettePost: GazettePost
  readonly gazetteToWithdraw: GazettePost
  /** memberA's event in A, a week ahead, without a limit of places; referentA's comment on gazettePost. */
  readonly gazetteEvent: GazettePost
  readonly gazetteComment: GazetteCommentId
  /**
   * Pending quartier proposals: in Cadaujac, memberA's to accept and to withdraw, memberB's to refuse;
   * and memberB's in Villenave-d'Ornon, which is no Mairie Vigilante.
   */
  readonly proposals: {
    readonly toAccept: ProposalId
    readonly toRefuse: ProposalId
    readonly toWithdraw: ProposalId
    readonly elsewhere: ProposalId
  }
  /**
   * memberA's one-to-one conversation with referentA (the messagerie): memberA's first message, and
   * referentA's report of it to the moderators.
   */
  readonly conversation: {
    readonly id: ConversationId
    readonly messageId: MessageId
    readonly reportId: MessageReportId
  }
  /** A session token per actor (none for anonymous). */
  readonly tokens: Record<ActorKind, string | undefined>
}

/**
 * Two communities of Cadaujac (A, B), one account per actor kind with a session, pending
 * memberships to act on, and published alerts of memberA. `tag` keeps e-mails unique per suite.
 */
export const makeWorld = (tag: string) =>
  Effect.gen(function*() {
    const communities = yield* CommunityRepo
    const accounts = yield* AccountRepo
    const memberships = yield* MembershipRepo
    const hasher = yield* PasswordHasher
    const alerts = yield* AlertPublisher
    const passwordHash = yield* hasher.hash(Redacted.make(PASSWORD))

    const communityA = yield* communities.insert({ insee: CADAUJAC, name: `Quartier A ${tag}`,
      perimeter: square(-0.54) })
    const communityB = yield* communities.insert({ insee: CADAUJAC, name: `Quartier B ${tag}`,
      perimeter: square(-0.52) })

    const makeAccount = (kind: string, roles: ReadonlyArray<StaffRole> = []) =>
      accounts.insert({
        firstName: "Test",
        lastName: kind,
        email: Option.some(Schema.decodeSync(Email)(`${kind.toLowerCase()}.${tag}@example.org`)),
        phone: Option.none(),
        phoneVerified: false,
        passwordHash: Option.some(passwordHash),
        staffRoles: roles
      }).pipe(Effect.orDie)
    const join = (
      account: Account,
      community: Community,
      status: MembershipStatus,
      role: MembershipRole = "resident"
    ) =>
      memberships.insert({ accountId: account.id, communityId: community.id, role, status,
        address: homeAddress(`1 rue ${account.lastName}`) })
        .pipe(Effect.orDie)

    const pending = yield* makeAccount("pending")
    const memberA = yield* makeAccount("memberA")
    const memberB = yield* makeAccount("memberB")
    const referentA = yield* makeAccount("referentA")
    const moderator = yield* makeAccount("moderator", [{ _tag: "Moderator" }])
    const mairie = yield* makeAccount("mairie", [{ _tag: "MairieAgent", insee: CADAUJAC }])
    const mairieOther = yield* makeAccount("mairieOther", [{ _tag: "MairieAgent", insee: BORDEAUX }])
    const police = yield* makeAccount("police", [{ _tag: "MunicipalPolice", insee: CADAUJAC }])
    const admin = yield* makeAccount("admin", [{ _tag: "Admin" }])
    const vouchee1 = yield* makeAccount("vouchee1")
    const vouchee2 = yield* makeAccount("vouchee2")

    const pendingMembership = yield* join(pending, communityA, "pending_verification")
    yield* join(memberA, communityA, "verified")
    yield* join(memberB, communityB, "verified")
    yield* join(referentA, communityA, "verified", "referent")
    const toVouchByReferent = yield* join(vouchee1, communityA, "pending_verification")
    const toVouchByMairie = yield* join(vouchee2, communityA, "pending_verification")

    // 40 minutes ago: in the rate limit's hour, past the trust policy's 30-minute burst window, so
    // memberA's next alert is published at once (issue 7 holds a member's 4th alert in 30 minutes).
    const now = DateTime.subtract(yield* DateTime.now, { minutes: 40 })
    const postAlert = (text: string) =>
      Effect.map(
        alerts.post({
          scope: { _tag: "Community", communityId: communityA.id },
          authorId: memberA.id,
          origin: "web",
          category: "suspicious_vehicle",
          urgency: "urgent",
          text,
          place: Option.none(),
          sharedWithAuthorities: true,
          status: "published"
        }, now),
        (r) => r.alert
      )
    const alertKept = yield* postAlert("Camionnette blanche arrêtée longtemps devant l'école")
    const alertToRetract = yield* postAlert("Voiture qui tourne dans le lotissement")
    const alertToResolve = yield* postAlert("Portail ouvert au 3 rue des Vignes")

    const gazette = yield* GazetteRepo
    const annonce = (title: string) =>
      gazette.insert({
        kind: "annonce",
        communityId: communityA.id,
        insee: CADAUJAC,
        authorId: memberA.id,
        title,
        body: "En bon état, à venir chercher.",
        photos: [],
        attachment: null,
        details: { _tag: "annonce", offer: "donne" },
        status: "published",
        holdReasons: [],
        createdAt: now,
        expiresAt: expiryFrom("annonce", now)
      })
    const gazettePost = yield* annonce("Vélo d'enfant")
    const gazetteToWithdraw = yield* annonce("Poussette")
    const gazetteEvent = yield* gazette.insert({
      kind: "evenement",
      communityId: communityA.id,
      insee: CADAUJAC,
      authorId: memberA.id,
      title: "Fête des voisins",
      body: "Chacun apporte un plat.",
      photos: [],
      attachment: null,
      details: { _tag: "evenement", startsAt: DateTime.add(now, { days: 7 }), place: "Square des Lilas" },
      status: "published",
      holdReasons: [],
      createdAt: now,
      expiresAt: null
    })
    const gazetteComment = (yield* (yield* GazetteSocialRepo).insertComment({
      postId: gazettePost.id,
      parentId: null,
      authorId: referentA.id,
      body: "Toujours disponible ?",
      status: "published",
      holdReasons: [],
      createdAt: now
    })).id

    const proposalRepo = yield* ProposalRepo
    const propose = (requester: Account, insee: InseeCode, x: number, name: string) =>
      proposalRepo.insert({
        requesterId: requester.id,
        insee,
        name: `${name} ${tag}`,
        reason: "Notre rue n'a pas de quartier",
        perimeter: square(x),
        address: new HomeAddress({ line1: "5 rue Nouvelle", line2: Option.none(), postcode: CADAUJAC_POSTCODE,
          city: insee === CADAUJAC ? "Cadaujac" : "Villenave-d'Ornon", location: Option.none() }),
        at: now
      })
    const proposals = {
      toAccept: yield* propose(memberA, CADAUJAC, -0.46, "Proposé à accepter"),
      toRefuse: yield* propose(memberB, CADAUJAC, -0.44, "Proposé à refuser"),
      toWithdraw: yield* propose(memberA, CADAUJAC, -0.42, "Proposé à retirer"),
      elsewhere: yield* propose(memberB, VILLENAVE, -0.56, "Proposé ailleurs")
    }

    const started = yield* (yield* Messaging).start(
      actorOf(memberA),
      { origin: "member", accountIds: [referentA.id] },
      "Bonjour, c'est pour le vélo.",
      []
    ).pipe(Effect.orDie)
    const messagingRepo = yield* MessagingRepo
    yield* messagingRepo.insertReport({ messageId: started.message.id, conversationId: started.conversationId,
      reporterId: referentA.id, reason: "insulting", note: null, at: now })
    const reportId = (yield* messagingRepo.openReports(100)).find((r) => r.messageId === started.message.id)!.id
    const conversation = { id: started.conversationId, messageId: started.message.id, reportId }

    const byKind = { pending, memberA, memberB, referentA, moderator, mairie, mairieOther, police, admin }
    const tokens = { anonymous: undefined } as Record<ActorKind, string | undefined>
    const emails = {} as Record<Exclude<ActorKind, "anonymous">, Email>
    for (const [kind, account] of Object.entries(byKind)) {
      const email = Option.getOrThrow(account.email)
      emails[kind as Exclude<ActorKind, "anonymous">] = email
      // Staff sign in with their second factor (issue 12): enrolled here, second step by recovery code.
      const recovery = account.staffRoles.length > 0 ? (yield* enrolStaff(account))[0] : undefined
      const login = yield* logInWithSecondStep(email, PASSWORD, recovery).pipe(Effect.orDie)
      tokens[kind as ActorKind] = Redacted.value(login.token)
    }
    return {
      communityA,
      communityB,
      accounts: byKind,
      emails,
      pendingMembership,
      toVouchByReferent,
      toVouchByMairie,
      alertKept,
      alertToRetract,
      alertToResolve,
      gazettePost,
      gazetteToWithdraw,
      gazetteEvent,
      gazetteComment,
      proposals,
      conversation,
      tokens
    } satisfies World
  })

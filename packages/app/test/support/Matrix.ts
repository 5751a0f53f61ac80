import { DateTime } from "effect"
import { PASSWORD, type ActorKind, type World } from "./World.js"

/** "data": the call succeeds; otherwise the `_tag` of the typed refusal. */
export type Outcome = "data" | string

export interface MatrixRow {
  readonly rpc: string
  readonly label?: string
  readonly payload: (world: World, actor: ActorKind) => unknown
  readonly expect: Record<ActorKind, Outcome>
}

const all = (outcome: Outcome): Record<ActorKind, Outcome> => ({
  anonymous: outcome,
  pending: outcome,
  memberA: outcome,
  memberB: outcome,
  referentA: outcome,
  moderator: outcome,
  mairie: outcome,
  mairieOther: outcome,
  police: outcome,
  admin: outcome
})

/**
 * Signed in as anybody: `outcome`; anonymous: Unauthenticated. An admin is a moderator too: unless
 * named, it gets the moderator's outcome.
 */
const signedIn = (outcome: Outcome, overrides: Partial<Record<ActorKind, Outcome>> = {}) => ({
  ...all(outcome),
  anonymous: "Unauthenticated",
  admin: overrides.moderator ?? outcome,
  ...overrides
})

/**
 * Moderators only: everybody else signed in is Forbidden. The admin (a moderator too) acts after the
 * moderator on the same alert or account: `admin` when that makes its outcome another.
 */
const moderatorsOnly = (moderator: Outcome = "data", admin: Outcome = moderator) =>
  signedIn("Forbidden", { moderator, admin })

/** Platform admins only: everybody else signed in is Forbidden. */
const adminsOnly = (admin: Outcome = "data") => signedIn("Forbidden", { moderator: "Forbidden", admin })

/** The smallest PDF with one page, in base64, as the web app sends a file. */
const TINY_PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
).toString("base64")

/** Uploads (issue 15, item 4): any signed-in, active account may send a file; a bad one is refused the same to all. */
const mediaRows: ReadonlyArray<MatrixRow> = [
  { rpc: "UploadFile", label: "a PDF", payload: () => ({ kind: "pdf", name: "compte-rendu.pdf", data: TINY_PDF }),
    expect: signedIn("data") },
  { rpc: "UploadFile", label: "a PDF sent as a photo", payload: () => ({ kind: "photo", data: TINY_PDF }),
    expect: signedIn("ImageUnreadable") }
]

const NOBODYS_APPEAL = "00000000-0000-4000-8000-00000000a99e"

/**
 * Moderation (issue 7), after every alert row: alertKept is flagged, hidden by referentA pending a
 * moderator, confirmed, appealed by its author memberA, restored, then hidden by the moderator.
 * Suspension and ban act on a member who is no actor (the référent's vouchee), so that no later row
 * changes.
 */
const moderationRows: ReadonlyArray<MatrixRow> = [
  { rpc: "ListModerationQueue", payload: () => ({ limit: 20 }), expect: moderatorsOnly() },
  { rpc: "GetModerationCase", payload: (w) => ({ alertId: w.alertKept.id }), expect: moderatorsOnly() },
  { rpc: "GetAuthorHistory", payload: (w) => ({ accountId: w.accounts.memberA.id }), expect: moderatorsOnly() },
  {
    rpc: "ApproveAlert",
    label: "a published alert",
    payload: (w) => ({ alertId: w.alertKept.id }),
    expect: moderatorsOnly("InvalidAlertTransition")
  },
  { rpc: "MarkAlertReviewed", payload: (w) => ({ alertId: w.alertKept.id }),
    expect: moderatorsOnly("data", "AlreadyReviewed") },
  {
    rpc: "FlagAlert",
    payload: (w) => ({ alertId: w.alertKept.id, reason: "personal_data", text: "Une plaque est lisible" }),
    expect: signedIn("AlertNotFound", { memberA: "data", referentA: "data", moderator: "data", mairie: "data",
      police: "data" })
  },
  { rpc: "ListFlags", payload: () => ({ limit: 20 }),
    expect: signedIn("Forbidden", { referentA: "data", moderator: "data" }) },
  {
    rpc: "HideAlertPendingReview",
    payload: (w) => ({ alertId: w.alertKept.id, reason: "personal_data" }),
    // referentA hides it first: the mairie and the police, who come after, no longer see it.
    expect: signedIn("AlertNotFound", { memberA: "Forbidden", referentA: "data", moderator: "InvalidAlertTransition" })
  },
  { rpc: "ConfirmPendingHide", payload: (w) => ({ alertId: w.alertKept.id }),
    expect: moderatorsOnly("data", "NotPendingHide") },
  {
    rpc: "AppealHiding",
    payload: (w) => ({ alertId: w.alertKept.id, text: "La plaque était celle de ma propre voiture." }),
    expect: signedIn("AlertNotFound", { memberA: "data", moderator: "Forbidden" })
  },
  {
    rpc: "GetMyAlertModeration",
    payload: (w) => ({ alertId: w.alertKept.id }),
    expect: signedIn("AlertNotFound", { memberA: "data", moderator: "data" })
  },
  {
    rpc: "DecideAppeal",
    label: "an appeal that is nobody's",
    payload: () => ({ appealId: NOBODYS_APPEAL, decision: "restore", reason: "Rien d'identifiant" }),
    expect: moderatorsOnly("AppealNotFound")
  },
  { rpc: "RestoreAlert", payload: (w) => ({ alertId: w.alertKept.id, note: "Appel fondé" }),
    expect: moderatorsOnly("data", "InvalidAlertTransition") },
  { rpc: "DismissFlags", payload: (w) => ({ alertId: w.alertKept.id }), expect: moderatorsOnly("NoOpenFlags") },
  {
    rpc: "HideAlert",
    payload: (w) => ({ alertId: w.alertKept.id, reason: "other", details: "Doublon d'une alerte du quartier B" }),
    expect: moderatorsOnly("data", "InvalidAlertTransition")
  },
  {
    rpc: "WarnAuthor",
    payload: (w) => ({ accountId: w.accounts.memberA.id, alertId: w.alertKept.id, reason: "personal_data" }),
    expect: moderatorsOnly()
  },
  {
    rpc: "SuspendAccount",
    payload: (w) => ({ accountId: w.toVouchByReferent.accountId, note: "Menaces envers un voisin" }),
    expect: moderatorsOnly("data", "InvalidAccountTransition")
  },
  {
    rpc: "LiftSuspension",
    payload: (w) => ({ accountId: w.toVouchByReferent.accountId, note: "Excuses présentées" }),
    expect: moderatorsOnly("data", "InvalidAccountTransition")
  },
  {
    rpc: "BanFromCommunity",
    payload: (w) => ({ accountId: w.toVouchByReferent.accountId, communityId: w.communityA.id,
      note: "N'habite pas le quartier" }),
    expect: moderatorsOnly("data", "InvalidMembershipTransition")
  },
  {
    rpc: "LiftBan",
    payload: (w) => ({ accountId: w.toVouchByReferent.accountId, communityId: w.communityA.id,
      note: "Justificatif reçu" }),
    expect: moderatorsOnly("data", "InvalidMembershipTransition")
  },
  { rpc: "SearchAuditLog", payload: () => ({ query: {}, limit: 20 }), expect: moderatorsOnly() }
]

/**
 * The messagerie (issue 16): memberA and referentA share quartier A and a conversation (World); memberB
 * lives in B; the pending member and the staff are no verified members. Whoever is not in the
 * conversation gets ConversationNotFound; a recipient out of reach, RecipientUnavailable. memberA and
 * the référent leave it last.
 */
const notVerified = { pending: "Forbidden", moderator: "Forbidden", mairie: "Forbidden", mairieOther: "Forbidden",
  police: "Forbidden", admin: "Forbidden" }
const inConversation = (outcome: Outcome = "data") =>
  signedIn("ConversationNotFound", { memberA: outcome, referentA: outcome })
const messagingRows: ReadonlyArray<MatrixRow> = [
  {
    rpc: "PreviewConversation",
    payload: (w) => ({ to: { _tag: "Members", accountIds: [w.accounts.referentA.id] } }),
    expect: signedIn("RecipientUnavailable", { ...notVerified, memberA: "data", referentA: "InvalidParticipants" })
  },
  {
    rpc: "PreviewConversation",
    label: "the author of memberA's resolved alert",
    payload: (w) => ({ to: { _tag: "AlertAuthor", alertId: w.alertToResolve.id } }),
    // memberA is its author; memberB may not read it; the staff who read it are no verified members.
    expect: signedIn("AlertNotFound", { moderator: "Forbidden", admin: "Forbidden", mairie: "Forbidden",
      police: "Forbidden", memberA: "RecipientUnavailable", referentA: "data" })
  },
  {
    rpc: "StartConversation",
    payload: (w) => ({ to: { _tag: "Members", accountIds: [w.accounts.referentA.id] }, text: "Vous êtes là ?" }),
    expect: signedIn("RecipientUnavailable", { ...notVerified, memberA: "data", referentA: "InvalidParticipants" })
  },
  {
    rpc: "StartConversation",
    label: "the author of memberA's Gazette post",
    payload: (w) => ({ to: { _tag: "PostAuthor", postId: w.gazettePost.id }, text: "Toujours disponible ?" }),
    // Whoever may not read the post, or wrote it, gets the one answer for unreachable recipients.
    expect: signedIn("RecipientUnavailable", { referentA: "data" })
  },
  {
    rpc: "StartConversation",
    label: "an empty text",
    payload: (w) => ({ to: { _tag: "Members", accountIds: [w.accounts.referentA.id] }, text: "   " }),
    expect: signedIn("InvalidMessage", notVerified)
  },
  {
    rpc: "SendMessage",
    payload: (w) => ({ conversationId: w.conversation.id, text: "À tout à l'heure" }),
    expect: inConversation()
  },
  { rpc: "ListConversations", payload: () => ({}), expect: signedIn("data") },
  { rpc: "GetConversation", payload: (w) => ({ conversationId: w.conversation.id }), expect: inConversation() },
  {
    rpc: "MarkConversationRead",
    payload: (w) => ({ conversationId: w.conversation.id, upTo: w.conversation.messageId }),
    expect: inConversation()
  },
  { rpc: "CountUnreadMessages", payload: () => ({}), expect: signedIn("data") },
  {
    rpc: "ReportMessage",
    payload: (w) => ({ messageId: w.conversation.messageId, reason: "insulting", note: "" }),
    // Its author does not report their own; nobody outside the conversation learns it exists.
    expect: signedIn("MessageNotFound", { referentA: "data" })
  },
  { rpc: "ListMessageReports", payload: () => ({}), expect: moderatorsOnly() },
  { rpc: "ReadMessageReport", payload: (w) => ({ reportId: w.conversation.reportId }), expect: moderatorsOnly() },
  {
    rpc: "CloseMessageReport",
    payload: (w) => ({ reportId: w.conversation.reportId, note: "Rien de grave" }),
    expect: moderatorsOnly("data", "MessageReportNotFound")
  },
  { rpc: "GetMessagingPreferences", payload: () => ({}), expect: signedIn("data") },
  { rpc: "UpdateMessagingPreferences", payload: () => ({ emailWhenUnread: true }), expect: signedIn("data") },
  { rpc: "LeaveConversation", payload: (w) => ({ conversationId: w.conversation.id }), expect: inConversation() }
]

/** Staff sign-in (issue 12): every staff actor of the world has enrolled its second factor already. */
const enrolledStaff = { moderator: "AlreadyEnrolled", mairie: "AlreadyEnrolled", mairieOther: "AlreadyEnrolled",
  police: "AlreadyEnrolled", admin: "AlreadyEnrolled" }
const staffSignInRows: ReadonlyArray<MatrixRow> = [
  { rpc: "GetSecondFactorStatus", payload: () => ({}), expect: signedIn("data") },
  { rpc: "BeginTotpEnrolment", payload: () => ({}), expect: signedIn("Forbidden", enrolledStaff) },
  { rpc: "ConfirmTotpEnrolment", payload: () => ({ code: "000000" }), expect: signedIn("Forbidden", enrolledStaff) },
  {
    rpc: "CompleteSignIn",
    label: "a challenge that is nobody's",
    payload: () => ({ challenge: "bm9ib2R5cy1jaGFsbGVuZ2U", code: "000000" }),
    expect: all("SignInChallengeExpired")
  },
  {
    rpc: "AcceptStaffInvitation",
    label: "an invitation that is nobody's",
    payload: () => ({ token: "bm9ib2R5cy1pbnZpdGF0aW9u", password: "une phrase de passe assez longue" }),
    expect: all("InvitationNotFound")
  }
]

/**
 * The account lifecycle (issue 12): forgotten password for anybody, the same answer whether the
 * account exists or not; one's own password and address for the signed-in. The password "changes"
 * to itself, so that no later row is affected.
 */
const lifecycleRows: ReadonlyArray<MatrixRow> = [
  { rpc: "RequestPasswordReset", payload: (w) => ({ email: w.emails.memberA }), expect: all("data") },
  { rpc: "RequestPasswordResetCode", payload: () => ({ phone: "06 39 98 10 99" }), expect: all("data") },
  {
    rpc: "CompletePasswordReset",
    label: "a token that is nobody's",
    payload: () => ({ token: "bm9ib2R5cy10b2tlbg", password: "une phrase de passe assez longue" }),
    expect: all("LinkNotFound")
  },
  {
    rpc: "CompletePasswordResetByCode",
    payload: () => ({ phone: "06 39 98 10 98", code: "123456", password: "une phrase de passe assez longue" }),
    expect: all("WrongResetCode")
  },
  {
    rpc: "RequestEmailChange",
    payload: (w, actor) => ({ newEmail: `moved.${actor}.${w.communityA.id.slice(0, 8)}@example.org`,
      password: PASSWORD }),
    expect: signedIn("data")
  },
  {
    rpc: "ConfirmEmailChange",
    label: "a token that is nobody's",
    payload: () => ({ token: "bm9ib2R5cy10b2tlbg" }),
    expect: all("LinkNotFound")
  },
  { rpc: "ChangePassword", payload: () => ({ currentPassword: PASSWORD, newPassword: PASSWORD }),
    expect: signedIn("data") }
]

/**
 * Quartiers managed by the mairie (issue 14): the agents of the commune and the admins (also
 * test/mairie/QuartierAccess.test.ts, every RPC as an admin through the RPC server). After the moderation rows: B is
 * renamed then archived, A redrawn as it was (nobody falls outside), the member the mairie vouched for
 * appointed then removed as référent.
 */
const mairieOnly = signedIn("Forbidden", { mairie: "data", admin: "data" })
const apart = {
  type: "Polygon",
  coordinates: [[[-0.5, 44.74], [-0.49, 44.74], [-0.49, 44.75], [-0.5, 44.75], [-0.5, 44.74]]]
}
const further = {
  type: "Polygon",
  coordinates: [[[-0.48, 44.74], [-0.47, 44.74], [-0.47, 44.75], [-0.48, 44.75], [-0.48, 44.74]]]
}
const quartierRows: ReadonlyArray<MatrixRow> = [
  { rpc: "ListManagedCommunities", payload: () => ({ insee: "33080" }), expect: mairieOnly },
  { rpc: "GetManagedCommune", payload: () => ({ insee: "33080" }), expect: mairieOnly },
  { rpc: "ListCommunityMembers", payload: (w) => ({ communityId: w.communityA.id }), expect: mairieOnly },
  {
    rpc: "CreateCommunity",
    // The admin draws another one, further east: the agent's is there already.
    payload: (_, actor) =>
      actor === "admin"
        ? { insee: "33080", name: "Quartier de l'administration", perimeter: further }
        : { insee: "33080", name: "Quartier de la matrice", perimeter: apart },
    expect: mairieOnly
  },
  { rpc: "RenameCommunity", payload: (w) => ({ communityId: w.communityB.id, name: "Quartier B renommé" }),
    expect: mairieOnly },
  { rpc: "PreviewRedraw", payload: (w) => ({ communityId: w.communityA.id, perimeter: w.communityA.perimeter }),
    expect: mairieOnly },
  {
    rpc: "RedrawCommunity",
    payload: (w) => ({ communityId: w.communityA.id, perimeter: w.communityA.perimeter, acknowledged: [] }),
    expect: mairieOnly
  },
  { rpc: "AppointReferent", payload: (w) => ({ communityId: w.communityA.id, membershipId: w.toVouchByMairie.id }),
    expect: mairieOnly },
  { rpc: "RemoveReferent", payload: (w) => ({ communityId: w.communityA.id, membershipId: w.toVouchByMairie.id }),
    expect: mairieOnly },
  // The admin comes after the agent archived B: past the access check, the quartier is archived already.
  { rpc: "ArchiveCommunity", payload: (w) => ({ communityId: w.communityB.id }),
    expect: { ...mairieOnly, admin: "CommunityArchived" } }
]

/**
 * The platform administration (issue 14): admins only, the moderator included among the refused; the
 * police contact for the commune's mairie agent (and admins). Cadaujac is activated first; the admin's
 * last row revokes another commune's agent, then its own Admin role (refused: the only admin).
 */
const administrationRows: ReadonlyArray<MatrixRow> = [
  { rpc: "SearchOfficialCommunes", payload: () => ({ query: "Villenave" }), expect: adminsOnly() },
  { rpc: "ActivateVigilantCommune", payload: () => ({ insee: "33080" }), expect: adminsOnly() },
  {
    rpc: "ActivateVigilantCommune",
    label: "an unknown INSEE code",
    payload: () => ({ insee: "33999" }),
    expect: adminsOnly("UnknownCommune")
  },
  { rpc: "ListVigilantCommunes", payload: () => ({}), expect: adminsOnly() },
  {
    rpc: "InviteCommuneStaff",
    payload: (w, actor) => ({ insee: "33080", role: "police", firstName: "Agent", lastName: "Invité",
      email: `invited.${actor}.${w.communityA.id.slice(0, 8)}@example.org` }),
    expect: adminsOnly()
  },
  {
    rpc: "InviteCommuneStaff",
    label: "a commune not vigilant",
    payload: (w, actor) => ({ insee: "33550", role: "mairie", firstName: "Agent", lastName: "Invité",
      email: `refused.${actor}.${w.communityA.id.slice(0, 8)}@example.org` }),
    expect: adminsOnly("CommuneNotVigilant")
  },
  { rpc: "ListStaffRoles", label: "of one commune", payload: () => ({ insee: "33080" }), expect: adminsOnly() },
  { rpc: "ListStaffRoles", label: "all", payload: () => ({}), expect: adminsOnly() },
  {
    rpc: "GetPoliceContact",
    payload: () => ({ insee: "33080" }),
    expect: signedIn("Forbidden", { moderator: "Forbidden", mairie: "data", police: "data", admin: "data" })
  },
  {
    rpc: "SetPoliceContact",
    payload: () => ({ insee: "33080",
      contact: { phone: "05 56 30 94 50", details: "Place de la Mairie, 8 h – 18 h" } }),
    // The agent of another commune and the police are refused: the mairie enters it.
    expect: signedIn("Forbidden", { moderator: "Forbidden", mairie: "data", admin: "data" })
  },
  {
    rpc: "RevokeStaffRole",
    label: "another commune's agent",
    payload: (w) => ({ accountId: w.accounts.mairieOther.id, role: { _tag: "MairieAgent", insee: "33063" } }),
    expect: adminsOnly()
  },
  {
    rpc: "RevokeStaffRole",
    label: "the only admin's own role",
    payload: (w) => ({ accountId: w.accounts.admin.id, role: { _tag: "Admin" } }),
    expect: adminsOnly("LastAdminRole")
  }
]

/**
 * Quartier proposals (issue 14, item 3), after the administration rows (Cadaujac is vigilant by then;
 * the other commune's agent has lost its role). Anybody signed in proposes; the commune's agent and the
 * admins decide (the admin after the agent: decided already); Villenave-d'Ornon is not vigilant, so
 * only the admins decide there; only the requester (memberA) withdraws.
 */
const proposalPerimeter = (x: number) => ({
  type: "Polygon",
  coordinates: [[[x, 44.76], [x + 0.005, 44.76], [x + 0.005, 44.765], [x, 44.765], [x, 44.76]]]
})
const deciders = signedIn("Forbidden", { moderator: "Forbidden", mairie: "data", admin: "ProposalAlreadyDecided" })
const proposalRows: ReadonlyArray<MatrixRow> = [
  {
    rpc: "ProposeCommunity",
    payload: (_, actor) => ({ insee: "33080", name: `Rue proposée par ${actor}`, reason: "Pas de quartier ici",
      perimeter: proposalPerimeter(-0.6 + actorIndex(actor) * 0.01),
      address: { line1: "7 rue Neuve", postcode: "33140", city: "Cadaujac" } }),
    expect: signedIn("data")
  },
  {
    rpc: "RegisterWithProposal",
    payload: (w, actor) => ({
      firstName: "Nouveau",
      lastName: "Proposant",
      email: `proposer.${actor}.${w.communityA.id.slice(0, 8)}@example.org`,
      password: "une phrase de passe assez longue",
      insee: "33080",
      name: "Quartier proposé à l'inscription",
      reason: "Aucun quartier dans ma rue",
      perimeter: proposalPerimeter(-0.7),
      address: { line1: "8 rue Neuve", postcode: "33140", city: "Cadaujac" }
    }),
    expect: all("data")
  },
  { rpc: "ListMyProposals", payload: () => ({}), expect: signedIn("data") },
  { rpc: "ListProposals", label: "of Cadaujac, vigilant", payload: () => ({ insee: "33080" }),
    expect: signedIn("Forbidden", { moderator: "Forbidden", mairie: "data", admin: "data" }) },
  { rpc: "ListProposals", label: "of the communes not vigilant", payload: () => ({}), expect: adminsOnly() },
  { rpc: "AcceptProposal", payload: (w) => ({ proposalId: w.proposals.toAccept }), expect: deciders },
  {
    rpc: "AcceptProposal",
    label: "in a commune not vigilant",
    payload: (w) => ({ proposalId: w.proposals.elsewhere }),
    expect: adminsOnly()
  },
  {
    rpc: "RefuseProposal",
    payload: (w) => ({ proposalId: w.proposals.toRefuse, reason: "Ce secteur est déjà suivi" }),
    expect: deciders
  },
  {
    rpc: "WithdrawProposal",
    payload: (w) => ({ proposalId: w.proposals.toWithdraw }),
    expect: signedIn("ProposalNotFound", { memberA: "data" })
  }
]

/**
 * Every RPC for every actor of issue 3, in the order they run (some rows prepare the next: the
 * letter before its code, the phone code before its confirmation).
 */
/**
 * A member's quartiers over time (issue 14, item 4), near the end as they change memberships (B is
 * archived by then, A is open): only memberB, verified in B, may move to A (the others have no
 * verified home, or theirs is in A); then every signed-in account not yet in A may ask to join it;
 * only the pending member may leave its own pending membership.
 */
const joiningRows: ReadonlyArray<MatrixRow> = [
  {
    rpc: "MoveHome",
    payload: (w) => ({ communityId: w.communityA.id,
      address: { line1: "2 rue du Port", postcode: "33140", city: "Cadaujac" } }),
    expect: signedIn("MoveNotAllowed", { memberB: "data" })
  },
  {
    rpc: "JoinCommunity",
    payload: (w) => ({ communityId: w.communityA.id,
      address: { line1: "9 allée des Pins", postcode: "33140", city: "Cadaujac" } }),
    expect: signedIn("data", { pending: "AlreadyMember", memberA: "AlreadyMember", memberB: "AlreadyMember",
      referentA: "AlreadyMember" })
  },
  {
    rpc: "LeaveCommunity",
    payload: (w) => ({ membershipId: w.pendingMembership.id }),
    expect: signedIn("MembershipNotFound", { pending: "data" })
  }
]

/**
 * Neighbours without internet (issue 14, item 5): the référent of quartier A and the agent of its
 * commune register one (each actor a number of its own); the claim calls are anonymous-callable and
 * answer an unknown number the same way (a claim code for nobody).
 */
const paperRows: ReadonlyArray<MatrixRow> = [
  {
    rpc: "RegisterPaperNeighbour",
    payload: (w, actor) => ({
      communityId: w.communityA.id,
      firstName: "Germaine",
      lastName: "Papier",
      address: { line1: "3 chemin des Vignes", postcode: "33140", city: "Cadaujac" },
      phone: `06 39 98 30 ${String(10 + actorIndex(actor)).padStart(2, "0")}`,
      consent: true,
      voiceUrgent: true
    }),
    expect: signedIn("Forbidden", { referentA: "data", mairie: "data" })
  },
  { rpc: "RequestAccountClaim", payload: (_, actor) => ({ phone: `06 39 98 40 ${String(10 + actorIndex(actor))}` }),
    expect: all("data") },
  {
    rpc: "RequestAccountClaim",
    label: "by letter, a landline registered by nobody",
    payload: (_, actor) => ({ phone: `05 49 98 40 ${String(10 + actorIndex(actor))}`, by: "letter" }),
    expect: all("data")
  },
  {
    rpc: "ClaimAccount",
    label: "a letter's code for a landline registered by nobody",
    payload: (_, actor) => ({ phone: `05 49 98 40 ${String(10 + actorIndex(actor))}`, code: "7K3M-9QX2-TA",
      email: `claim.letter.${actor}@example.org`, password: "une phrase de passe assez longue" }),
    expect: all("NoPendingCode")
  },
  {
    rpc: "ClaimAccount",
    label: "a number registered by nobody",
    payload: (_, actor) => ({ phone: `06 39 98 40 ${String(10 + actorIndex(actor))}`, code: "123456",
      email: `claim.${actor}@example.org`, password: "une phrase de passe assez longue" }),
    expect: all("NoPendingCode")
  }
]

const gazetteRows: ReadonlyArray<MatrixRow> = [
  {
    rpc: "ListGazette",
    payload: (w) => ({ communityId: w.communityA.id }),
    // The mairie agent of the commune reads its communications there; nobody else outside the quartier.
    expect: signedIn("NotAVerifiedMember", { memberA: "data", referentA: "data", mairie: "data" })
  },
  {
    rpc: "GetGazettePost",
    payload: (w) => ({ postId: w.gazettePost.id }),
    expect: signedIn("GazettePostNotFound", { memberA: "data", referentA: "data" })
  },
  {
    rpc: "PublishGazettePost",
    payload: (w) => ({
      communityId: w.communityA.id,
      title: "Tondeuse à prêter",
      body: "Je prête ma tondeuse le week-end.",
      details: { _tag: "annonce", offer: "prete" }
    }),
    expect: signedIn("NotAVerifiedMember", { memberA: "data", referentA: "data" })
  },
  {
    rpc: "RenewGazettePost",
    payload: (w) => ({ postId: w.gazettePost.id }),
    expect: signedIn("GazettePostNotFound", { memberA: "data", referentA: "Forbidden" })
  },
  {
    rpc: "CloseGazettePost",
    payload: (w) => ({ postId: w.gazettePost.id, outcome: "donne" }),
    expect: signedIn("GazettePostNotFound", { memberA: "data", referentA: "Forbidden" })
  },
  {
    rpc: "WithdrawGazettePost",
    payload: (w) => ({ postId: w.gazetteToWithdraw.id }),
    // Once memberA withdrew it, nobody reads it any more.
    expect: signedIn("GazettePostNotFound", { memberA: "data" })
  },
  {
    rpc: "PublishMairieCommunication",
    payload: () => ({ insee: "33080", title: "Coupure d'eau", body: "Mardi de 9 h à 12 h, rue des Écoles." }),
    expect: signedIn("Forbidden", { mairie: "data" })
  }
]

/**
 * Comments, merci and events (issue 15, items 2-3), after the posts' rows: readers of gazettePost
 * (memberA its author, referentA) take part, everybody else gets GazettePostNotFound; referentA's
 * comment (world.gazetteComment) is deleted by referentA; memberA moves, then cancels, gazetteEvent.
 */
const gazetteSocialRows: ReadonlyArray<MatrixRow> = [
  {
    rpc: "CommentGazettePost",
    payload: (w) => ({ postId: w.gazettePost.id, text: "Je peux passer samedi ?" }),
    expect: signedIn("GazettePostNotFound", { memberA: "data", referentA: "data" })
  },
  {
    rpc: "ListGazetteComments",
    payload: (w) => ({ postId: w.gazettePost.id }),
    expect: signedIn("GazettePostNotFound", { memberA: "data", referentA: "data" })
  },
  {
    rpc: "DeleteGazetteComment",
    payload: (w) => ({ commentId: w.gazetteComment }),
    expect: signedIn("GazetteCommentNotFound", { memberA: "Forbidden", referentA: "data" })
  },
  {
    rpc: "ThankGazettePost",
    payload: (w) => ({ postId: w.gazettePost.id }),
    expect: signedIn("GazettePostNotFound", { memberA: "data", referentA: "data" })
  },
  {
    rpc: "UnthankGazettePost",
    payload: (w) => ({ postId: w.gazettePost.id }),
    expect: signedIn("GazettePostNotFound", { memberA: "data", referentA: "data" })
  },
  {
    rpc: "GetGazetteThanks",
    payload: (w) => ({ postId: w.gazettePost.id }),
    expect: signedIn("GazettePostNotFound", { memberA: "data", referentA: "data" })
  },
  {
    rpc: "AnswerGazetteEvent",
    payload: (w) => ({ postId: w.gazetteEvent.id, answer: "going" }),
    expect: signedIn("GazettePostNotFound", { memberA: "data", referentA: "data" })
  },
  {
    rpc: "GetGazetteEventAnswers",
    payload: (w) => ({ postId: w.gazetteEvent.id }),
    expect: signedIn("GazettePostNotFound", { memberA: "data", referentA: "data" })
  },
  {
    rpc: "MoveGazetteEvent",
    payload: (w) => ({
      postId: w.gazetteEvent.id,
      startsAt: DateTime.formatIso(DateTime.add(DateTime.unsafeNow(), { days: 8 })),
      place: "Salle des fêtes"
    }),
    expect: signedIn("GazettePostNotFound", { memberA: "data", referentA: "Forbidden" })
  },
  {
    rpc: "CancelGazetteEvent",
    payload: (w) => ({ postId: w.gazetteEvent.id }),
    expect: signedIn("GazettePostNotFound", { memberA: "data", referentA: "Forbidden" })
  }
]

const NOBODYS_GAZETTE_APPEAL = "00000000-0000-4000-8000-00000000a98e"

/**
 * The Gazette's moderation, after the Gazette's rows: referentA flags memberA's annonce (its author
 * may not, staff read nothing of it), the moderator hides it, memberA appeals, the moderator restores
 * it; the admin (a moderator too) comes after the moderator on the same post.
 */
const gazetteModerationRows: ReadonlyArray<MatrixRow> = [
  {
    rpc: "FlagGazettePost",
    payload: (w) => ({ postId: w.gazettePost.id, reason: "off_topic", text: "Rien à voir avec le quartier" }),
    expect: signedIn("GazettePostNotFound", { memberA: "Forbidden", referentA: "data" })
  },
  { rpc: "ListGazetteModerationQueue", payload: () => ({ limit: 20 }), expect: moderatorsOnly() },
  {
    rpc: "ApproveGazettePost",
    payload: (w) => ({ postId: w.gazettePost.id }),
    expect: moderatorsOnly("GazetteModerationConflict")
  },
  {
    rpc: "HideGazettePost",
    payload: (w) => ({ postId: w.gazettePost.id, reason: "off_topic" }),
    expect: moderatorsOnly("data", "GazetteModerationConflict")
  },
  {
    rpc: "AppealGazetteHiding",
    payload: (w) => ({ postId: w.gazettePost.id, text: "Ce n'est pas hors sujet : le vélo est dans le quartier." }),
    // Only its author reads a hidden post.
    expect: signedIn("GazettePostNotFound", { memberA: "data" })
  },
  {
    rpc: "DecideGazetteAppeal",
    payload: () => ({ appealId: NOBODYS_GAZETTE_APPEAL, decision: "restore", reason: "Annonce conforme" }),
    expect: moderatorsOnly("GazetteAppealNotFound")
  },
  {
    rpc: "RestoreGazettePost",
    payload: (w) => ({ postId: w.gazettePost.id }),
    expect: moderatorsOnly("data", "GazetteModerationConflict")
  }
]

/**
 * Profiles, the annuaire and blocking (issue 16), last: memberA and referentA share quartier A;
 * pending is not verified there, memberB lives in B, staff never see the annuaire nor a profile but
 * their own (mairieOther is no staff by then: an administration row revoked its role). Each blocks a neighbour (memberA blocks referentA and referentA memberA), then lifts it.
 */
const directoryRows: ReadonlyArray<MatrixRow> = [
  { rpc: "GetMyProfile", payload: () => ({}), expect: signedIn("data") },
  {
    rpc: "SaveMyProfile",
    payload: () => ({ listed: true, nameStyle: "short", photoId: null, presentation: "Bonjour les voisins",
      interests: ["jardinage"], interestsOther: "", skills: [], skillsOther: "", languages: ["fr"],
      visibility: { street: "members" } }),
    expect: signedIn("data")
  },
  {
    rpc: "SaveMyProfile",
    label: "an interest not on the list",
    payload: () => ({ listed: true, nameStyle: "short", photoId: null, presentation: "", interests: ["parachutisme"],
      interestsOther: "", skills: [], skillsOther: "", languages: [], visibility: {} }),
    expect: signedIn("InvalidProfile")
  },
  {
    rpc: "GetMemberProfile",
    payload: (w) => ({ accountId: w.accounts.memberA.id }),
    expect: signedIn("ProfileNotFound", { memberA: "data", referentA: "data" })
  },
  {
    rpc: "ListAnnuaire",
    payload: (w) => ({ communityId: w.communityA.id, query: "test" }),
    // mairieOther's role was revoked by an administration row: no staff any more, and no quartier.
    expect: signedIn("NotAVerifiedMember", { memberA: "data", referentA: "data", moderator: "Forbidden",
      mairie: "Forbidden", police: "Forbidden" })
  },
  {
    rpc: "BlockMember",
    payload: (w, actor) => ({ accountId: (actor === "referentA" ? w.accounts.memberA : w.accounts.referentA).id }),
    expect: signedIn("InvalidBlock", { memberA: "data", referentA: "data" })
  },
  { rpc: "ListMyBlocks", payload: () => ({}), expect: signedIn("data") },
  {
    rpc: "UnblockMember",
    payload: (w, actor) => ({ accountId: (actor === "referentA" ? w.accounts.memberA : w.accounts.referentA).id }),
    expect: signedIn("data")
  }
]

const NOBODYS_VEILLE = "00000000-0000-4000-8000-00000000e111"

/**
 * La veille (issue 17): a veille for oneself needs a verified membership of the quartier and a veilleur
 * of it (memberA choosing themself is refused, referentA choosing memberA has no phone for the
 * check-ins); staff have no quartier. Nobody may touch a veille that is not theirs; the mairie of the
 * commune alone reads its counts and enters its CCAS contact.
 */
const veilleRows: ReadonlyArray<MatrixRow> = [
  {
    rpc: "SetupVeille",
    payload: (w) => ({ communityId: w.communityA.id, days: [1, 4], time: "10:00", channel: "sms",
      veilleurs: [w.accounts.memberA.id], shareAddress: false, paperConsent: false }),
    expect: signedIn("Forbidden", { memberA: "VeilleurOutsideQuartier", referentA: "VeillePhoneUnsuitable" })
  },
  {
    rpc: "SetupVeille",
    label: "at 02:30, an hour the change to summer time skips",
    payload: (w) => ({ communityId: w.communityA.id, days: [1], time: "02:30", channel: "sms",
      veilleurs: [w.accounts.memberA.id], shareAddress: false, paperConsent: false }),
    expect: signedIn("Forbidden", { memberA: "VeilleTimeInvalid", referentA: "VeilleTimeInvalid" })
  },
  {
    rpc: "SetupVeille",
    label: "consent asked by SMS, for a member who is nobody's paper neighbour",
    payload: (w) => ({ person: w.accounts.memberB.id, communityId: w.communityA.id, days: [1], time: "10:00",
      channel: "sms", veilleurs: [w.accounts.memberA.id], shareAddress: false, paperConsent: false, smsConsent: true }),
    expect: signedIn("Forbidden")
  },
  { rpc: "GetVeille", payload: () => ({}), expect: signedIn("data") },
  {
    rpc: "GetVeille",
    label: "of a member who is no paper neighbour of theirs",
    payload: (w) => ({ person: w.accounts.memberB.id }),
    expect: signedIn("Forbidden", { memberB: "data" })
  },
  { rpc: "ListPaperNeighbours", payload: () => ({}), expect: signedIn("data") },
  { rpc: "ListVeilleurCandidates", payload: () => ({}), expect: signedIn("data") },
  {
    rpc: "ListVeilleurCandidates",
    label: "for a member of another quartier",
    payload: (w) => ({ person: w.accounts.memberB.id }),
    expect: signedIn("Forbidden", { memberB: "data" })
  },
  { rpc: "ListWatched", payload: () => ({}), expect: signedIn("data") },
  { rpc: "AnswerVeilleInvitation", payload: () => ({ veilleId: NOBODYS_VEILLE, accept: true }),
    expect: signedIn("VeilleNotFound") },
  { rpc: "SetVeilleAbsence", payload: () => ({ veilleId: NOBODYS_VEILLE, from: "2027-08-12", to: "2027-08-20" }),
    expect: signedIn("VeilleNotFound") },
  { rpc: "StopVeille", payload: () => ({ veilleId: NOBODYS_VEILLE }), expect: signedIn("VeilleNotFound") },
  { rpc: "RespondToVeille", payload: () => ({ veilleId: NOBODYS_VEILLE, answer: "going" }),
    expect: signedIn("VeilleNotFound") },
  { rpc: "GetVeilleHistory", payload: () => ({ veilleId: NOBODYS_VEILLE }), expect: signedIn("VeilleNotFound") },
  { rpc: "GetVeilleCounts", payload: () => ({ insee: "33080" }), expect: signedIn("Forbidden", { mairie: "data" }) },
  { rpc: "SetCcasContact", payload: () => ({ insee: "33080", email: "ccas@cadaujac.example" }),
    expect: signedIn("Forbidden", { mairie: "data" }) }
]

export const rows: ReadonlyArray<MatrixRow> = [
  { rpc: "FindCommunes", payload: () => ({ postcode: "33140" }), expect: all("data") },
  { rpc: "ListCommunities", payload: () => ({ insee: "33080" }), expect: all("data") },
  {
    rpc: "Register",
    payload: (w, actor) => ({
      firstName: "Nouvelle",
      lastName: "Voisine",
      email: `new.${actor}.${w.communityA.id.slice(0, 8)}@example.org`,
      password: "une phrase de passe assez longue",
      communityId: w.communityA.id,
      address: { line1: "4 chemin des Vignes", postcode: "33140", city: "Cadaujac" }
    }),
    expect: all("data")
  },
  {
    rpc: "LogIn",
    label: "unknown e-mail",
    payload: (_, actor) => ({ email: `nobody.${actor}@example.org`, password: "whatever it is" }),
    expect: all("InvalidCredentials")
  },
  { rpc: "WhoAmI", payload: () => ({}), expect: signedIn("data") },
  {
    rpc: "RequestActivationLetter",
    payload: (w) => ({ membershipId: w.pendingMembership.id }),
    expect: signedIn("MembershipNotFound", { pending: "data" })
  },
  {
    rpc: "ConfirmActivationCode",
    payload: (w) => ({ membershipId: w.pendingMembership.id, code: "0000-0000-00" }),
    expect: signedIn("MembershipNotFound", { pending: "WrongCode" })
  },
  {
    rpc: "ListPendingMembers",
    payload: (w) => ({ communityId: w.communityA.id }),
    expect: signedIn("Forbidden", { referentA: "data", mairie: "data" })
  },
  {
    rpc: "VouchForMember",
    payload: (w, actor) => ({ membershipId: (actor === "mairie" ? w.toVouchByMairie : w.toVouchByReferent).id }),
    expect: signedIn("Forbidden", { referentA: "data", mairie: "data" })
  },
  {
    rpc: "RequestPhoneCode",
    payload: (_, actor) => ({ phone: `06 39 98 10 ${String(10 + actorIndex(actor)).padStart(2, "0")}` }),
    expect: signedIn("data")
  },
  { rpc: "ConfirmPhoneCode", payload: () => ({ code: "000000" }), expect: signedIn("WrongCode") },
  { rpc: "GetPreferences", payload: () => ({}), expect: signedIn("data") },
  {
    rpc: "UpdatePreferences",
    payload: () => ({ sms: "urgent_only", email: "all", quietHours: { start: 1320, end: 420 } }),
    expect: signedIn("data")
  },
  { rpc: "GetGazettePreferences", payload: () => ({}), expect: signedIn("data") },
  {
    rpc: "UpdateGazettePreferences",
    payload: () => ({
      choices: { communication: "immediate", perdu_trouve: "immediate", entraide: "weekly", annonce: "none",
        covoiturage: "none", evenement: "weekly", vie_du_quartier: "weekly", compte_rendu: "none" },
      mairieSms: true
    }),
    expect: signedIn("data")
  },
  {
    rpc: "PostAlert",
    label: "to community A",
    payload: (w) => ({
      scope: { _tag: "Community", communityId: w.communityA.id },
      category: "suspicious_person",
      urgency: "info",
      text: "Une personne relève les numéros des boîtes aux lettres",
      sharedWithAuthorities: false
    }),
    expect: signedIn("NotAVerifiedMember", { memberA: "data", referentA: "data" })
  },
  {
    rpc: "PostAlert",
    label: "to the commune",
    payload: () => ({
      scope: { _tag: "Commune", insee: "33080" },
      category: "weather",
      urgency: "urgent",
      text: "Vigilance orange orages cet après-midi",
      sharedWithAuthorities: false
    }),
    // Town alerts go only through PreviewTownAlert and ConfirmTownAlert (issue 12).
    expect: signedIn("TownAlertNeedsPreview")
  },
  {
    rpc: "ListAlerts",
    payload: () => ({ limit: 20 }),
    expect: signedIn("data")
  },
  {
    rpc: "GetAlert",
    payload: (w) => ({ alertId: w.alertKept.id }),
    expect: signedIn("AlertNotFound", { memberA: "data", referentA: "data", moderator: "data", mairie: "data",
      police: "data" })
  },
  {
    rpc: "MarkAlert",
    payload: (w) => ({ alertId: w.alertKept.id, kind: "going" }),
    expect: signedIn("AlertNotFound", { memberA: "data", referentA: "data", moderator: "Forbidden", mairie: "Forbidden",
      police: "Forbidden" })
  },
  {
    rpc: "UnmarkAlert",
    payload: (w) => ({ alertId: w.alertKept.id, kind: "going" }),
    expect: signedIn("AlertNotFound", { memberA: "data", referentA: "data", moderator: "Forbidden", mairie: "Forbidden",
      police: "Forbidden" })
  },
  {
    rpc: "GetAlertReactions",
    payload: (w) => ({ alertId: w.alertKept.id }),
    expect: signedIn("AlertNotFound", { memberA: "data", referentA: "data", moderator: "data", mairie: "data",
      police: "data" })
  },
  { rpc: "CountAlertReactions", payload: (w) => ({ alertIds: [w.alertKept.id] }), expect: signedIn("data") },
  {
    rpc: "RetractAlert",
    payload: (w, actor) => ({ alertId: (actor === "memberA" ? w.alertToRetract : w.alertKept).id }),
    expect: signedIn("AlertNotFound", { memberA: "data", referentA: "Forbidden", moderator: "Forbidden",
      mairie: "Forbidden", police: "Forbidden" })
  },
  {
    rpc: "ResolveAlert",
    payload: (w, actor) => ({ alertId: (actor === "memberA" ? w.alertToResolve : w.alertKept).id }),
    expect: signedIn("AlertNotFound", { memberA: "data", referentA: "Forbidden", moderator: "Forbidden",
      mairie: "Forbidden", police: "Forbidden" })
  },
  { rpc: "WatchLiveEvents", payload: () => ({}), expect: signedIn("data") },
  {
    rpc: "PreviewTownAlert",
    payload: () => ({ insee: "33080", category: "weather", urgency: "urgent", text: "Vigilance orange orages" }),
    expect: signedIn("Forbidden", { mairie: "data", police: "data" })
  },
  {
    rpc: "ConfirmTownAlert",
    label: "a token that is nobody's",
    payload: () => ({ previewToken: "00000000-0000-4000-8000-00000000dead" }),
    expect: signedIn("PreviewNotFound")
  },
  { rpc: "ListAuthoritiesInbox", payload: () => ({ insee: "33080", limit: 20 }),
    expect: signedIn("Forbidden", { mairie: "data", police: "data" }) },
  { rpc: "WatchAuthoritiesInbox", payload: () => ({ insee: "33080" }),
    expect: signedIn("Forbidden", { mairie: "data", police: "data" }) },
  {
    rpc: "AcknowledgeSharedAlert",
    payload: (w) => ({ alertId: w.alertKept.id, note: "Patrouille prévenue" }),
    expect: signedIn("AlertNotFound", { mairie: "data", police: "data" })
  },
  {
    rpc: "GetAlertAcknowledgements",
    payload: (w) => ({ alertId: w.alertKept.id }),
    expect: signedIn("AlertNotFound", { memberA: "data", referentA: "data", moderator: "data", mairie: "data",
      police: "data" })
  },
  {
    rpc: "SendReferentBulletin",
    payload: (w) => ({ insee: "33080", communityIds: [w.communityA.id], text: "Démarchage frauduleux signalé" }),
    expect: signedIn("Forbidden", { mairie: "data", police: "data" })
  },
  { rpc: "ListReferentInbox", payload: () => ({ limit: 20 }), expect: signedIn("data") },
  { rpc: "GetCommuneStatistics", payload: () => ({ insee: "33080" }),
    expect: signedIn("Forbidden", { mairie: "data", police: "data" }) },
  { rpc: "WatchCommuneStatistics", payload: () => ({ insee: "33080" }),
    expect: signedIn("Forbidden", { mairie: "data", police: "data" }) },
  { rpc: "ExportCommuneStatistics", payload: () => ({ insee: "33080" }),
    expect: signedIn("Forbidden", { mairie: "data", police: "data" }) },
  ...moderationRows,
  ...quartierRows,
  ...mediaRows,
  {
    rpc: "EraseMyAccount",
    label: "with a wrong password: nothing is erased",
    payload: () => ({ password: "pas mon mot de passe" }),
    expect: signedIn("InvalidCredentials", { moderator: "StaffAccountErasureRefused",
      mairie: "StaffAccountErasureRefused", mairieOther: "StaffAccountErasureRefused",
      police: "StaffAccountErasureRefused" })
  },
  ...lifecycleRows,
  ...staffSignInRows,
  ...joiningRows,
  ...administrationRows,
  ...paperRows,
  ...proposalRows,
  ...gazetteRows,
  ...gazetteSocialRows,
  ...gazetteModerationRows,
  ...directoryRows,
  ...messagingRows,
  ...veilleRows,
  { rpc: "LogOut", payload: () => ({}), expect: all("data") }
]

const actorIndex = (actor: ActorKind) =>
  ["anonymous", "pending", "memberA", "memberB", "referentA", "moderator", "mairie", "mairieOther", "police", "admin"]
    .indexOf(actor)

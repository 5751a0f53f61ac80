import { Account, AccountId } from "@vigie/domain/accounts/Account"
import { Me } from "@vigie/domain/accounts/Me"
import { AuditEntry, AuditEntryId, AuditPage } from "@vigie/domain/moderation/AuditEntry"
import { InvalidAccountTransition } from "@vigie/domain/moderation/ModerationErrors"
import {
  AlertModerationState,
  AlertPlaceRef,
  AuthorHistory,
  ExpectedReview,
  FlaggedAlert,
  FlaggedAlertPage,
  FlagId,
  FlagView,
  ModeratedAlert,
  ModerationQueueItem,
  ModerationQueuePage,
  AppealId,
  AppealView,
  HiddenInfo,
  MyAppeal,
  MyHiding,
  PersonRef,
  QueueCounts
} from "@vigie/domain/moderation/ModeratedAlert"
import {
  AlreadyAppealed,
  AlreadyFlagged,
  OwnFlagOnly,
  ReasonDetailsRequired
} from "@vigie/domain/moderation/ModerationErrors"
import { sensitiveSpans } from "@vigie/domain/trust/SensitiveDescriptors"
import { cleanup, screen, waitFor, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect, Option } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { AuditLog } from "../../src/features/moderation/AuditLog.js"
import { FlagAlert } from "../../src/features/moderation/FlagAlert.js"
import { ModeratorOnly } from "../../src/features/moderation/Guards.js"
import { ModerationConsole } from "../../src/features/moderation/ModerationConsole.js"
import { ReferentFlags } from "../../src/features/moderation/ReferentFlags.js"
import { MyAlertModeration } from "../../src/features/moderation/MyAlertModeration.js"
import { MyMembership } from "@vigie/domain/accounts/Me"
import { Membership } from "@vigie/domain/membership/Membership"
import { account, alert, alertView, bourg, insee, me, membership, now } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const moderatorMe = () =>
  new Me({
    account: new Account({ ...account, firstName: "Nadia", lastName: "Benali", staffRoles: [{ _tag: "Moderator" }] }),
    memberships: []
  })

const authorId = AccountId.make("66666666-6666-4666-8666-666666666666")
const author = new PersonRef({ accountId: authorId, firstName: "Arthur", lastName: "Lefèvre" })
const history = new AuthorHistory({
  author,
  accountStatus: "active",
  accountCreatedAt: now,
  accountAgeDays: 3,
  alertsPosted: 1,
  alertsHeld: 1,
  alertsHidden: 0,
  warnings: 0,
  suspensions: 0
})
const place = new AlertPlaceRef({ communityId: Option.some(bourg.id), communityName: Option.some("Le Bourg"), insee,
  communeName: "Cadaujac" })
const heldText = "Un homme de type maghrébin rôde devant l'école"
const held = alert({ status: "held_for_review", text: heldText, category: "suspicious_person" })
const moderated = (overrides: Partial<ConstructorParameters<typeof ModeratedAlert>[0]> = {}) =>
  new ModeratedAlert({
    alert: held,
    place,
    author: history,
    holdReasons: ["new_member", "sensitive_descriptors"],
    flaggedSpans: sensitiveSpans(heldText),
    reviewedAt: Option.none(),
    reviewedBy: Option.none(),
    hidden: Option.none(),
    openFlags: 0,
    ...overrides
  })
const published = alert({ id: alert().id.replace("5555", "7777") as typeof held.id,
  text: "Voiture qui tourne dans le quartier" })
const queue = new ModerationQueuePage({
  items: [
    new ModerationQueueItem({
      kind: "held",
      alert: moderated(),
      waitingSince: now,
      waitingSeconds: 754,
      flags: [],
      appeal: Option.none(),
      actionable: true
    }),
    new ModerationQueueItem({
      kind: "unreviewed",
      alert: moderated({ alert: published, holdReasons: [], flaggedSpans: [] }),
      waitingSince: now,
      waitingSeconds: 7300,
      flags: [],
      appeal: Option.none(),
      actionable: true
    })
  ],
  counts: new QueueCounts({ held: 1, unreviewed: 1, flagged: 0, appeal: 0 }),
  nextOffset: Option.none()
})

const consoleServer = (hide: (p: any) => Effect.Effect<any, any> = () => Effect.succeed(moderated())) =>
  stubServer({ ListModerationQueue: () => Effect.succeed(queue), HideAlert: hide })

const heldItem = () => document.querySelector<HTMLElement>(`article.queue-item[data-kind="held"]`)!

const openHide = async () => {
  await waitFor(() => expect(heldItem()).not.toBeNull())
  await userEvent.click(within(heldItem()).getByRole("button", { name: "Masquer" }))
  return within(heldItem()).getByRole("form", { name: "Masquer l'alerte" })
}

describe("moderators' console", () => {
  it("lists held alerts first with their wait, the author's history, the hold reasons and the flagged passages marked", async () => {
    const s = consoleServer()
    renderPage(() => <ModerationConsole me={moderatorMe()} />, s, "/moderation")
    await waitFor(() => expect(document.querySelectorAll("article.queue-item")).toHaveLength(2))
    const kinds = [...document.querySelectorAll("article.queue-item")].map((a) => a.getAttribute("data-kind"))
    expect(kinds).toEqual(["held", "unreviewed"])
    const item = heldItem()
    expect(item.textContent).toContain("Retenue depuis 12 minutes")
    expect(item.textContent).toContain("Nouveau membre (premières alertes) ; Description sensible des personnes")
    expect(item.textContent).toContain("Arthur Lefèvre")
    expect(item.textContent).toContain("créé il y a 3 jours")
    expect([...item.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["de type maghrébin"])
    expect(item.querySelector(".flagged-text")!.textContent).toContain("de type maghrébin (passage signalé : origine)")
    expect(document.querySelector("article[data-kind=\"unreviewed\"]")!.textContent).toContain("Publiée depuis 2 h 01")
    expect(within(item).getByRole("button", { name: "Approuver et envoyer" })).toBeTruthy()
  })

  it("refuses to hide without a reason, in French, and sends nothing; « autre motif » needs a text", async () => {
    const s = consoleServer()
    renderPage(() => <ModerationConsole me={moderatorMe()} />, s, "/moderation")
    const form = await openHide()
    await userEvent.click(within(form).getByRole("button", { name: "Masquer l'alerte" }))
    expect(document.getElementById("reason-error")?.textContent).toBe(
      "Choisissez un motif dans la liste : l'auteur en sera informé."
    )
    expect(s.called("HideAlert")).toEqual([])

    await userEvent.click(within(form).getByRole("radio", { name: "Autre motif" }))
    await userEvent.click(within(form).getByRole("button", { name: "Masquer l'alerte" }))
    expect(document.getElementById("details-error")?.textContent).toMatch(/^Précisez le motif en quelques mots/)
    expect(s.called("HideAlert")).toEqual([])

    await userEvent.click(within(form).getByRole("radio", { name: "Description discriminatoire ou au faciès" }))
    await userEvent.type(
      within(form).getByLabelText("Précision pour l'auteur"),
      "Décrivez le comportement, pas l'origine."
    )
    await userEvent.click(within(form).getByRole("button", { name: "Masquer l'alerte" }))
    await waitFor(() => expect(s.called("HideAlert")).toHaveLength(1))
    expect(s.called("HideAlert")[0]!.payload).toMatchObject({
      alertId: held.id,
      reason: "profiling",
      details: Option.some("Décrivez le comportement, pas l'origine.")
    })
    expect(await screen.findByText("Alerte masquée. L'auteur est informé du motif.")).toBeTruthy()
    await waitFor(() => expect(s.called("ListModerationQueue")).toHaveLength(2))
  })

  it("offers the fresh queue when its counts changed in the background, without replacing the list", async () => {
    let calls = 0
    const grown = new ModerationQueuePage({ ...queue,
      counts: new QueueCounts({ held: 2, unreviewed: 1, flagged: 0, appeal: 0 }) })
    const s = stubServer({ ListModerationQueue: () => Effect.succeed(calls++ === 0 ? queue : grown) })
    renderPage(() => <ModerationConsole me={moderatorMe()} />, s, "/moderation")
    const form = await openHide()
    // The tab comes back into view: the counts are re-read (one row), and they changed.
    document.dispatchEvent(new Event("visibilitychange"))
    const button = await screen.findByRole("button", { name: "Actualiser la file" })
    expect(s.called("ListModerationQueue")[1]!.payload).toMatchObject({ limit: 1 })
    expect(screen.getByText(/La file a changé depuis son affichage/)).toBeTruthy()
    // The open form and the list stay until the moderator asks.
    expect(form.isConnected).toBe(true)
    expect(document.querySelectorAll("article.queue-item")).toHaveLength(2)
    await userEvent.click(button)
    await waitFor(() => expect(s.called("ListModerationQueue")).toHaveLength(3))
    await waitFor(() => expect(screen.queryByRole("button", { name: "Actualiser la file" })).toBeNull())
    expect(document.querySelector(".queue-counts")!.textContent).toContain("Alertes retenues : 2")
  })

  it("says nothing when the queue did not change", async () => {
    const s = stubServer({ ListModerationQueue: () => Effect.succeed(queue) })
    renderPage(() => <ModerationConsole me={moderatorMe()} />, s, "/moderation")
    await waitFor(() => expect(document.querySelectorAll("article.queue-item")).toHaveLength(2))
    document.dispatchEvent(new Event("visibilitychange"))
    await waitFor(() => expect(s.called("ListModerationQueue")).toHaveLength(2))
    expect(screen.queryByRole("button", { name: "Actualiser la file" })).toBeNull()
  })

  it("shows the server's refusal next to the field it is about", async () => {
    const s = consoleServer(() => Effect.fail(new ReasonDetailsRequired({ reason: "duplicate" })))
    renderPage(() => <ModerationConsole me={moderatorMe()} />, s, "/moderation")
    const form = await openHide()
    await userEvent.click(within(form).getByRole("radio", { name: "Doublon" }))
    await userEvent.click(within(form).getByRole("button", { name: "Masquer l'alerte" }))
    await waitFor(() =>
      expect(document.getElementById("details-error")?.textContent).toMatch(/^Précisez le motif en quelques mots/)
    )
    expect(s.called("HideAlert")).toHaveLength(1)
    expect(document.activeElement?.id).toBe("details")
  })

  it("asks before approving, and approves only once confirmed", async () => {
    const s = stubServer({
      ListModerationQueue: () => Effect.succeed(queue),
      ApproveAlert: () => Effect.succeed(moderated({ alert: alert({ ...held, status: "published" }) }))
    })
    renderPage(() => <ModerationConsole me={moderatorMe()} />, s, "/moderation")
    await waitFor(() => expect(heldItem()).not.toBeNull())
    await userEvent.click(within(heldItem()).getByRole("button", { name: "Approuver et envoyer" }))
    expect(s.called("ApproveAlert")).toEqual([])
    await userEvent.click(within(heldItem()).getByRole("button", { name: "Oui, approuver et envoyer" }))
    await waitFor(() => expect(s.called("ApproveAlert")).toHaveLength(1))
    expect(s.called("ApproveAlert")[0]!.payload).toMatchObject({ alertId: held.id, note: Option.none() })
  })

  it("suspending an account needs a reason for the audit log, and asks before acting", async () => {
    const s = stubServer({
      ListModerationQueue: () => Effect.succeed(queue),
      SuspendAccount: () =>
        Effect.fail(new InvalidAccountTransition({ accountId: authorId, from: "suspended", to: "suspended" }))
    })
    renderPage(() => <ModerationConsole me={moderatorMe()} />, s, "/moderation")
    await waitFor(() => expect(heldItem()).not.toBeNull())
    await userEvent.click(within(heldItem()).getByText("Agir sur le compte de Arthur Lefèvre"))
    await userEvent.click(within(heldItem()).getByRole("button", { name: "Suspendre le compte" }))
    const form = within(heldItem()).getByRole("form", { name: "Suspendre le compte" })
    expect(form.textContent).toContain("Suspendre le compte de Arthur Lefèvre ?")
    await userEvent.click(within(form).getByRole("button", { name: "Oui, suspendre" }))
    expect(document.getElementById("note-error")?.textContent).toBe(
      "Indiquez pourquoi : la raison est gardée dans le journal de modération."
    )
    expect(s.called("SuspendAccount")).toEqual([])

    await userEvent.type(within(form).getByLabelText("Raison (pour le journal)"), "Propos discriminatoires répétés")
    await userEvent.click(within(form).getByRole("button", { name: "Oui, suspendre" }))
    await waitFor(() => expect(s.called("SuspendAccount")).toHaveLength(1))
    expect(s.called("SuspendAccount")[0]!.payload).toEqual({ accountId: authorId,
      note: "Propos discriminatoires répétés" })
    expect(await within(form).findByText("Ce compte est déjà suspendu.")).toBeTruthy()
  })

  it("an appeal: the moderator who hid the alert may not decide it; another one must choose and give a reason", async () => {
    const nadia = new PersonRef({ accountId: AccountId.make("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"), firstName: "Nadia",
      lastName: "Benali" })
    const appeal = new AppealView({
      id: AppealId.make("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"),
      alertId: held.id,
      author,
      text: "Il essayait les portières",
      createdAt: now,
      status: "pending",
      hiddenBy: Option.some(nadia),
      decidedBy: Option.none(),
      decidedAt: Option.none(),
      decisionReason: Option.none()
    })
    const hiddenAlert = moderated({
      alert: alert({ ...held, status: "hidden" }),
      hidden: Option.some(
        new HiddenInfo({ reason: "profiling", details: Option.none(), by: nadia, byRole: "moderator", at: now,
          pendingReview: false })
      )
    })
    const page = (actionable: boolean) =>
      new ModerationQueuePage({
        items: [
          new ModerationQueueItem({ kind: "appeal", alert: hiddenAlert, waitingSince: now, waitingSeconds: 30,
            flags: [], appeal: Option.some(appeal), actionable })
        ],
        counts: new QueueCounts({ held: 0, unreviewed: 0, flagged: 0, appeal: 1 }),
        nextOffset: Option.none()
      })
    const item = () => document.querySelector<HTMLElement>("article.queue-item[data-kind=\"appeal\"]")!

    const own = stubServer({ ListModerationQueue: () => Effect.succeed(page(false)) })
    const first = renderPage(() => <ModerationConsole me={moderatorMe()} />, own, "/moderation")
    await waitFor(() => expect(item()).not.toBeNull())
    expect(item().textContent).toContain(
      "Vous avez masqué cette alerte : un autre modérateur doit trancher la contestation."
    )
    expect(within(item()).queryByRole("button", { name: "Trancher la contestation" })).toBeNull()
    first.unmount()

    const s = stubServer({ ListModerationQueue: () => Effect.succeed(page(true)), DecideAppeal: () =>
      Effect.succeed(appeal) })
    renderPage(() => <ModerationConsole me={moderatorMe()} />, s, "/moderation")
    await waitFor(() => expect(item()).not.toBeNull())
    expect(item().textContent).toContain("« Il essayait les portières »")
    await userEvent.click(within(item()).getByRole("button", { name: "Trancher la contestation" }))
    const form = within(item()).getByRole("form", { name: "Trancher la contestation" })
    await userEvent.click(within(form).getByRole("button", { name: "Enregistrer la décision" }))
    expect(document.getElementById("decision-error")?.textContent).toBe(
      "Choisissez : rétablir l'alerte ou la laisser masquée."
    )
    expect(document.getElementById("decision-reason-error")?.textContent).toBe(
      "Indiquez la raison de votre décision : l'auteur la lira."
    )
    expect(s.called("DecideAppeal")).toEqual([])
    await userEvent.click(within(form).getByRole("radio", { name: /^Rétablir l'alerte/ }))
    await userEvent.type(
      within(form).getByLabelText("Raison de la décision (l'auteur la lira)"),
      "Le comportement est décrit."
    )
    await userEvent.click(within(form).getByRole("button", { name: "Enregistrer la décision" }))
    await waitFor(() => expect(s.called("DecideAppeal")).toHaveLength(1))
    expect(s.called("DecideAppeal")[0]!.payload).toEqual({ appealId: appeal.id, decision: "restore",
      reason: "Le comportement est décrit." })
    expect(await screen.findByText("Contestation acceptée : l'alerte est rétablie.")).toBeTruthy()
  })

  it("is reserved to moderators: a resident is told so and the queue is never asked for", () => {
    const s = stubServer({})
    renderPage(
      () => (
        <ModeratorOnly me={me()}>
          <ModerationConsole me={me()} />
        </ModeratorOnly>
      ),
      s,
      "/moderation"
    )
    expect(screen.getByRole("heading", { name: "Accès réservé" })).toBeTruthy()
    expect(screen.getByText("Cette page est réservée aux modérateurs de Vigie.")).toBeTruthy()
    expect(s.calls).toEqual([])
  })
})

describe("the author's view of moderation", () => {
  const mine = alertView({ mine: true, status: "hidden", text: heldText })
  const hiddenState = (overrides: Partial<ConstructorParameters<typeof AlertModerationState>[0]> = {}) =>
    new AlertModerationState({
      alertId: mine.id,
      status: "hidden",
      holdReasons: ["sensitive_descriptors"],
      expectedReview: Option.none(),
      approvedAt: Option.none(),
      reviewedAt: Option.none(),
      hidden: Option.some(
        new MyHiding({ reason: "profiling", details: Option.some("Décrivez ce que fait la personne."), at: now,
          pendingReview: false })
      ),
      canAppeal: true,
      appeal: Option.none(),
      ...overrides
    })

  it("a held alert: the review delay and the reasons in plain French", async () => {
    const s = stubServer({
      GetMyAlertModeration: () =>
        Effect.succeed(hiddenState({
          status: "held_for_review",
          holdReasons: ["new_member", "sensitive_descriptors"],
          expectedReview: Option.some(new ExpectedReview({ minutes: 120, text: "sous 2 heures" })),
          hidden: Option.none(),
          canAppeal: false
        }))
    })
    renderPage(() => <MyAlertModeration alert={alertView({ ...mine, status: "held_for_review" })} me={me()} />, s)
    const region = await screen.findByRole("region", { name: "Modération" })
    await waitFor(() => expect(region.textContent).toContain("elle sera relue sous 2 heures."))
    expect(region.textContent).toContain("les premières alertes d'un nouveau membre sont relues par un modérateur")
    expect(region.textContent).toContain("votre message décrit des personnes par leur origine")
    expect(region.textContent).not.toContain("Contester")
  })

  it("a hidden alert: the reason, and an appeal that needs a text before anything is sent", async () => {
    const s = stubServer({
      GetMyAlertModeration: () => Effect.succeed(hiddenState()),
      AppealHiding: (p: any) =>
        Effect.succeed(hiddenState({
          canAppeal: false,
          appeal: Option.some(
            new MyAppeal({ status: "pending", text: p.text, createdAt: now, decidedAt: Option.none(),
              decisionReason: Option.none() })
          )
        }))
    })
    renderPage(() => <MyAlertModeration alert={mine} me={me()} />, s)
    const region = await screen.findByRole("region", { name: "Modération" })
    await waitFor(() => expect(region.textContent).toContain("Motif : Description discriminatoire ou au faciès."))
    expect(region.textContent).toContain("« Décrivez ce que fait la personne. »")

    await userEvent.click(screen.getByRole("button", { name: "Envoyer ma contestation" }))
    expect(document.getElementById("appeal-error")?.textContent).toBe(
      "Expliquez en quelques mots pourquoi votre alerte devrait être rétablie."
    )
    expect(s.called("AppealHiding")).toEqual([])

    await userEvent.type(
      screen.getByLabelText("Pourquoi votre alerte devrait-elle être rétablie ?"),
      "Il essayait les poignées des voitures."
    )
    await userEvent.click(screen.getByRole("button", { name: "Envoyer ma contestation" }))
    await waitFor(() => expect(s.called("AppealHiding")).toHaveLength(1))
    expect(s.called("AppealHiding")[0]!.payload).toEqual({ alertId: mine.id,
      text: "Il essayait les poignées des voitures." })
    await waitFor(() => expect(region.textContent).toContain("en attente d'un autre modérateur"))
    expect(screen.queryByRole("button", { name: "Envoyer ma contestation" })).toBeNull()
  })

  it("a second appeal refused by the server is shown next to the appeal's text", async () => {
    const s = stubServer({
      GetMyAlertModeration: () => Effect.succeed(hiddenState()),
      AppealHiding: () => Effect.fail(new AlreadyAppealed({ alertId: mine.id }))
    })
    renderPage(() => <MyAlertModeration alert={mine} me={me()} />, s)
    await userEvent.type(await screen.findByLabelText("Pourquoi votre alerte devrait-elle être rétablie ?"), "Encore")
    await userEvent.click(screen.getByRole("button", { name: "Envoyer ma contestation" }))
    await waitFor(() =>
      expect(document.getElementById("appeal-error")?.textContent).toBe(
        "Vous avez déjà contesté ce masquage : on ne peut le contester qu'une fois."
      )
    )
  })

  it("is not shown to other members", () => {
    const s = stubServer({})
    renderPage(() => <MyAlertModeration alert={alertView()} me={me()} />, s)
    expect(screen.queryByRole("region", { name: "Modération" })).toBeNull()
    expect(s.calls).toEqual([])
  })
})

describe("flagging an alert", () => {
  it("needs a reason; the server's « already flagged » is shown at the reasons", async () => {
    const s = stubServer({ FlagAlert: () => Effect.fail(new AlreadyFlagged({ alertId: alert().id })) })
    renderPage(() => <FlagAlert alert={alertView()} me={me()} />, s)
    await userEvent.click(screen.getByRole("button", { name: "Signaler cette alerte" }))
    const form = screen.getByRole("form", { name: "Signaler cette alerte" })
    await userEvent.click(within(form).getByRole("button", { name: "Envoyer le signalement" }))
    expect(document.getElementById("flag-reason-error")?.textContent).toBe(
      "Choisissez ce qui ne va pas dans cette alerte."
    )
    expect(s.called("FlagAlert")).toEqual([])

    await userEvent.click(within(form).getByRole("radio", { name: /^Information fausse ou invérifiable/ }))
    await userEvent.type(within(form).getByLabelText("Précisions (facultatif)"), "Rien vu de tel")
    await userEvent.click(within(form).getByRole("button", { name: "Envoyer le signalement" }))
    await waitFor(() => expect(s.called("FlagAlert")).toHaveLength(1))
    expect(s.called("FlagAlert")[0]!.payload).toMatchObject({ reason: "false_or_unverifiable",
      text: Option.some("Rien vu de tel") })
    await waitFor(() =>
      expect(document.getElementById("flag-reason-error")?.textContent).toBe(
        "Vous avez déjà signalé cette alerte. Un modérateur va l'examiner."
      )
    )
  })

  it("thanks the member once sent", async () => {
    const s = stubServer({
      FlagAlert: (p: any) =>
        Effect.succeed(
          new FlagView({
            id: FlagId.make("88888888-8888-4888-8888-888888888888"),
            alertId: p.alertId,
            flaggedBy: Option.none(),
            reason: p.reason,
            text: Option.none(),
            createdAt: now,
            status: "open",
            closedAt: Option.none()
          })
        )
    })
    renderPage(() => <FlagAlert alert={alertView()} me={me()} />, s)
    await userEvent.click(screen.getByRole("button", { name: "Signaler cette alerte" }))
    await userEvent.click(screen.getByRole("radio", { name: /^Doublon/ }))
    await userEvent.click(screen.getByRole("button", { name: "Envoyer le signalement" }))
    expect(
      await screen.findByText("Merci : votre signalement est transmis aux modérateurs et au référent du quartier.")
    ).toBeTruthy()
  })

  it("is not offered on my own alert", () => {
    renderPage(() => <FlagAlert alert={alertView({ mine: true })} me={me()} />, stubServer({}))
    expect(screen.queryByRole("button", { name: "Signaler cette alerte" })).toBeNull()
  })
})

describe("audit log", () => {
  const entry = new AuditEntry({
    id: AuditEntryId.make("99999999-9999-4999-8999-999999999999"),
    at: now,
    actor: new PersonRef({ accountId: AccountId.make("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"), firstName: "Nadia",
      lastName: "Benali" }),
    actorRole: "moderator",
    action: "hide",
    targetKind: "alert",
    targetId: held.id,
    reason: Option.some("profiling"),
    note: Option.some("Origine sans comportement"),
    before: Option.some({ status: "held_for_review", reviewed: false, hiddenReason: null }),
    after: Option.some({ status: "hidden", reviewed: true, hiddenReason: "profiling" })
  })

  it("shows who, what, when, why, before and after, and searches with the filters", async () => {
    const s = stubServer({
      SearchAuditLog: () => Effect.succeed(new AuditPage({ entries: [entry], nextBefore: Option.none() }))
    })
    renderPage(() => <AuditLog me={moderatorMe()} />, s, "/moderation/journal")
    const item = await waitFor(() => {
      const li = document.querySelector<HTMLElement>("li.audit-entry")
      expect(li).not.toBeNull()
      return li!
    })
    expect(item.textContent).toContain("Alerte masquée")
    expect(item.textContent).toContain("Nadia Benali (modérateur)")
    expect(item.textContent).toContain("Description discriminatoire ou au faciès — « Origine sans comportement »")
    const [before, after] = [...item.querySelectorAll(".snapshot")].map((e) => e.textContent)
    expect(before).toContain("En attente de modération")
    expect(after).toContain("Masquée par la modération")

    await userEvent.type(screen.getByLabelText("Mots cherchés"), "origine")
    await userEvent.selectOptions(screen.getByLabelText("Action"), "hide")
    await userEvent.selectOptions(screen.getByLabelText("Auteur de l'action"), "Nadia Benali")
    await userEvent.click(screen.getByRole("button", { name: "Rechercher" }))
    await waitFor(() => expect(s.called("SearchAuditLog")).toHaveLength(2))
    expect(s.called("SearchAuditLog")[1]!.payload.query).toMatchObject({
      text: Option.some("origine"),
      action: Option.some("hide"),
      actorId: Option.some(entry.actor.accountId)
    })
  })
})

describe("lifting a suspension or a ban from the audit log", () => {
  const target = AccountId.make("66666666-6666-4666-8666-666666666666")
  const suspension = new AuditEntry({
    id: AuditEntryId.make("88888888-8888-4888-8888-888888888888"),
    at: now,
    actor: new PersonRef({ accountId: AccountId.make("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"), firstName: "Nadia",
      lastName: "Benali" }),
    actorRole: "moderator",
    action: "suspend",
    targetKind: "account",
    targetId: target,
    reason: Option.none(),
    note: Option.some("Insultes répétées"),
    before: Option.some({ status: "active" }),
    after: Option.some({ status: "suspended" }),
    accountId: Option.some(target)
  })
  const logWith = (lift: (p: any) => Effect.Effect<any, any>) =>
    stubServer({
      SearchAuditLog: () => Effect.succeed(new AuditPage({ entries: [suspension], nextBefore: Option.none() })),
      LiftSuspension: lift
    })

  it("asks why, then lifts the suspension of the entry's account and re-reads the log", async () => {
    const s = logWith(() => Effect.succeed(suspension))
    renderPage(() => <AuditLog me={moderatorMe()} />, s, "/moderation/journal")
    await userEvent.click(await screen.findByRole("button", { name: "Lever la suspension" }))
    const form = screen.getByRole("form", { name: "Lever la suspension" })
    await userEvent.click(within(form).getByRole("button", { name: "Oui, lever" }))
    expect(await within(form).findByText("Indiquez pourquoi : la raison est gardée dans le journal de modération."))
      .toBeTruthy()
    expect(s.called("LiftSuspension")).toEqual([])
    await userEvent.type(within(form).getByLabelText("Raison (pour le journal)"), "Excuses présentées")
    await userEvent.click(within(form).getByRole("button", { name: "Oui, lever" }))
    expect(await screen.findByText("Suspension levée.")).toBeTruthy()
    expect(s.called("LiftSuspension")[0]!.payload).toMatchObject({ accountId: target, note: "Excuses présentées" })
    await waitFor(() => expect(s.called("SearchAuditLog")).toHaveLength(2))
  })

  it("says in French when there is nothing to lift", async () => {
    const s = logWith(() =>
      Effect.fail(new InvalidAccountTransition({ accountId: target, from: "active", to: "active" }))
    )
    renderPage(() => <AuditLog me={moderatorMe()} />, s, "/moderation/journal")
    await userEvent.click(await screen.findByRole("button", { name: "Lever la suspension" }))
    const form = screen.getByRole("form", { name: "Lever la suspension" })
    await userEvent.type(within(form).getByLabelText("Raison (pour le journal)"), "Vérification")
    await userEvent.click(within(form).getByRole("button", { name: "Oui, lever" }))
    expect(await within(form).findByText("Ce compte n'est pas suspendu : rien à lever.")).toBeTruthy()
  })

  it("offers nothing on entries that are not a suspension or a ban", async () => {
    const hide = new AuditEntry({ ...suspension, action: "warn", accountId: Option.some(target) })
    const s = stubServer({
      SearchAuditLog: () => Effect.succeed(new AuditPage({ entries: [hide], nextBefore: Option.none() }))
    })
    renderPage(() => <AuditLog me={moderatorMe()} />, s, "/moderation/journal")
    await waitFor(() => expect(document.querySelector("li.audit-entry")).not.toBeNull())
    expect(screen.queryByRole("button", { name: /^Lever/ })).toBeNull()
  })
})

describe("référents' flags", () => {
  const referentMe = () =>
    new Me({
      account,
      memberships: [
        new MyMembership({ membership: new Membership({ ...membership(bourg, "verified"), role: "referent" }),
          community: bourg })
      ]
    })
  const flagged = new FlaggedAlert({
    alert: alertView(),
    place,
    hidden: Option.none(),
    flags: [new FlagView({
      id: FlagId.make("88888888-8888-4888-8888-888888888888"),
      alertId: alert().id,
      flaggedBy: Option.none(),
      reason: "duplicate",
      text: Option.some("Déjà signalé hier"),
      createdAt: now,
      status: "open",
      closedAt: Option.none()
    })],
    firstFlaggedAt: now
  })

  it("lists the open flags without who flagged, and hides pending a moderator only with a reason", async () => {
    const s = stubServer({
      ListFlags: () => Effect.succeed(new FlaggedAlertPage({ items: [flagged], nextOffset: Option.none() })),
      HideAlertPendingReview: () => Effect.succeed(flagged)
    })
    renderPage(() => <ReferentFlags me={referentMe()} />, s, "/moderation/signalements")
    const item = await waitFor(() => {
      const el = document.querySelector<HTMLElement>(`article.flagged-alert[data-alert-id="${alert().id}"]`)
      expect(el).not.toBeNull()
      return el!
    })
    expect(item.textContent).toContain("Doublon — « Déjà signalé hier »")
    expect(s.called("ListFlags")[0]!.payload).toMatchObject({ status: Option.some("open") })

    await userEvent.click(within(item).getByRole("button", { name: "Masquer en attendant un modérateur" }))
    const form = within(item).getByRole("form", { name: "Masquer en attendant un modérateur" })
    await userEvent.click(within(form).getByRole("button", { name: "Masquer l'alerte" }))
    expect(document.getElementById("reason-error")?.textContent).toBe(
      "Choisissez un motif dans la liste : l'auteur en sera informé."
    )
    expect(s.called("HideAlertPendingReview")).toEqual([])

    await userEvent.click(within(form).getByRole("radio", { name: "Doublon" }))
    await userEvent.click(within(form).getByRole("button", { name: "Masquer l'alerte" }))
    await waitFor(() => expect(s.called("HideAlertPendingReview")).toHaveLength(1))
    expect(s.called("HideAlertPendingReview")[0]!.payload).toMatchObject({ alertId: alert().id, reason: "duplicate",
      details: Option.none() })
    expect(await screen.findByText("Alerte masquée en attendant la décision d'un modérateur.")).toBeTruthy()
  })
})

describe("référents' flags: privacy and the référent's own flag", () => {
  const referentMe = () =>
    new Me({
      account,
      memberships: [
        new MyMembership({ membership: new Membership({ ...membership(bourg, "verified"), role: "referent" }),
          community: bourg })
      ]
    })
  const flaggedByMe = new FlaggedAlert({
    alert: alertView({ authorName: Option.some("Hugo P.") }),
    place,
    hidden: Option.none(),
    flags: [new FlagView({
      id: FlagId.make("99999999-9999-4999-8999-999999999999"),
      alertId: alertView().id,
      flaggedBy: Option.none(),
      reason: "personal_data",
      text: Option.none(),
      createdAt: now,
      status: "open",
      closedAt: Option.none()
    })],
    firstFlaggedAt: now
  })

  it("names the author « Hugo P. », and says in French that one's own flag alone hides nothing", async () => {
    const s = stubServer({
      ListFlags: () => Effect.succeed(new FlaggedAlertPage({ items: [flaggedByMe], nextOffset: Option.none() })),
      HideAlertPendingReview: () => Effect.fail(new OwnFlagOnly({ alertId: alertView().id }))
    })
    renderPage(() => <ReferentFlags me={referentMe()} />, s, "/moderation/signalements")
    const item = await waitFor(() => {
      const el = document.querySelector<HTMLElement>("article.flagged-alert")
      expect(el).not.toBeNull()
      return el!
    })
    expect(item.textContent).toContain("Par Hugo P.")
    await userEvent.click(within(item).getByRole("button", { name: "Masquer en attendant un modérateur" }))
    const form = within(item).getByRole("form", { name: "Masquer en attendant un modérateur" })
    await userEvent.click(within(form).getByRole("radio", { name: "Doublon" }))
    await userEvent.click(within(form).getByRole("button", { name: "Masquer l'alerte" }))
    expect(await screen.findByText(/il faut le signalement d'un autre membre/)).toBeTruthy()
    expect(screen.queryByText("Alerte masquée en attendant la décision d'un modérateur.")).toBeNull()
  })
})

import {
  GazetteAppealId,
  GazetteAppealView,
  GazetteAuthorHistory,
  GazetteFlagId,
  GazetteFlagView,
  GazetteHiding,
  GazetteModerationOutcome,
  GazetteQueueEntry,
  GazetteQueuePage
} from "@vigie/domain/gazette/GazetteModerationItem"
import { GazetteCommentId } from "@vigie/domain/gazette/GazetteComment"
import { GazettePostId } from "@vigie/domain/gazette/GazettePost"
import { AppealNeedsAnotherModerator } from "@vigie/domain/gazette/GazetteModerationErrors"
import { cleanup, screen, waitFor, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect, Option } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { GazetteModerationQueue } from "../../src/features/moderation/GazetteModerationQueue.js"
import { bourg, now } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const heldId = GazettePostId.make("11111111-1111-4111-8111-111111111111")
const appealedId = GazettePostId.make("22222222-2222-4222-8222-222222222222")
const appealId = GazetteAppealId.make("33333333-3333-4333-8333-333333333333")

const entry = (overrides: Partial<ConstructorParameters<typeof GazetteQueueEntry>[0]>) =>
  new GazetteQueueEntry({
    item: "post",
    postId: heldId,
    commentId: Option.none(),
    kind: "perdu_trouve",
    status: "held_for_review",
    title: "Vélo trouvé",
    body: "Un vélo bleu près du parc.",
    communityId: bourg.id,
    quartier: "Le Bourg",
    holdReasons: ["sensitive_descriptors"],
    reasons: ["held", "flagged"],
    since: now,
    flags: [
      new GazetteFlagView({
        id: GazetteFlagId.make("44444444-4444-4444-8444-444444444444"),
        reason: "off_topic",
        text: Option.some("Pas dans notre quartier"),
        createdAt: now,
        status: "open"
      })
    ],
    hidden: Option.none(),
    appeal: Option.none(),
    authorName: "Chloé M.",
    authorHistory: new GazetteAuthorHistory({ posts: 3, held: 1, hidden: 0 }),
    actionable: true,
    ...overrides
  })

const appealed = (actionable: boolean) =>
  entry({
    postId: appealedId,
    kind: "annonce",
    status: "hidden",
    title: "Tondeuse à prêter",
    holdReasons: [],
    reasons: ["appealed"],
    flags: [],
    hidden: Option.some(new GazetteHiding({ reason: "insulting", details: Option.none(), at: now })),
    appeal: Option.some(
      new GazetteAppealView({
        id: appealId,
        postId: appealedId,
        commentId: Option.none(),
        text: "Rien d'injurieux dans mon annonce.",
        status: "pending",
        createdAt: now,
        decidedAt: Option.none(),
        decisionReason: Option.none()
      })
    ),
    actionable
  })

const page = (entries: ReadonlyArray<GazetteQueueEntry>) => new GazetteQueuePage({ entries, next: Option.none() })
const card = (title: string) => screen.getByRole("article", { name: title })

describe("the Gazette's moderation queue", () => {
  it("shows each item's kind, quartier, why it waits, its flags and its author's history, in French", async () => {
    const s = stubServer({ ListGazetteModerationQueue: () => Effect.succeed(page([entry({}), appealed(false)])) })
    renderPage(() => <GazetteModerationQueue />, s, "/moderation/gazette")
    await waitFor(() => expect(document.querySelectorAll("article.queue-item")).toHaveLength(2))
    const held = card("Vélo trouvé")
    expect(held.textContent).toContain("Perdu / trouvé · Le Bourg")
    expect(held.textContent).toContain("Retenue avant publication ; Signalée par des membres")
    expect(held.textContent).toContain("Description sensible des personnes")
    expect(held.textContent).toContain("Hors sujet : « Pas dans notre quartier »")
    expect(held.textContent).toContain("Chloé M. · 3 publication(s), dont 1 retenue(s) et 0 masquée(s)")
    expect(within(held).getByRole("button", { name: "Approuver et publier" })).toBeTruthy()
    expect(within(held).getByRole("button", { name: "Masquer" })).toBeTruthy()
    // The moderator who hid it is told another one decides.
    const own = card("Tondeuse à prêter")
    expect(own.textContent).toContain("Contestation de l'auteur : « Rien d'injurieux dans mon annonce. »")
    expect(own.textContent).toContain("un autre modérateur doit trancher la contestation")
    expect(within(own).queryByRole("button")).toBeNull()
  })

  it("says a comment is a comment, on which post, and hides it by its own id", async () => {
    const commentId = GazetteCommentId.make("55555555-5555-4555-8555-555555555555")
    const comment = entry({
      item: "comment",
      commentId: Option.some(commentId),
      kind: "annonce",
      status: "published",
      title: "Tondeuse à prêter",
      body: "Elle est sûrement en panne.",
      holdReasons: [],
      reasons: ["flagged"]
    })
    const s = stubServer({
      ListGazetteModerationQueue: () => Effect.succeed(page([comment])),
      HideGazettePost: () =>
        Effect.succeed(
          new GazetteModerationOutcome({ postId: heldId, commentId: Option.some(commentId), status: "hidden" })
        )
    })
    renderPage(() => <GazetteModerationQueue />, s, "/moderation/gazette")
    await waitFor(() => expect(document.querySelectorAll("article.queue-item")).toHaveLength(1))
    const item = card("Commentaire sur Tondeuse à prêter")
    expect(item.textContent).toContain("Commentaire sur : Petite annonce · Le Bourg")
    expect(item.textContent).toContain("Elle est sûrement en panne.")
    await userEvent.click(within(item).getByRole("button", { name: "Masquer" }))
    const form = within(item).getByRole("form", { name: "Masquer la publication" })
    await userEvent.click(within(form).getByRole("radio", { name: "Propos injurieux" }))
    await userEvent.click(within(form).getByRole("button", { name: "Masquer la publication" }))
    await waitFor(() => expect(s.called("HideGazettePost")).toHaveLength(1))
    expect(s.called("HideGazettePost")[0]!.payload).toMatchObject({
      postId: heldId,
      commentId: Option.some(commentId),
      reason: "insulting"
    })
  })

  it("hides only with a reason, approves once confirmed, and reloads the queue", async () => {
    const s = stubServer({
      ListGazetteModerationQueue: () => Effect.succeed(page([entry({})])),
      HideGazettePost: () =>
        Effect.succeed(new GazetteModerationOutcome({ postId: heldId, commentId: Option.none(), status: "hidden" })),
      ApproveGazettePost: () =>
        Effect.succeed(new GazetteModerationOutcome({ postId: heldId, commentId: Option.none(), status: "published" }))
    })
    renderPage(() => <GazetteModerationQueue />, s, "/moderation/gazette")
    await waitFor(() => expect(document.querySelectorAll("article.queue-item")).toHaveLength(1))
    await userEvent.click(within(card("Vélo trouvé")).getByRole("button", { name: "Masquer" }))
    const form = within(card("Vélo trouvé")).getByRole("form", { name: "Masquer la publication" })
    await userEvent.click(within(form).getByRole("button", { name: "Masquer la publication" }))
    expect(document.getElementById("reason-error")?.textContent).toBe(
      "Choisissez un motif dans la liste : l'auteur en sera informé."
    )
    expect(s.called("HideGazettePost")).toEqual([])
    await userEvent.click(within(form).getByRole("radio", { name: "Hors sujet" }))
    await userEvent.click(within(form).getByRole("button", { name: "Masquer la publication" }))
    await waitFor(() => expect(s.called("HideGazettePost")).toHaveLength(1))
    expect(s.called("HideGazettePost")[0]!.payload).toMatchObject({ postId: heldId, reason: "off_topic" })
    expect(await screen.findByText("Publication masquée. L'auteur est informé du motif.")).toBeTruthy()
    await waitFor(() => expect(s.called("ListGazetteModerationQueue")).toHaveLength(2))

    await userEvent.click(within(card("Vélo trouvé")).getByRole("button", { name: "Approuver et publier" }))
    expect(s.called("ApproveGazettePost")).toEqual([])
    await userEvent.click(within(card("Vélo trouvé")).getByRole("button", { name: "Oui, publier" }))
    await waitFor(() => expect(s.called("ApproveGazettePost")).toHaveLength(1))
    expect(s.called("ApproveGazettePost")[0]!.payload).toMatchObject({ postId: heldId, note: Option.none() })
  })

  it("decides an appeal with a reason, and shows the server's refusal in French", async () => {
    const s = stubServer({
      ListGazetteModerationQueue: () => Effect.succeed(page([appealed(true)])),
      DecideGazetteAppeal: () => Effect.fail(new AppealNeedsAnotherModerator({ appealId }))
    })
    renderPage(() => <GazetteModerationQueue />, s, "/moderation/gazette")
    await waitFor(() => expect(document.querySelectorAll("article.queue-item")).toHaveLength(1))
    await userEvent.click(within(card("Tondeuse à prêter")).getByRole("button", { name: "Trancher la contestation" }))
    const form = within(card("Tondeuse à prêter")).getByRole("form", { name: "Trancher la contestation" })
    await userEvent.click(within(form).getByRole("radio", { name: /Rétablir la publication/ }))
    await userEvent.type(within(form).getByLabelText("Raison de la décision (l'auteur la lira)"), "Annonce conforme.")
    await userEvent.click(within(form).getByRole("button", { name: "Enregistrer la décision" }))
    await waitFor(() => expect(s.called("DecideGazetteAppeal")).toHaveLength(1))
    expect(s.called("DecideGazetteAppeal")[0]!.payload).toMatchObject({
      appealId,
      decision: "restore",
      reason: "Annonce conforme."
    })
    expect(await screen.findByText(/un autre modérateur doit examiner la contestation/)).toBeTruthy()
  })
})

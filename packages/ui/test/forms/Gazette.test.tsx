import { cleanup, screen, waitFor, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { InvalidGazettePost } from "@vigie/domain/gazette/GazetteErrors"
import {
  GazettePage as GazettePageSchema,
  GazettePostId,
  GazettePostView,
  PublishedGazettePost
} from "@vigie/domain/gazette/GazettePost"
import {
  GazetteCommentId,
  GazetteComments,
  GazetteCommentView,
  GazetteEventAnswers,
  GazetteThanks,
  GazetteThread,
  PostedGazetteComment
} from "@vigie/domain/gazette/GazetteComment"
import { FileTooLarge } from "@vigie/domain/media/MediaErrors"
import { UploadId } from "@vigie/domain/media/Upload"
import { UploadView } from "@vigie/domain/media/UploadView"
import { DateTime, Effect, Option, Stream } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { GazettePage } from "../../src/features/gazette/GazettePage.js"
import { GazettePostPage } from "../../src/features/gazette/GazettePostPage.js"
import { MairieCommunication } from "../../src/features/gazette/MairieCommunication.js"
import { PublishPost } from "../../src/features/gazette/PublishPost.js"
import { bourg, graves, insee, me, now } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const postId = GazettePostId.make("77777777-7777-4777-8777-777777777777")
const photoId = UploadId.make("88888888-8888-4888-8888-888888888888")

const post = (overrides: Partial<ConstructorParameters<typeof GazettePostView>[0]> = {}) =>
  new GazettePostView({
    id: postId,
    kind: "perdu_trouve",
    communityId: bourg.id,
    insee,
    authorName: "Chloé M.",
    mine: false,
    title: "Chat roux perdu",
    body: "Notre chat Caramel n'est pas rentré depuis hier soir. Il porte un collier bleu.",
    photos: [photoId],
    details: { _tag: "perdu_trouve", situation: "perdu", subject: "animal", where: "Rue des Écoles", seenAt: now },
    status: "published",
    holdReasons: [],
    state: "open",
    outcome: null,
    closedAt: null,
    cancelledAt: null,
    createdAt: now,
    expiresAt: DateTime.add(now, { days: 30 }),
    pinned: false,
    ...overrides
  })

const communication = post({
  id: GazettePostId.make("99999999-9999-4999-8999-999999999999"),
  kind: "communication",
  communityId: null,
  authorName: "Mairie de Cadaujac",
  title: "Travaux rue des Écoles",
  body: "La rue sera fermée lundi.",
  photos: [],
  details: { _tag: "communication", communityIds: [], pinnedUntil: DateTime.add(now, { days: 7 }) },
  expiresAt: null,
  pinned: true
})

describe("the Gazette of my quartier", () => {
  it("shows the mairie's pinned news first, then the posts, and asks again with the filters and the search", async () => {
    const s = stubServer({
      WatchLiveEvents: () => Stream.never,
      ListGazette: () =>
        Effect.succeed(new GazettePageSchema({ pinned: [communication], posts: [post()], next: Option.none() }))
    })
    renderPage(() => <GazettePage me={me()} />, s, "/gazette")
    const pinned = await screen.findByRole("list", { name: "Communications épinglées de la mairie" })
    expect(within(pinned).getByRole("link", { name: "Travaux rue des Écoles" })).toBeTruthy()
    const posts = screen.getByRole("list", { name: "Publications de la Gazette" })
    expect(within(posts).getByRole("link", { name: "Chat roux perdu" }).getAttribute("href")).toBe(`/gazette/${postId}`)
    expect(within(posts).getByText("Perdu : animal")).toBeTruthy()
    expect(s.called("ListGazette")[0]!.payload).toMatchObject({ communityId: bourg.id, kinds: [], state: "open" })

    await userEvent.selectOptions(screen.getByLabelText("Rubrique"), "Perdu / trouvé")
    await userEvent.click(screen.getByRole("radio", { name: "Toutes" }))
    await userEvent.type(screen.getByLabelText("Mots à chercher"), "écoles")
    await userEvent.click(screen.getByRole("button", { name: "Rechercher" }))
    await waitFor(() =>
      expect(s.called("ListGazette").at(-1)!.payload).toMatchObject({ kinds: ["perdu_trouve"], state: "all",
        query: "écoles" })
    )
  })

  it("tells a member whose address is not activated yet how to read it, and asks the server nothing", async () => {
    const s = stubServer({ WatchLiveEvents: () => Stream.never })
    renderPage(() => <GazettePage me={me("pending_verification")} />, s, "/gazette")
    expect(await screen.findByText(/réservée aux membres vérifiés/)).toBeTruthy()
    expect(s.called("ListGazette")).toEqual([])
  })
})

describe("publishing in the Gazette", () => {
  it("checks a ride's fields in French before sending, then sends the times in UTC, and shows the server's refusal next to its field", async () => {
    let answer: Effect.Effect<any, any> = Effect.fail(
      new InvalidGazettePost({ field: "departsAt", reason: "in_the_past" })
    )
    const s = stubServer({ PublishGazettePost: () => answer })
    const { history } = renderPage(() => <PublishPost me={me()} />, s, "/gazette/nouvelle")
    await userEvent.click(screen.getByRole("button", { name: "Publier" }))
    expect(await screen.findByText("Choisissez ce que vous publiez.")).toBeTruthy()

    await userEvent.click(screen.getByRole("radio", { name: /^Covoiturage/ }))
    await userEvent.type(screen.getByLabelText("Départ"), "Place de l'Église")
    await userEvent.type(screen.getByLabelText("Titre"), "Bordeaux samedi matin")
    await userEvent.type(screen.getByLabelText("Texte"), "Je descends à Bordeaux, deux places libres.")
    await userEvent.click(screen.getByRole("button", { name: "Publier" }))
    expect(await screen.findByText("Indiquez la destination.")).toBeTruthy()
    expect(screen.getByText("Indiquez la date et l'heure de départ.")).toBeTruthy()
    expect(s.called("PublishGazettePost")).toEqual([])

    await userEvent.type(screen.getByLabelText("Destination"), "Bordeaux, gare Saint-Jean")
    await userEvent.type(screen.getByLabelText("Date et heure du départ"), "2027-07-03T09:30")
    await userEvent.click(screen.getByRole("button", { name: "Publier" }))
    expect(await screen.findByText("Cette date est déjà passée : choisissez une date à venir.")).toBeTruthy()
    const payload = s.called("PublishGazettePost")[0]!.payload
    expect(payload.communityId).toBe(bourg.id)
    expect(payload.details).toMatchObject({ _tag: "covoiturage", direction: "offre", from: "Place de l'Église",
      to: "Bordeaux, gare Saint-Jean", seats: 3 })
    // 9:30 in Paris in July is 7:30 UTC.
    expect(DateTime.formatIso(payload.details.departsAt)).toBe("2027-07-03T07:30:00.000Z")

    answer = Effect.succeed(new PublishedGazettePost({ post: post({ mine: true, kind: "covoiturage" }), flagged: [] }))
    await userEvent.click(screen.getByRole("button", { name: "Publier" }))
    await waitFor(() => expect(history.get()).toBe(`/gazette/${postId}`))
  })

  it("sends each photo as soon as it is chosen, says in French why one is refused, and attaches only those kept", async () => {
    const s = stubServer({
      UploadFile: (p: any) =>
        p.name === "enorme.jpg"
          ? Effect.fail(new FileTooLarge({ bytes: 12 * 1048576, limit: 10 * 1048576 }))
          : Effect.succeed(
            new UploadView({ id: photoId, kind: "photo", contentType: "image/jpeg", bytes: 250_000, width: 1200,
              height: 900, name: p.name })
          ),
      PublishGazettePost: () =>
        Effect.succeed(new PublishedGazettePost({ post: post({ mine: true, status: "held_for_review" }), flagged: [] }))
    })
    renderPage(() => <PublishPost me={me()} />, s, "/gazette/nouvelle")
    await userEvent.click(screen.getByRole("radio", { name: /^Perdu \/ trouvé/ }))
    await userEvent.type(screen.getByLabelText("Où ?"), "Rue des Écoles")
    await userEvent.type(screen.getByLabelText("Titre"), "Chat roux perdu")
    await userEvent.type(screen.getByLabelText("Texte"), "Caramel, collier bleu.")
    const input = screen.getByLabelText("Photos (facultatif)") as HTMLInputElement
    await userEvent.upload(input, [
      new File([new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3])], "caramel.jpg", { type: "image/jpeg" }),
      new File([new Uint8Array([0xff, 0xd8, 0xff])], "enorme.jpg", { type: "image/jpeg" })
    ])
    expect(await screen.findByText(/« enorme.jpg » : Ce fichier est trop lourd \(12 Mo\) : 10 Mo au plus\./))
      .toBeTruthy()
    const kept = screen.getByRole("list", { name: "Photos jointes" })
    expect(within(kept).getByRole("button", { name: "Retirer caramel.jpg" })).toBeTruthy()
    expect(within(kept).queryByRole("button", { name: "Retirer enorme.jpg" })).toBeNull()
    expect(Array.from(s.called("UploadFile")[0]!.payload.data as Uint8Array)).toEqual([0xff, 0xd8, 0xff, 1, 2, 3])

    await userEvent.click(screen.getByRole("button", { name: "Publier" }))
    expect(await screen.findByText(/sera visible de vos voisins dès qu'un modérateur l'aura relue/)).toBeTruthy()
    expect(s.called("PublishGazettePost")[0]!.payload.photos).toEqual([photoId])
  })
})

describe("a Gazette post", () => {
  it("shows its facts and photos, and lets its author close it with an outcome of its kind", async () => {
    const s = stubServer({
      WatchLiveEvents: () => Stream.never,
      GetGazettePost: () => Effect.succeed(post({ mine: true })),
      ListGazetteComments: () => Effect.succeed(new GazetteComments({ postId, threads: [] })),
      GetGazetteThanks: () => Effect.succeed(new GazetteThanks({ postId, count: 0, mine: false, names: [] })),
      CloseGazettePost: () => Effect.succeed(post({ mine: true, state: "closed", outcome: "retrouve" }))
    })
    renderPage(() => <GazettePostPage me={me()} />, s, `/gazette/${postId}`, "/gazette/:id")
    expect(await screen.findByRole("heading", { level: 1, name: "Chat roux perdu" })).toBeTruthy()
    expect(screen.getByText("Rue des Écoles")).toBeTruthy()
    expect(screen.getByRole("img", { name: "Photo 1 de « Chat roux perdu »" }).getAttribute("src"))
      .toBe(`/media/${photoId}`)
    expect(screen.queryByRole("button", { name: "Marquer « Vendu »" })).toBeNull()
    await userEvent.click(screen.getByRole("button", { name: "Marquer « Retrouvé »" }))
    await waitFor(() => expect(s.called("CloseGazettePost")[0]!.payload).toMatchObject({ postId, outcome: "retrouve" }))
    expect(await screen.findByText("Retrouvé")).toBeTruthy()
  })

  it("lets a neighbour thank, comment and answer a reply, and answer an event, with its calendar file", async () => {
    const commentId = GazetteCommentId.make("12121212-1212-4121-8121-121212121212")
    const event = post({ kind: "evenement", title: "Repas partagé", photos: [],
      details: { _tag: "evenement", startsAt: DateTime.add(now, { days: 5 }), place: "Salle des fêtes",
        capacity: 40 } })
    let threads: Array<GazetteThread> = []
    const view = (body: string, id = commentId) =>
      new GazetteCommentView({ id, authorName: "Hugo P.", mine: false, body, held: false, deleted: false,
        createdAt: now })
    const answers = (mine: "going" | null, going: number) =>
      new GazetteEventAnswers({ postId, going, maybe: 0, no: 0, coming: going > 0 ? ["Yvette P."] : [],
        mine: Option.fromNullable(mine), capacity: Option.some(40), placesLeft: Option.some(40 - going),
        cancelled: false })
    const s = stubServer({
      WatchLiveEvents: () => Stream.never,
      GetGazettePost: () => Effect.succeed(event),
      ListGazetteComments: () => Effect.succeed(new GazetteComments({ postId, threads })),
      GetGazetteThanks: () => Effect.succeed(new GazetteThanks({ postId, count: 0, mine: false, names: [] })),
      ThankGazettePost: () => Effect.succeed(new GazetteThanks({ postId, count: 1, mine: true, names: ["Yvette P."] })),
      GetGazetteEventAnswers: () => Effect.succeed(answers(null, 0)),
      AnswerGazetteEvent: () => Effect.succeed(answers("going", 1)),
      CommentGazettePost: (p: any) => {
        threads = p.replyTo === undefined
          ? [new GazetteThread({ comment: view(p.text), replies: [] })]
          : [
            new GazetteThread({ comment: threads[0]!.comment,
              replies: [view(p.text, GazetteCommentId.make("34343434-3434-4343-8343-343434343434"))] })
          ]
        return Effect.succeed(
          new PostedGazetteComment({ postId, comment: view(p.text), parentId: Option.none(), flagged: [] })
        )
      }
    })
    renderPage(() => <GazettePostPage me={me()} />, s, `/gazette/${postId}`, "/gazette/:id")
    await userEvent.click(await screen.findByRole("button", { name: "Merci" }))
    expect(await screen.findByText("1 merci : Yvette P.")).toBeTruthy()
    expect(screen.getByRole("button", { name: "Merci ✓" }).getAttribute("aria-pressed")).toBe("true")

    await userEvent.click(screen.getByRole("button", { name: "J'y serai" }))
    await waitFor(() =>
      expect(screen.getByTestId("answers").textContent).toMatch(/1 personne vient · 0 peut-être · 39 places restantes/)
    )
    expect(s.called("AnswerGazetteEvent")[0]!.payload).toMatchObject({ postId, answer: "going" })
    expect(screen.getByRole("link", { name: "Ajouter à mon agenda (.ics)" }).getAttribute("href"))
      .toBe(`/gazette/evenements/${postId}.ics`)

    await userEvent.click(screen.getByRole("button", { name: "Publier le commentaire" }))
    expect(await screen.findByText("Écrivez quelques mots avant d'envoyer.")).toBeTruthy()
    expect(s.called("CommentGazettePost")).toEqual([])
    await userEvent.type(screen.getByLabelText("Votre commentaire"), "Je l'ai vu rue des Écoles")
    await userEvent.click(screen.getByRole("button", { name: "Publier le commentaire" }))
    const list = await screen.findByRole("list", { name: "Commentaires" })
    expect(within(list).getByText("Je l'ai vu rue des Écoles")).toBeTruthy()
    await userEvent.click(within(list).getByRole("button", { name: "Répondre" }))
    await userEvent.type(screen.getByLabelText("Votre réponse"), "Merci, j'y vais")
    await userEvent.click(screen.getByRole("button", { name: "Envoyer la réponse" }))
    expect(await within(await screen.findByRole("list", { name: "Réponses" })).findByText("Merci, j'y vais"))
      .toBeTruthy()
    expect(s.called("CommentGazettePost")[1]!.payload).toMatchObject({ postId, replyTo: commentId })
  })

  it("says so when the post cannot be read", async () => {
    const s = stubServer({
      WatchLiveEvents: () => Stream.never,
      GetGazettePost: () => Effect.fail({ _tag: "GazettePostNotFound", postId } as never)
    })
    renderPage(() => <GazettePostPage me={me()} />, s, `/gazette/${postId}`, "/gazette/:id")
    expect(await screen.findByText(/Cette publication n'existe pas/)).toBeTruthy()
  })
})

describe("the mairie's communication", () => {
  it("goes to the chosen quartiers, pinned until the end of the day chosen (Paris time)", async () => {
    const s = stubServer({
      ListManagedCommunities: () =>
        Effect.succeed([bourg, graves].map((community) => ({ community, verifiedMembers: 10, referents: [] }))),
      PublishMairieCommunication: () => Effect.succeed(new PublishedGazettePost({ post: communication, flagged: [] }))
    })
    renderPage(() => <MairieCommunication staff={{ insee, side: "mairie" }} />, s, "/mairie/gazette")
    await userEvent.click(screen.getByRole("radio", { name: "Certains quartiers" }))
    await userEvent.click(screen.getByRole("button", { name: "Publier la communication" }))
    expect(await screen.findByText("Choisissez au moins un quartier, ou toute la commune.")).toBeTruthy()
    await userEvent.click(await screen.findByRole("checkbox", { name: "Les Graves" }))
    expect(screen.getByRole("link", { name: "Imprimer la Gazette de Les Graves (PDF)" }).getAttribute("href"))
      .toBe(`/gazette/quartiers/${graves.id}/gazette.pdf`)
    await userEvent.type(screen.getByLabelText("Titre"), "Travaux rue des Écoles")
    await userEvent.type(screen.getByLabelText("Texte"), "La rue sera fermée lundi.")
    await userEvent.type(screen.getByLabelText(/Épingler en tête/), "2026-03-09")
    await userEvent.click(screen.getByRole("button", { name: "Publier la communication" }))
    expect(await screen.findByText(/paraît dans la Gazette/)).toBeTruthy()
    const payload = s.called("PublishMairieCommunication")[0]!.payload
    expect(payload).toMatchObject({ insee, communityIds: [graves.id], title: "Travaux rue des Écoles" })
    expect(DateTime.formatIso(payload.pinnedUntil)).toBe("2026-03-09T22:59:00.000Z")
  })
})

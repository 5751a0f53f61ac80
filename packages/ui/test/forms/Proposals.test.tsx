import { Unauthenticated } from "@vigie/domain/accounts/AccountErrors"
import { CommunityId } from "@vigie/domain/communities/Community"
import { Community } from "@vigie/domain/communities/Community"
import { PerimeterOverlap } from "@vigie/domain/communities/CommunityErrors"
import {
  MyProposal,
  ProposalAlreadyDecided,
  ProposalForDecision,
  ProposalId
} from "@vigie/domain/proposals/CommunityProposal"
import { cleanup, fireEvent, screen, waitFor, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect, Option, Redacted } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { MyProposals } from "../../src/features/proposals/MyProposals.js"
import { ProposalsReview } from "../../src/features/proposals/ProposalsReview.js"
import { ProposeQuartier } from "../../src/features/proposals/ProposeQuartier.js"
import { SignUp } from "../../src/features/registration/SignUp.js"
import { bourg, cadaujac, insee, me, now } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const proposalId = ProposalId.make("88888888-8888-4888-8888-888888888888")
const drawn = "-0.58, 44.76\n-0.57, 44.76\n-0.57, 44.77"
const drawnPolygon = {
  type: "Polygon",
  coordinates: [[[-0.58, 44.76], [-0.57, 44.76], [-0.57, 44.77], [-0.58, 44.76]]]
}
const pointsLabel = "Points du périmètre, un par ligne : longitude, latitude"

const fillProposal = async () => {
  await userEvent.type(await screen.findByLabelText("Nom proposé pour le quartier"), "Les Saules")
  await userEvent.type(screen.getByLabelText("Pourquoi ce quartier ?"), "Vingt foyers sans quartier")
  fireEvent.input(screen.getByLabelText(pointsLabel), { target: { value: drawn } })
  await userEvent.type(screen.getByLabelText("Numéro et rue"), "12 rue des Saules")
}

describe("proposing a quartier", () => {
  it("sign-up offers to propose a quartier where none is open, naming the commune", async () => {
    const s = stubServer({
      WhoAmI: () => Effect.fail(new Unauthenticated()),
      FindCommunes: () => Effect.succeed([cadaujac]),
      ListCommunities: () => Effect.succeed([])
    })
    renderPage(() => <SignUp />, s, "/inscription")
    await userEvent.type(await screen.findByLabelText("Code postal de mon domicile"), "33140")
    await userEvent.click(screen.getByRole("button", { name: "Rechercher ma commune" }))
    const link = await screen.findByRole("link", { name: "Proposer un quartier" })
    expect(link.getAttribute("href")).toBe("/proposer?commune=33080&nom=Cadaujac")
    expect(screen.queryByText(/Parlez-en à votre mairie/)).toBeNull()
  })

  it("a visitor signs up with the proposal after every missing field is named in French", async () => {
    const s = stubServer({
      WhoAmI: () => Effect.fail(new Unauthenticated()),
      ListCommunities: () => Effect.succeed([bourg]),
      RegisterWithProposal: () => Effect.void,
      LogIn: () => Effect.succeed(me("verified"))
    })
    renderPage(() => <ProposeQuartier />, s, "/proposer?commune=33080&nom=Cadaujac")
    await userEvent.click(await screen.findByRole("button", { name: "Envoyer ma proposition" }))
    expect(await screen.findByText("Indiquez le nom que vous proposez pour le quartier.")).toBeTruthy()
    expect(screen.getByText("Indiquez pourquoi vous proposez ce quartier.")).toBeTruthy()
    expect(screen.getByText("Dessinez le périmètre proposé : au moins 3 points.")).toBeTruthy()
    expect(screen.getByText("Indiquez votre prénom.")).toBeTruthy()
    expect(s.called("RegisterWithProposal")).toHaveLength(0)
    // The other quartiers of the commune are drawn for reference.
    expect(screen.getByRole("img", { name: /^Carte du périmètre dessiné/ }).querySelectorAll("path.quartier"))
      .toHaveLength(1)

    await fillProposal()
    await userEvent.type(screen.getByLabelText("Code postal"), "33140")
    await userEvent.type(screen.getByLabelText("Prénom"), "Élise")
    await userEvent.type(screen.getByLabelText("Nom"), "Martin")
    await userEvent.type(screen.getByLabelText("Adresse e-mail"), "elise.martin@example.org")
    await userEvent.type(screen.getByLabelText("Mot de passe"), "mon chat dort au soleil")
    await userEvent.click(screen.getByRole("button", { name: "Envoyer ma proposition" }))
    await waitFor(() => expect(s.called("LogIn")).toHaveLength(1))
    const payload = s.called("RegisterWithProposal")[0]!.payload
    expect({ ...payload, password: Redacted.value(payload.password), address: { ...payload.address } }).toMatchObject({
      firstName: "Élise",
      lastName: "Martin",
      email: "elise.martin@example.org",
      password: "mon chat dort au soleil",
      insee,
      name: "Les Saules",
      reason: "Vingt foyers sans quartier",
      perimeter: drawnPolygon,
      address: { line1: "12 rue des Saules", postcode: "33140", city: "Cadaujac" }
    })
  })

  it("a signed-in resident proposes; an overlap is shown next to the perimeter", async () => {
    let tries = 0
    const s = stubServer({
      WhoAmI: () => Effect.succeed(me("verified")),
      ListCommunities: () => Effect.succeed([bourg]),
      ProposeCommunity: () =>
        ++tries === 1
          ? Effect.fail(new PerimeterOverlap({ otherCommunityId: bourg.id, otherName: "Le Bourg" }))
          : Effect.succeed(mine("pending"))
    })
    renderPage(() => <ProposeQuartier />, s, "/proposer?commune=33080&nom=Cadaujac")
    await fillProposal()
    await userEvent.type(screen.getByLabelText("Code postal"), "33140")
    // Signed in: no identity to give.
    expect(screen.queryByLabelText("Mot de passe")).toBeNull()
    await userEvent.click(screen.getByRole("button", { name: "Envoyer ma proposition" }))
    const error = await screen.findByText(/^Ce périmètre chevauche le quartier « Le Bourg »/)
    expect(error.id).toBe("perimeter-error")
    await userEvent.click(screen.getByRole("button", { name: "Envoyer ma proposition" }))
    await waitFor(() => expect(s.called("ProposeCommunity")).toHaveLength(2))
    expect(s.called("ProposeCommunity")[1]!.payload).toMatchObject({ insee, name: "Les Saules",
      perimeter: drawnPolygon })
  })
})

const mine = (status: MyProposal["status"], reason?: string) =>
  new MyProposal({
    id: proposalId,
    insee,
    communeName: "Cadaujac",
    name: "Les Saules",
    reason: "Vingt foyers sans quartier",
    perimeter: bourg.perimeter,
    status,
    createdAt: now,
    decidedAt: status === "pending" ? Option.none() : Option.some(now),
    refusalReason: Option.fromNullable(reason),
    communityId: Option.none()
  })

describe("my proposals", () => {
  it("shows each proposal's status and the refusal's reason; a pending one is withdrawn", async () => {
    let withdrawn = false
    const s = stubServer({
      ListMyProposals: () =>
        Effect.succeed([
          withdrawn ? mine("withdrawn") : mine("pending"),
          new MyProposal({ ...mine("refused", "Secteur déjà couvert en janvier"),
            id: ProposalId.make("99999999-9999-4999-8999-999999999999"), name: "La Gare" })
        ]),
      WithdrawProposal: () => Effect.sync(() => void (withdrawn = true))
    })
    renderPage(() => <MyProposals />, s, "/propositions")
    const list = await screen.findByRole("list", { name: "Mes propositions" })
    expect(within(list).getByText("En attente de décision")).toBeTruthy()
    expect(within(list).getByText("Raison donnée : Secteur déjà couvert en janvier")).toBeTruthy()
    await userEvent.click(screen.getByRole("button", { name: "Retirer la proposition Les Saules" }))
    expect(await screen.findByText("Votre proposition « Les Saules » est retirée.")).toBeTruthy()
    expect(s.called("WithdrawProposal")[0]!.payload).toEqual({ proposalId })
    await waitFor(() => expect(within(list).getByText("Retirée")).toBeTruthy())
  })
})

const toDecide = new ProposalForDecision({
  id: proposalId,
  insee,
  communeName: "Cadaujac",
  name: "Les Saules",
  reason: "Vingt foyers sans quartier",
  perimeter: drawnPolygon as never,
  status: "pending",
  createdAt: now,
  decidedAt: Option.none(),
  refusalReason: Option.none(),
  communityId: Option.none(),
  requesterName: "Élise M.",
  street: "rue des Saules",
  postcode: "33140",
  city: "Cadaujac"
})

describe("deciding proposals", () => {
  it("refuses only with a reason, which is sent", async () => {
    const s = stubServer({
      ListProposals: () => Effect.succeed([toDecide]),
      RefuseProposal: () => Effect.void
    })
    renderPage(() => <ProposalsReview insee={insee} />, s, "/mairie/quartiers")
    const card = await screen.findByRole("listitem", { name: "Les Saules" })
    expect(within(card).getByText(/proposé par Élise M\., rue des Saules, 33140 Cadaujac/)).toBeTruthy()
    expect(within(card).getByText(/-0\.58, 44\.76/)).toBeTruthy()
    expect(within(card).getByRole("img", { name: "Périmètre proposé pour Les Saules" })).toBeTruthy()
    await userEvent.click(within(card).getByRole("button", { name: "Refuser Les Saules" }))
    await userEvent.click(screen.getByRole("button", { name: "Refuser la proposition" }))
    expect(await screen.findByText("Indiquez la raison du refus : elle est envoyée à la personne.")).toBeTruthy()
    expect(s.called("RefuseProposal")).toHaveLength(0)
    await userEvent.type(screen.getByLabelText("Raison du refus (envoyée à la personne)"), "Secteur déjà couvert")
    await userEvent.click(screen.getByRole("button", { name: "Refuser la proposition" }))
    expect(await screen.findByText("La proposition « Les Saules » est refusée ; Élise M. est prévenu(e) par e-mail."))
      .toBeTruthy()
    expect(s.called("RefuseProposal")[0]!.payload).toEqual({ proposalId, reason: "Secteur déjà couvert" })
    expect(s.called("ListProposals")[0]!.payload).toEqual({ insee })
  })

  it("accepts with another name; a proposal decided meanwhile is said in French", async () => {
    let tries = 0
    const opened = new Community({ id: CommunityId.make("77777777-7777-4777-8777-777777777777"), insee,
      name: "Quartier des Saules", perimeter: drawnPolygon as never, status: "active" })
    const s = stubServer({
      ListProposals: () => Effect.succeed([toDecide]),
      AcceptProposal: () =>
        ++tries === 1
          ? Effect.fail(new ProposalAlreadyDecided({ proposalId, status: "withdrawn" }))
          : Effect.succeed(opened)
    })
    renderPage(() => <ProposalsReview />, s, "/admin")
    const card = await screen.findByRole("listitem", { name: "Les Saules" })
    await userEvent.click(within(card).getByRole("button", { name: "Accepter Les Saules" }))
    const name = screen.getByLabelText("Nom du quartier")
    await userEvent.clear(name)
    await userEvent.type(name, "Quartier des Saules")
    await userEvent.click(screen.getByRole("button", { name: "Ouvrir ce quartier" }))
    expect(await screen.findByText(/^Cette proposition a été retirée/)).toBeTruthy()
    await userEvent.click(screen.getByRole("button", { name: "Ouvrir ce quartier" }))
    expect(await screen.findByText("Le quartier « Quartier des Saules » est ouvert ; Élise M. en est le référent."))
      .toBeTruthy()
    expect(s.called("AcceptProposal")[1]!.payload).toEqual({ proposalId, name: "Quartier des Saules" })
    expect(s.called("ListProposals")[0]!.payload).toEqual({})
  })
})

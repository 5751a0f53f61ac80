import { Community, CommunityId } from "@vigie/domain/communities/Community"
import { CommunityNameTaken, PerimeterOverlap } from "@vigie/domain/communities/CommunityErrors"
import { RedrawPreviewStale } from "@vigie/domain/mairie/MairieErrors"
import { MembershipId } from "@vigie/domain/membership/Membership"
import { NotAVerifiedMember } from "@vigie/domain/membership/MembershipErrors"
import { cleanup, fireEvent, screen, waitFor, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect, Option } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { QuartiersPage } from "../../src/features/mairie/QuartiersPage.js"
import { bourg, graves, insee } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const chloe = MembershipId.make("44444444-4444-4444-8444-444444444444")
const jean = MembershipId.make("55555555-5555-4555-8555-555555555555")
const paul = MembershipId.make("66666666-6666-4666-8666-666666666666")

const managed = [
  { community: bourg, verifiedMembers: 42, referents: [{ membershipId: chloe, displayName: "Chloé M." }] },
  { community: graves, verifiedMembers: 1, referents: [] }
]

const page = (handlers: Parameters<typeof stubServer>[0]) => {
  const s = stubServer({
    ListManagedCommunities: () => Effect.succeed(managed),
    GetManagedCommune: () => Effect.succeed({ insee, name: "Cadaujac", startExtent: Option.none() }),
    ListProposals: () => Effect.succeed([]),
    ...handlers
  })
  renderPage(() => <QuartiersPage insee={insee} />, s, "/mairie/quartiers")
  return s
}

const drawnPoints = "-0.58, 44.76\n-0.57, 44.76\n-0.57, 44.77"

describe("the mairie's quartiers", () => {
  it("lists the open quartiers with their verified members and référents beside the map", async () => {
    const s = page({})
    const list = await screen.findByRole("list", { name: "Quartiers de la commune" })
    expect(within(list).getAllByRole("listitem").map((li) => li.querySelector("p")!.textContent)).toEqual([
      "42 membres vérifiés ; Référent : Chloé M.",
      "1 membre vérifié ; Aucun référent"
    ])
    const map = screen.getByRole("img", { name: "Plan des quartiers : Le Bourg, Les Graves" })
    expect(map.querySelectorAll("path.quartier")).toHaveLength(2)
    expect(s.called("ListManagedCommunities")[0]!.payload).toEqual({ insee })
    // The commune's quartier proposals are decided below the list.
    expect(await screen.findByRole("heading", { name: "Propositions de quartier" })).toBeTruthy()
    expect(screen.getByText("Aucune proposition en attente.")).toBeTruthy()
    expect(s.called("ListProposals")[0]!.payload).toEqual({ insee })
  })

  it("names the commune in the title", async () => {
    const s = page({})
    expect(await screen.findByRole("heading", { name: "Quartiers de Cadaujac", level: 1 })).toBeTruthy()
    expect(s.called("GetManagedCommune")[0]!.payload).toEqual({ insee })
  })

  it("starts a commune's first quartier on the nearby quartiers' extent, not on all of France", async () => {
    page({
      ListManagedCommunities: () => Effect.succeed([]),
      GetManagedCommune: () =>
        Effect.succeed({
          insee,
          name: "Cadaujac",
          startExtent: Option.some({ west: -0.57, south: 44.74, east: -0.5, north: 44.77 })
        })
    })
    await screen.findByRole("heading", { name: "Quartiers de Cadaujac", level: 1 })
    expect(screen.getByText("Aucun quartier n'est encore ouvert dans la commune.")).toBeTruthy()
    await userEvent.click(screen.getByRole("button", { name: "Ouvrir un quartier" }))
    // The point under the crosshair is the middle of the extent (jsdom's map has no size: centred).
    await userEvent.click(screen.getByRole("button", { name: "Ajouter le point au centre de la carte" }))
    const points = screen.getByLabelText(
      "Points du périmètre, un par ligne : longitude, latitude"
    ) as HTMLTextAreaElement
    expect(points.value).toBe("-0.535, 44.755")
  })

  it("opens a quartier drawn point by point, after naming what is missing in French", async () => {
    const created = new Community({
      id: CommunityId.make("77777777-7777-4777-8777-777777777777"),
      insee,
      name: "Les Vignes",
      perimeter: bourg.perimeter,
      status: "active"
    })
    const s = page({ CreateCommunity: () => Effect.succeed(created) })
    await userEvent.click(await screen.findByRole("button", { name: "Ouvrir un quartier" }))
    await userEvent.click(screen.getByRole("button", { name: "Ouvrir le quartier" }))
    expect(await screen.findByText("Donnez un nom au quartier, par exemple « Le Bourg ».")).toBeTruthy()
    expect(screen.getByText("Dessinez le périmètre : au moins 3 points.")).toBeTruthy()
    expect(s.called("CreateCommunity")).toHaveLength(0)

    await userEvent.type(screen.getByLabelText("Nom du quartier"), "Les Vignes")
    // The point under the crosshair, then the live count.
    await userEvent.click(screen.getByRole("button", { name: "Ajouter le point au centre de la carte" }))
    const status = screen.getByRole("status", { name: "" })
    expect(screen.getByText("1 point — encore 2 points au minimum")).toBeTruthy()
    const points = screen.getByLabelText(
      "Points du périmètre, un par ligne : longitude, latitude"
    ) as HTMLTextAreaElement
    expect(points.value).toMatch(/^-?\d+(\.\d+)?, -?\d+(\.\d+)?$/)
    await userEvent.click(screen.getByRole("button", { name: "Retirer le dernier point" }))
    expect(points.value).toBe("")

    // The accessible path: the points as text, a bad line named with its number.
    fireEvent.input(points, { target: { value: "-0.58, 44.76\nà côté de l'église" } })
    expect(await screen.findByText(/^Ligne 2 : « à côté de l'église » n'est pas un point/)).toBeTruthy()
    fireEvent.input(points, { target: { value: drawnPoints } })
    await waitFor(() => expect(status.textContent).toBe("3 points — le périmètre est fermé automatiquement"))
    expect(screen.queryByText(/^Ligne 2/)).toBeNull()

    await userEvent.click(screen.getByRole("button", { name: "Ouvrir le quartier" }))
    expect(await screen.findByText("Le quartier « Les Vignes » est ouvert.")).toBeTruthy()
    expect(s.called("CreateCommunity")[0]!.payload).toEqual({
      insee,
      name: "Les Vignes",
      perimeter: { type: "Polygon", coordinates: [[[-0.58, 44.76], [-0.57, 44.76], [-0.57, 44.77], [-0.58, 44.76]]] }
    })
    await waitFor(() => expect(s.called("ListManagedCommunities")).toHaveLength(2))
  })

  it("shows an overlap next to the perimeter, naming the other quartier", async () => {
    page({
      CreateCommunity: () => Effect.fail(new PerimeterOverlap({ otherCommunityId: bourg.id, otherName: "Le Bourg" }))
    })
    await userEvent.click(await screen.findByRole("button", { name: "Ouvrir un quartier" }))
    await userEvent.type(screen.getByLabelText("Nom du quartier"), "Les Vignes")
    fireEvent.input(screen.getByLabelText("Points du périmètre, un par ligne : longitude, latitude"), {
      target: { value: drawnPoints }
    })
    await userEvent.click(screen.getByRole("button", { name: "Ouvrir le quartier" }))
    const error = await screen.findByText(/^Ce périmètre chevauche le quartier « Le Bourg »/)
    expect(error.id).toBe("perimeter-error")
    expect(screen.getByRole("heading", { name: "Ouvrir un quartier" })).toBeTruthy()
  })

  it("renames a quartier; a name another quartier has is refused next to the field", async () => {
    let tries = 0
    const s = page({
      RenameCommunity: ({ name }) =>
        ++tries === 1
          ? Effect.fail(new CommunityNameTaken({ name }))
          : Effect.succeed(new Community({ ...bourg, name }))
    })
    await userEvent.click(await screen.findByRole("button", { name: "Renommer Le Bourg" }))
    const field = screen.getByLabelText("Nouveau nom") as HTMLInputElement
    expect(field.value).toBe("Le Bourg")
    await userEvent.clear(field)
    await userEvent.type(field, "Les Graves")
    await userEvent.click(screen.getByRole("button", { name: "Renommer" }))
    const error = await screen.findByText(
      "Un quartier ouvert de cette commune s'appelle déjà « Les Graves ». Choisissez un autre nom."
    )
    expect(error.id).toBe("quartier-name-error")
    await userEvent.clear(field)
    await userEvent.type(field, "Le Vieux Bourg")
    await userEvent.click(screen.getByRole("button", { name: "Renommer" }))
    expect(await screen.findByText("Le quartier s'appelle désormais « Le Vieux Bourg ».")).toBeTruthy()
    expect(s.called("RenameCommunity").map((c) => c.payload)).toEqual([
      { communityId: bourg.id, name: "Les Graves" },
      { communityId: bourg.id, name: "Le Vieux Bourg" }
    ])
  })

  it("redraws only after listing the members who would fall outside, and acknowledges exactly them", async () => {
    const s = page({
      PreviewRedraw: () =>
        Effect.succeed({ outside: [{ membershipId: jean, displayName: "Jean D.", street: "Rue des Vignes" }] }),
      RedrawCommunity: () => Effect.succeed(bourg)
    })
    await userEvent.click(await screen.findByRole("button", { name: "Redessiner Le Bourg" }))
    const points = screen.getByLabelText(
      "Points du périmètre, un par ligne : longitude, latitude"
    ) as HTMLTextAreaElement
    expect(points.value).toBe("-0.54, 44.75\n-0.53, 44.75\n-0.53, 44.76\n-0.54, 44.76")
    expect(screen.queryByRole("button", { name: "Confirmer le nouveau périmètre" })).toBeNull()

    await userEvent.click(screen.getByRole("button", { name: "Vérifier" }))
    const outside = await screen.findByRole("list", { name: "Membres hors du nouveau périmètre" })
    expect(within(outside).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["Jean D. — Rue des Vignes"])
    expect(screen.getByText(/1 membre habite hors du nouveau périmètre/)).toBeTruthy()
    expect(s.called("PreviewRedraw")[0]!.payload).toEqual({ communityId: bourg.id, perimeter: bourg.perimeter })

    // Any change to the drawing drops the check.
    await userEvent.click(screen.getByRole("button", { name: "Retirer le dernier point" }))
    expect(screen.queryByRole("button", { name: "Confirmer le nouveau périmètre" })).toBeNull()
    fireEvent.input(points, { target: { value: "-0.54, 44.75\n-0.53, 44.75\n-0.53, 44.76\n-0.54, 44.76" } })
    await userEvent.click(screen.getByRole("button", { name: "Vérifier" }))
    await userEvent.click(await screen.findByRole("button", { name: "Confirmer le nouveau périmètre" }))
    expect(await screen.findByText("Le périmètre de « Le Bourg » est redessiné.")).toBeTruthy()
    expect(s.called("RedrawCommunity")[0]!.payload).toEqual({
      communityId: bourg.id,
      perimeter: bourg.perimeter,
      acknowledged: [jean]
    })
  })

  it("says when nobody falls outside, and asks to check again when the members changed meanwhile", async () => {
    const s = page({
      PreviewRedraw: () => Effect.succeed({ outside: [] }),
      RedrawCommunity: () => Effect.fail(new RedrawPreviewStale({ communityId: graves.id }))
    })
    await userEvent.click(await screen.findByRole("button", { name: "Redessiner Les Graves" }))
    await userEvent.click(screen.getByRole("button", { name: "Vérifier" }))
    expect(await screen.findByText("Aucun membre ne se trouve hors du nouveau périmètre.")).toBeTruthy()
    await userEvent.click(screen.getByRole("button", { name: "Confirmer le nouveau périmètre" }))
    expect(await screen.findByText(/^Les membres qui se trouveraient hors du nouveau périmètre ont changé/))
      .toBeTruthy()
    expect(screen.queryByRole("button", { name: "Confirmer le nouveau périmètre" })).toBeNull()
    expect(s.called("RedrawCommunity")[0]!.payload).toMatchObject({ communityId: graves.id, acknowledged: [] })
  })

  it("archives after a confirmation that says the members will be told by e-mail", async () => {
    const s = page({ ArchiveCommunity: () => Effect.void })
    await userEvent.click(await screen.findByRole("button", { name: "Archiver Le Bourg" }))
    const dialog = screen.getByRole("alertdialog", { name: "Archiver « Le Bourg » ?" })
    expect(dialog.textContent).toContain(
      "Tous ses membres seront prévenus par e-mail : 42 membres vérifiés et ceux en attente de vérification."
    )
    await userEvent.click(within(dialog).getByRole("button", { name: "Annuler" }))
    expect(s.called("ArchiveCommunity")).toHaveLength(0)
    await userEvent.click(screen.getByRole("button", { name: "Archiver Le Bourg" }))
    await userEvent.click(screen.getByRole("button", { name: "Archiver le quartier" }))
    expect(await screen.findByText("Le quartier « Le Bourg » est archivé.")).toBeTruthy()
    expect(document.activeElement).toBe(screen.getByRole("heading", { name: "Quartiers de Cadaujac", level: 1 }))
    expect(s.called("ArchiveCommunity")[0]!.payload).toEqual({ communityId: bourg.id })
  })

  it("appoints a verified member référent and removes one; a refusal is shown in French", async () => {
    let refuse = false
    const s = page({
      ListCommunityMembers: () =>
        Effect.succeed([
          { membershipId: chloe, displayName: "Chloé M.", role: "referent" as const, verified: true },
          { membershipId: jean, displayName: "Jean D.", role: "resident" as const, verified: true },
          { membershipId: paul, displayName: "Paul R.", role: "resident" as const, verified: false }
        ]),
      AppointReferent: ({ communityId, membershipId }) =>
        refuse ? Effect.fail(new NotAVerifiedMember({ communityId, membershipId })) : Effect.void,
      RemoveReferent: () => Effect.void
    })
    await userEvent.click(await screen.findByRole("button", { name: "Référents de Le Bourg" }))
    const members = await screen.findByRole("list", { name: "Membres du quartier" })
    expect(within(members).queryByRole("button", { name: "Nommer Paul R. référent" })).toBeNull()
    await userEvent.click(within(members).getByRole("button", { name: "Nommer Jean D. référent" }))
    expect(await screen.findByText("Jean D. est référent du quartier.")).toBeTruthy()
    expect(s.called("AppointReferent")[0]!.payload).toEqual({ communityId: bourg.id, membershipId: jean })
    await userEvent.click(within(members).getByRole("button", { name: "Retirer Chloé M. des référents" }))
    expect(await screen.findByText("Chloé M. n'est plus référent.")).toBeTruthy()
    expect(s.called("RemoveReferent")[0]!.payload).toEqual({ communityId: bourg.id, membershipId: chloe })
    refuse = true
    await userEvent.click(within(members).getByRole("button", { name: "Nommer Jean D. référent" }))
    expect(await screen.findByText("Seul un membre vérifié de ce quartier (adresse activée) peut en être référent."))
      .toBeTruthy()
  })
})

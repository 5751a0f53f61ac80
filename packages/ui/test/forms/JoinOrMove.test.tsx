import { MoveNotAllowed } from "@vigie/domain/membership/MembershipErrors"
import { LetterSent } from "@vigie/domain/verification/ActivationRpcs"
import { cleanup, screen, waitFor } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { JoinOrMove } from "../../src/features/registration/JoinOrMove.js"
import { Profile } from "../../src/features/session/Profile.js"
import { bourg, cadaujac, graves, me, membership, now } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const asked = membership(graves, "pending_verification", "55555555-5555-4555-8555-555555555555")
const base = {
  WhoAmI: () => Effect.succeed(me()),
  FindCommunes: () => Effect.succeed([cadaujac]),
  ListCommunities: () => Effect.succeed([bourg, graves]),
  RequestActivationLetter: () => Effect.succeed(new LetterSent({ membershipId: asked.id, expiresAt: now }))
}

const toQuartiers = async (submit: string) => {
  await userEvent.type(await screen.findByLabelText("Code postal de l'adresse"), "33140")
  await userEvent.click(screen.getByRole("button", { name: "Rechercher la commune" }))
  await screen.findByRole("button", { name: submit })
}

describe("joining another quartier and moving home", () => {
  it("lists only the quartiers I am not in, asks to join at the address given, then asks for the letter", async () => {
    const s = stubServer({ ...base, JoinCommunity: () => Effect.succeed(asked) })
    renderPage(() => <JoinOrMove me={me()} mode="join" />, s, "/quartiers/rejoindre")
    await toQuartiers("Demander à rejoindre ce quartier")
    // Le Bourg is already mine: only Les Graves is offered, beside its map.
    expect(screen.queryByRole("radio", { name: "Le Bourg" })).toBeNull()
    await userEvent.click(screen.getByRole("button", { name: "Demander à rejoindre ce quartier" }))
    expect(await screen.findByText("Choisissez le quartier dans la liste.")).toBeTruthy()
    expect(s.called("JoinCommunity")).toEqual([])

    await userEvent.click(screen.getByRole("radio", { name: "Les Graves" }))
    await userEvent.type(screen.getByLabelText("Numéro et rue"), "3 chemin des Graves")
    await userEvent.click(screen.getByRole("button", { name: "Demander à rejoindre ce quartier" }))
    await waitFor(() => expect(s.called("RequestActivationLetter")).toHaveLength(1))
    const [join] = s.called("JoinCommunity")
    expect(join!.payload.communityId).toBe(graves.id)
    expect(join!.payload.address.line1).toBe("3 chemin des Graves")
    expect(join!.payload.address.city).toBe("Cadaujac")
    expect(s.called("RequestActivationLetter")[0]!.payload).toEqual({ membershipId: asked.id })
  })

  it("a move the server refuses is said in French, and no letter is asked for", async () => {
    const s = stubServer({ ...base, MoveHome: () => Effect.fail(new MoveNotAllowed({ reason: "move_in_progress" })) })
    renderPage(() => <JoinOrMove me={me()} mode="move" />, s, "/demenagement")
    await toQuartiers("Déclarer ma nouvelle adresse")
    await userEvent.click(screen.getByRole("radio", { name: "Les Graves" }))
    await userEvent.type(screen.getByLabelText("Numéro et rue"), "3 chemin des Graves")
    await userEvent.click(screen.getByRole("button", { name: "Déclarer ma nouvelle adresse" }))
    expect(await screen.findByText(/Un déménagement attend déjà la vérification/)).toBeTruthy()
    expect(s.called("RequestActivationLetter")).toEqual([])
  })

  it("leaving a quartier from my profile asks for a confirmation first", async () => {
    const left = membership(bourg, "left")
    const s = stubServer({ ...base, LeaveCommunity: () => Effect.succeed(left) })
    renderPage(() => <Profile me={me()} />, s, "/profil")
    await userEvent.click(await screen.findByRole("button", { name: "Quitter ce quartier" }))
    expect(s.called("LeaveCommunity")).toEqual([])
    const confirm = screen.getByRole("group", { name: "Quitter Le Bourg" })
    expect(confirm.textContent).toContain("C'était votre quartier principal")
    await userEvent.click(screen.getByRole("button", { name: "Confirmer le départ" }))
    expect((await screen.findByRole("status")).textContent).toBe("Vous avez quitté le quartier « Le Bourg ».")
    expect(s.called("LeaveCommunity")[0]!.payload).toEqual({ membershipId: me().memberships[0]!.membership.id })
    expect(screen.getByRole("link", { name: "Je déménage" }).getAttribute("href")).toBe("/demenagement")
  })
})

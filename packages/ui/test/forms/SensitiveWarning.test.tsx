import { cleanup, screen, waitFor } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { PostAlert } from "../../src/features/alerts/PostAlert.js"
import { alertView, me } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const server = () =>
  stubServer({
    PostAlert: (p: any) => Effect.succeed(alertView({ mine: true, text: p.text, status: "held_for_review" }))
  })

/** Fills the form with `text` and presses "Continuer". */
const fill = async (text: string) => {
  await userEvent.click(screen.getByRole("radio", { name: "Personne suspecte" }))
  await userEvent.click(screen.getByRole("radio", { name: /^Urgent/ }))
  await userEvent.type(screen.getByLabelText("Ce que vous avez vu"), text)
  await userEvent.click(screen.getByRole("button", { name: "Continuer" }))
}

const marks = () => [...document.querySelectorAll("#flagged-text mark")].map((m) => m.textContent)

describe("warning before posting a sensitive description", () => {
  it("shows why, highlights the flagged words, moves focus to it, and sends nothing yet", async () => {
    const s = server()
    renderPage(() => <PostAlert me={me()} />, s, "/alertes/nouvelle")
    await fill("Un homme de type maghrébin et une femme voilée rôdent rue des Lilas")

    const title = await screen.findByRole("heading", { name: /décrivez ce qui se passe, pas qui sont les personnes/ })
    await waitFor(() => expect(document.activeElement).toBe(title))
    expect(title.closest("[role=alert]")).not.toBeNull()
    expect(
      screen.getByText(/le comportement \(ce que la personne\s+fait\), les vêtements, le véhicule, la direction prise/)
    ).toBeTruthy()
    expect(marks()).toEqual(["de type maghrébin", "voilée"])
    expect(document.querySelector("#flagged-text")?.textContent).toBe(
      "Un homme de type maghrébin et une femme voilée rôdent rue des Lilas"
    )
    const reasons = screen.getByRole("list", { name: "Passages signalés" })
    expect(reasons.textContent).toContain("« de type maghrébin » : origine")
    expect(reasons.textContent).toContain("« voilée » : religion")
    expect(screen.getByText(/un modérateur vérifiera votre alerte avant qu'elle parte à vos voisins/)).toBeTruthy()
    expect(document.querySelector("#review-delay")?.textContent).toMatch(
      /elle sera relue (sous 2 heures|ce matin avant 10 h|demain matin avant 10 h)\./
    )
    expect(screen.queryByRole("button", { name: "Envoyer l'alerte" })).toBeNull()
    expect(s.called("PostAlert")).toEqual([])
  })

  it("\"Publier quand même\" sends the text as written", async () => {
    const s = server()
    renderPage(() => <PostAlert me={me()} />, s, "/alertes/nouvelle")
    await fill("Deux jeunes noirs regardent les voitures")
    expect(await screen.findByRole("button", { name: "Publier quand même" })).toBeTruthy()
    expect(marks()).toEqual(["noirs"])
    expect(s.called("PostAlert")).toEqual([])

    await userEvent.click(screen.getByRole("button", { name: "Publier quand même" }))
    await waitFor(() => expect(s.called("PostAlert")).toHaveLength(1))
    expect(s.called("PostAlert")[0]!.payload).toMatchObject({
      category: "suspicious_person",
      urgency: "urgent",
      text: "Deux jeunes noirs regardent les voitures"
    })
  })

  it("\"Modifier mon alerte\" goes back to the form with the text kept; a corrected text goes to the usual confirmation", async () => {
    const s = server()
    renderPage(() => <PostAlert me={me()} />, s, "/alertes/nouvelle")
    await fill("Un homme noir")
    expect(marks()).toEqual(["Un homme", "noir"])
    await userEvent.click(await screen.findByRole("button", { name: "Modifier mon alerte" }))

    const text = screen.getByLabelText("Ce que vous avez vu") as HTMLTextAreaElement
    expect(text.value).toBe("Un homme noir")
    await waitFor(() => expect(document.activeElement).toBe(text))
    expect(s.called("PostAlert")).toEqual([])

    await userEvent.clear(text)
    await userEvent.type(text, "Un homme en veste noire essaie d'ouvrir les portières")
    await userEvent.click(screen.getByRole("button", { name: "Continuer" }))
    expect(await screen.findByRole("form", { name: "Confirmer l'envoi" })).toBeTruthy()
    expect(screen.queryByRole("button", { name: "Publier quand même" })).toBeNull()
    expect(s.called("PostAlert")).toEqual([])
  })

  it("a text that describes behaviour posts directly, without a warning", async () => {
    const s = server()
    renderPage(() => <PostAlert me={me()} />, s, "/alertes/nouvelle")
    await fill("Un homme en capuche essaie d'ouvrir les portières, voiture noire garée devant le portail blanc")
    expect(await screen.findByRole("form", { name: "Confirmer l'envoi" })).toBeTruthy()
    expect(screen.queryByRole("heading", { name: /pas qui sont les personnes/ })).toBeNull()
    expect(document.querySelectorAll("mark")).toHaveLength(0)

    await userEvent.click(screen.getByRole("button", { name: "Envoyer l'alerte" }))
    await waitFor(() => expect(s.called("PostAlert")).toHaveLength(1))
    expect(s.called("PostAlert")[0]!.payload.text).toBe(
      "Un homme en capuche essaie d'ouvrir les portières, voiture noire garée devant le portail blanc"
    )
  })
})

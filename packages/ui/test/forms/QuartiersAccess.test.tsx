import { Account } from "@vigie/domain/accounts/Account"
import { Me } from "@vigie/domain/accounts/Me"
import { cleanup, render, screen } from "@solidjs/testing-library"
import { Effect, Option } from "effect"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { App } from "../../src/App.js"
import { account, bourg, insee } from "../support/Fixtures.js"
import { stubServer } from "../support/TestRuntime.js"

beforeEach(() => {
  // The dev inbox link asks the server; production answers 404.
  vi.stubGlobal("fetch", async () => new Response("{\"_tag\":\"NotFound\"}", { status: 404 }))
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  window.history.replaceState(null, "", "/")
})

const withRoles = (staffRoles: Account["staffRoles"]) =>
  new Me({ account: new Account({ ...account, staffRoles }), memberships: [] })

const open = (me: Me, path: string) => {
  window.history.replaceState(null, "", path)
  const s = stubServer({
    WhoAmI: () => Effect.succeed(me),
    ListManagedCommunities: () => Effect.succeed([{ community: bourg, verifiedMembers: 3, referents: [] }]),
    GetManagedCommune: ({ insee }: { insee: string }) =>
      Effect.succeed({ insee, name: insee === "33550" ? "Villenave-d'Ornon" : "Cadaujac", startExtent: Option.none() })
  })
  render(() => <App runtime={s.runtime} />)
  return s
}

describe("who manages a commune's quartiers", () => {
  it("a mairie agent, at /mairie/quartiers, for their own commune", async () => {
    const s = open(withRoles([{ _tag: "MairieAgent", insee }]), "/mairie/quartiers")
    expect(await screen.findByRole("list", { name: "Quartiers de la commune" })).toBeTruthy()
    expect(s.called("ListManagedCommunities")[0]!.payload).toEqual({ insee })
  })

  it("an admin, for any commune, at /communes/<INSEE>/quartiers", async () => {
    const s = open(withRoles([{ _tag: "Admin" }]), "/communes/33550/quartiers")
    expect(await screen.findByRole("list", { name: "Quartiers de la commune" })).toBeTruthy()
    expect(s.called("ListManagedCommunities")[0]!.payload).toEqual({ insee: "33550" })
    expect(await screen.findByRole("heading", { name: "Quartiers de Villenave-d'Ornon", level: 1 })).toBeTruthy()
  })

  it("not the municipal police, nor an agent of another commune: they are told why, nothing is asked", async () => {
    const police = open(withRoles([{ _tag: "MunicipalPolice", insee }]), "/mairie/quartiers")
    expect(await screen.findByRole("heading", { name: "Accès réservé" })).toBeTruthy()
    expect(police.called("ListManagedCommunities")).toHaveLength(0)
    cleanup()
    const other = open(withRoles([{ _tag: "MairieAgent", insee }]), "/communes/33550/quartiers")
    expect(await screen.findByRole("heading", { name: "Accès réservé" })).toBeTruthy()
    expect(other.called("ListManagedCommunities")).toHaveLength(0)
    expect(other.called("GetManagedCommune")).toHaveLength(0)
  })
})

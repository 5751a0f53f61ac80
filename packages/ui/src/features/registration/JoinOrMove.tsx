import { A, useNavigate } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { Postcode, type Commune } from "@vigie/domain/communities/Commune"
import type { Community } from "@vigie/domain/communities/Community"
import { HomeAddress } from "@vigie/domain/membership/Membership"
import { Effect, Option, Schema } from "effect"
import { For, Match, Show, Switch, createSignal } from "solid-js"
import { FieldError, FormError, TextField } from "../../components/Field.js"
import { AddressFields } from "../../components/AddressFields.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import * as V from "../../lib/validation.js"
import { useSession } from "../session/Session.js"
import { CommunityMap } from "./CommunityMap.js"
import { proposeHref } from "../proposals/ProposeQuartier.js"

const trimmed = (v: string) => v.trim()
const optional = (v: string) => (v.trim() === "" ? Option.none() : Option.some(v.trim()))

const texts = {
  join: {
    title: "Rejoindre un autre quartier",
    lead: "Vous pouvez faire partie de plusieurs quartiers, par exemple celui de vos parents ou de votre commerce. "
      + "Chaque adresse est vérifiée, par courrier ou par un(e) référent(e).",
    submit: "Demander à rejoindre ce quartier",
    busy: "Envoi…"
  },
  move: {
    title: "Je déménage",
    lead: "Indiquez votre nouvelle adresse. Vous restez membre de votre quartier actuel jusqu'à ce que la nouvelle "
      + "adresse soit vérifiée ; ensuite il devient votre ancien quartier, et vos alertes par SMS partent du nouveau.",
    submit: "Déclarer ma nouvelle adresse",
    busy: "Envoi…"
  }
} as const

/**
 * Joining another quartier, or moving home, for a member already signed in: postcode → commune →
 * quartier (list beside the map), then the address there. The new membership waits for its own
 * verification; the activation letter is asked for at once, and the page of codes comes next.
 */
export const JoinOrMove = (props: { readonly me: Me; readonly mode: "join" | "move" }) => {
  const run = useRun()
  const session = useSession()
  const navigate = useNavigate()
  const text = texts[props.mode]
  const [communes, setCommunes] = createSignal<ReadonlyArray<Commune>>()
  const [commune, setCommune] = createSignal<Commune>()
  const [communities, setCommunities] = createSignal<ReadonlyArray<Community>>()
  const mine = new Set(
    props.me.memberships
      .filter((m) => m.membership.status === "verified" || m.membership.status === "pending_verification")
      .map((m) => m.community.id)
  )

  const search = createForm({ "postcode-search": "" }, { "postcode-search": V.postcode }, {
    postcode: "postcode-search"
  })
  const chooseCommune = async (c: Commune) => {
    setCommune(c)
    setCommunities(undefined)
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.ListCommunities({ insee: c.insee })))
    if (outcome.ok) setCommunities(outcome.value.filter((q) => !mine.has(q.id)))
    else search.setFailure(outcome.failure)
    form.set("postcode", search.values["postcode-search"].trim())
    form.set("city", c.name)
  }
  const onSearch = search.submit(
    () =>
      run(
        Effect.flatMap(Vigie, (client) =>
          Effect.flatMap(Schema.decode(Postcode)(search.values["postcode-search"].trim()), (postcode) =>
            client.FindCommunes({ postcode })))
      ),
    (found) => {
      setCommunes(found)
      if (found.length === 1) void chooseCommune(found[0]!)
    }
  )

  const form = createForm(
    { community: "", line1: "", line2: "", postcode: "", city: "" },
    {
      community: (v) => (v === "" ? "Choisissez le quartier dans la liste." : undefined),
      line1: V.first(V.required("l'adresse (numéro et rue)"), V.maxLength(200)),
      line2: V.maxLength(200),
      postcode: V.postcode,
      city: V.first(V.required("la commune"), V.maxLength(120))
    }
  )
  const onSubmit = form.submit(
    () =>
      run(Effect.gen(function*() {
        const client = yield* Vigie
        const v = form.values
        const address = new HomeAddress({
          line1: trimmed(v.line1),
          line2: optional(v.line2),
          postcode: yield* Schema.decode(Postcode)(v.postcode.trim()),
          city: trimmed(v.city),
          location: Option.none()
        })
        const communityId = communities()?.find((c) => c.id === v.community)?.id
        if (communityId === undefined) return yield* Effect.dieMessage("no community chosen")
        const asked = props.mode === "join"
          ? yield* client.JoinCommunity({ communityId, address })
          : yield* client.MoveHome({ communityId, address })
        // The letter is asked for at once, as at sign-up; a référent may also vouch meanwhile.
        yield* client.RequestActivationLetter({ membershipId: asked.id }).pipe(Effect.ignore)
        return asked
      })),
    () => {
      session.refresh()
      navigate("/activer?nouveau=1", { replace: true })
    }
  )

  return (
    <section aria-labelledby="join-title">
      <h1 id="join-title">{text.title}</h1>
      <p class="lead">{text.lead}</p>
      <form onSubmit={onSearch} novalidate aria-label="Trouver la commune">
        <TextField id="postcode-search" label="Code postal de l'adresse" inputmode="numeric" autocomplete="postal-code"
          maxLength={5} value={search.values["postcode-search"]} onValue={(v) => search.set("postcode-search", v)}
          onBlur={() => search.touch("postcode-search")} error={search.error("postcode-search")} />
        <FormError message={search.formError()} />
        <button type="submit" class="secondary" disabled={search.busy()}>Rechercher la commune</button>
      </form>

      <Show when={communes()}>
        {(list) => (
          <fieldset class="choices">
            <legend>Commune</legend>
            <For each={list()}>
              {(c) => (
                <label class="choice">
                  <input type="radio" name="commune" value={c.insee} checked={commune()?.insee === c.insee}
                    onChange={() => void chooseCommune(c)} />
                  <span>{c.name}</span>
                </label>
              )}
            </For>
          </fieldset>
        )}
      </Show>

      <Show when={communities()}>
        {(list) => (
          <form onSubmit={onSubmit} novalidate aria-label={text.title}>
            <Switch>
              <Match when={list().length === 0}>
                <div class="notice">
                  <p>Aucun autre quartier n'est ouvert à {commune()?.name} pour le moment.</p>
                  <A class="button" href={proposeHref(commune())}>Proposer un quartier</A>
                </div>
              </Match>
              <Match when={list().length > 0}>
                <fieldset class="choices" id="community" tabindex="-1"
                  aria-describedby={form.error("community") ? "community-error" : undefined}
                >
                  <legend>Quartier à {commune()?.name}</legend>
                  <CommunityMap communities={list()} selected={form.values.community}
                    onSelect={(id) => form.set("community", id)} />
                  <For each={list()}>
                    {(c) => (
                      <label class="choice">
                        <input type="radio" name="community-choice" value={c.id}
                          checked={form.values.community === c.id} onChange={() => form.set("community", c.id)} />
                        <span>{c.name}</span>
                      </label>
                    )}
                  </For>
                  <FieldError id="community" error={form.error("community")} />
                </fieldset>
                <AddressFields form={form}
                  legend={props.mode === "move" ? "Ma nouvelle adresse" : "Mon adresse dans ce quartier"}
                  hint={"Un code d'activation sera envoyé par courrier à cette adresse. Elle n'est jamais montrée en dehors du quartier."} />
                <FormError message={form.formError()} />
                <button type="submit" class="primary" disabled={form.busy()}>
                  {form.busy() ? text.busy : text.submit}
                </button>
              </Match>
            </Switch>
          </form>
        )}
      </Show>
      <p>
        <A href="/profil">Retour à mon profil</A>
      </p>
    </section>
  )
}

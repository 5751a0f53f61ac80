import { A, useNavigate } from "@solidjs/router"
import { PASSWORD_MIN_LENGTH } from "@vigie/domain/accounts/AuthPolicy"
import { Postcode, type Commune } from "@vigie/domain/communities/Commune"
import type { Community } from "@vigie/domain/communities/Community"
import { HomeAddress } from "@vigie/domain/membership/Membership"
import { Email } from "@vigie/domain/shared/Text"
import { Effect, Option, Redacted, Schema } from "effect"
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

/**
 * Joining one's quartier: postcode → commune → community (list, with the perimeters drawn), then
 * identity, password and home address. On success the new member is logged in and the activation
 * letter is requested at once.
 */
export const SignUp = () => {
  const run = useRun()
  const session = useSession()
  const navigate = useNavigate()
  const [communes, setCommunes] = createSignal<ReadonlyArray<Commune>>()
  const [commune, setCommune] = createSignal<Commune>()
  const [communities, setCommunities] = createSignal<ReadonlyArray<Community>>()
  const [done, setDone] = createSignal(false)

  const search = createForm({ "postcode-search": "" }, { "postcode-search": V.postcode }, {
    postcode: "postcode-search"
  })
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

  const chooseCommune = async (c: Commune) => {
    setCommune(c)
    setCommunities(undefined)
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.ListCommunities({ insee: c.insee })))
    if (outcome.ok) setCommunities(outcome.value)
    else search.setFailure(outcome.failure)
    identity.set("postcode", search.values["postcode-search"].trim())
    identity.set("city", c.name)
  }

  const identity = createForm(
    {
      community: "",
      firstName: "",
      lastName: "",
      email: "",
      phone: "",
      password: "",
      line1: "",
      line2: "",
      postcode: "",
      city: ""
    },
    {
      community: (v) => (v === "" ? "Choisissez votre quartier dans la liste." : undefined),
      firstName: V.first(V.required("votre prénom"), V.maxLength(80)),
      lastName: V.first(V.required("votre nom"), V.maxLength(80)),
      email: V.email,
      phone: V.optionalPhone,
      password: V.password,
      line1: V.first(V.required("votre adresse (numéro et rue)"), V.maxLength(200)),
      line2: V.maxLength(200),
      postcode: V.postcode,
      city: V.first(V.required("la commune"), V.maxLength(120))
    }
  )

  const onRegister = identity.submit(
    () =>
      run(Effect.gen(function*() {
        const client = yield* Vigie
        const v = identity.values
        const community = communities()?.find((c) => c.id === v.community)
        if (community === undefined) return yield* Effect.dieMessage("no community chosen")
        const email = yield* Schema.decode(Email)(v.email)
        const password = Redacted.make(v.password)
        yield* client.Register({
          firstName: trimmed(v.firstName),
          lastName: trimmed(v.lastName),
          email,
          phone: optional(v.phone),
          password,
          communityId: community.id,
          address: new HomeAddress({
            line1: trimmed(v.line1),
            line2: optional(v.line2),
            postcode: yield* Schema.decode(Postcode)(v.postcode.trim()),
            city: trimmed(v.city),
            location: Option.none()
          })
        })
        // Registration answers alike for a known address: only a fresh account can log in here.
        const me = yield* client.LogIn({ email, password }).pipe(Effect.option)
        if (Option.isSome(me)) {
          const pending = me.value.memberships.find((m) => m.membership.status === "pending_verification")
          if (pending !== undefined) {
            yield* client.RequestActivationLetter({ membershipId: pending.membership.id }).pipe(Effect.ignore)
          }
        }
        return Option.getOrNull(me)
      })),
    (me) => {
      if (me === null) setDone(true)
      else {
        session.set(me)
        navigate("/activer?nouveau=1", { replace: true })
      }
    }
  )

  return (
    <section aria-labelledby="signup-title">
      <h1 id="signup-title">Rejoindre mon quartier</h1>
      <Show when={!done()} fallback={<Registered />}>
        <ol class="steps">
          <li classList={{ current: commune() === undefined }}>Ma commune</li>
          <li classList={{ current: commune() !== undefined }}>Mon quartier et moi</li>
        </ol>

        <form onSubmit={onSearch} novalidate aria-label="Trouver ma commune">
          <TextField id="postcode-search" label="Code postal de mon domicile" inputmode="numeric"
            autocomplete="postal-code" maxLength={5} value={search.values["postcode-search"]}
            onValue={(v) => search.set("postcode-search", v)} onBlur={() => search.touch("postcode-search")}
            error={search.error("postcode-search")} />
          <FormError message={search.formError()} />
          <button type="submit" class="secondary" disabled={search.busy()}>Rechercher ma commune</button>
        </form>

        <Show when={communes()}>
          {(list) => (
            <fieldset class="choices">
              <legend>Ma commune</legend>
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
            <form onSubmit={onRegister} novalidate aria-label="Mon inscription">
              <Switch>
                <Match when={list().length === 0}>
                  <div class="notice">
                    <p>Aucun quartier n'est encore ouvert à {commune()?.name}.</p>
                    <p>
                      Proposez-en un pour votre rue : la mairie (ou l'équipe de Vigie) l'étudie et vous répond par
                      e-mail ; votre compte est créé avec la proposition.
                    </p>
                    <A class="button" href={proposeHref(commune())}>Proposer un quartier</A>
                  </div>
                </Match>
                <Match when={list().length > 0}>
                  <fieldset class="choices" id="community" tabindex="-1"
                    aria-describedby={identity.error("community") ? "community-error" : undefined}
                  >
                    <legend>Mon quartier à {commune()?.name}</legend>
                    <CommunityMap communities={list()} selected={identity.values.community}
                      onSelect={(id) => identity.set("community", id)} />
                    <For each={list()}>
                      {(c) => (
                        <label class="choice">
                          <input type="radio" name="community-choice" value={c.id}
                            checked={identity.values.community === c.id}
                            onChange={() => identity.set("community", c.id)} />
                          <span>{c.name}</span>
                        </label>
                      )}
                    </For>
                    <FieldError id="community" error={identity.error("community")} />
                  </fieldset>

                  <fieldset>
                    <legend>Mon identité</legend>
                    <p class="hint">Vigie réunit des voisins sous leur vraie identité.</p>
                    <TextField id="firstName" label="Prénom" autocomplete="given-name" value={identity.values.firstName}
                      onValue={(v) => identity.set("firstName", v)} onBlur={() => identity.touch("firstName")}
                      error={identity.error("firstName")} />
                    <TextField id="lastName" label="Nom" autocomplete="family-name" value={identity.values.lastName}
                      onValue={(v) => identity.set("lastName", v)} onBlur={() => identity.touch("lastName")}
                      error={identity.error("lastName")} />
                    <TextField id="email" label="Adresse e-mail" type="email" inputmode="email" autocomplete="email"
                      value={identity.values.email} onValue={(v) => identity.set("email", v)}
                      onBlur={() => identity.touch("email")} error={identity.error("email")} />
                    <TextField id="phone" label="Téléphone portable (facultatif)" type="tel" inputmode="tel"
                      autocomplete="tel" hint="Pour recevoir les alertes par SMS et en envoyer depuis votre téléphone."
                      value={identity.values.phone} onValue={(v) => identity.set("phone", v)}
                      onBlur={() => identity.touch("phone")} error={identity.error("phone")} />
                    <TextField id="password" label="Mot de passe" type="password" autocomplete="new-password" hint={
                      <>
                        Au moins {PASSWORD_MIN_LENGTH}{" "}
                        caractères variés, selon la recommandation de la CNIL. Une phrase facile à retenir convient très
                        bien, par exemple « mon chat dort au soleil ».
                      </>
                    } value={identity.values.password} onValue={(v) => identity.set("password", v)}
                      onBlur={() => identity.touch("password")} error={identity.error("password")} />
                  </fieldset>

                  <AddressFields form={identity} legend={"Mon adresse"}
                    hint={"Un code d'activation vous sera envoyé par courrier à cette adresse. Elle n'est jamais montrée en dehors de votre quartier."} />

                  <FormError message={identity.formError()} />
                  <p class="small">
                    Ce que Vigie garde sur vous, pourquoi et combien de temps :{" "}
                    <A href="/confidentialite">Vos données</A>.
                  </p>
                  <button type="submit" class="primary" disabled={identity.busy()}>
                    {identity.busy() ? "Inscription…" : "M'inscrire"}
                  </button>
                </Match>
              </Switch>
            </form>
          )}
        </Show>
        <p class="center">
          Déjà inscrit(e) ? <A href="/connexion">Se connecter</A>
        </p>
      </Show>
    </section>
  )
}

const Registered = () => (
  <div class="notice" role="status">
    <p>
      <strong>Votre demande est enregistrée.</strong>
    </p>
    <p>
      Si vous aviez déjà un compte avec cette adresse e-mail, un message vous y attend. Sinon,{" "}
      <A href="/connexion">connectez-vous</A> pour suivre l'activation de votre adresse.
    </p>
  </div>
)

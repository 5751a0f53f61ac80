import { A, useNavigate, useSearchParams } from "@solidjs/router"
import { PASSWORD_MIN_LENGTH } from "@vigie/domain/accounts/AuthPolicy"
import { type Commune, InseeCode, Postcode } from "@vigie/domain/communities/Commune"
import type { Community } from "@vigie/domain/communities/Community"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import { HomeAddress } from "@vigie/domain/membership/Membership"
import { Email } from "@vigie/domain/shared/Text"
import { Effect, Option, Redacted, Schema } from "effect"
import { For, Show, createSignal, onMount } from "solid-js"
import { FieldError, FormError, TextField } from "../../components/Field.js"
import { AddressFields } from "../../components/AddressFields.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import * as V from "../../lib/validation.js"
import { PerimeterDrawer } from "../mairie/PerimeterDrawer.js"
import { useSession } from "../session/Session.js"

const trimmed = (v: string) => v.trim()
const optional = (v: string) => (v.trim() === "" ? Option.none() : Option.some(v.trim()))

type ProposalField =
  | "proposal-name"
  | "proposal-reason"
  | "perimeter"
  | "line1"
  | "line2"
  | "postcode"
  | "city"
  | "firstName"
  | "lastName"
  | "email"
  | "phone"
  | "password"

/** The commune the proposal is for: from the postcode search, or named by the link. */
interface ChosenCommune {
  readonly insee: InseeCode
  readonly name: string
  readonly postcodes: ReadonlyArray<string>
}

/** The page's link from a "no quartier here" notice: the commune already known when there is one. */
export const proposeHref = (commune?: { readonly insee: string; readonly name: string }) =>
  commune === undefined
    ? "/proposer"
    : `/proposer?${new URLSearchParams({ commune: commune.insee, nom: commune.name }).toString()}`

/**
 * Proposing a quartier where none is open at one's address: the commune (found by postcode, or given
 * by the link), the suggested name, why, the perimeter drawn (map or points as text), the home
 * address; a visitor who is not signed in creates their account with it (RegisterWithProposal).
 * The mairie (or the platform admins) decides; the requester is told by e-mail.
 */
export const ProposeQuartier = () => {
  const run = useRun()
  const session = useSession()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [communes, setCommunes] = createSignal<ReadonlyArray<Commune>>()
  const [commune, setCommune] = createSignal<ChosenCommune>()
  const [areas, setAreas] = createSignal<ReadonlyArray<Community>>([])
  const [perimeter, setPerimeter] = createSignal<Polygon>()
  const [sent, setSent] = createSignal(false)
  const signedIn = () => session.me() != null

  const search = createForm({ "postcode-search": "" }, { "postcode-search": V.postcode }, {
    postcode: "postcode-search"
  })

  const chooseCommune = async (c: ChosenCommune) => {
    setCommune(c)
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.ListCommunities({ insee: c.insee })))
    setAreas(outcome.ok ? outcome.value : [])
    if (form.values.city === "") form.set("city", c.name)
    if (form.values.postcode === "" && c.postcodes.length === 1) form.set("postcode", c.postcodes[0]!)
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
      form.set("postcode", search.values["postcode-search"].trim())
      if (found.length === 1) void chooseCommune(found[0]!)
    }
  )

  onMount(() => {
    const insee = typeof params.commune === "string" ? params.commune : undefined
    if (insee === undefined || !Schema.is(InseeCode)(insee)) return
    const name = typeof params.nom === "string" && params.nom.trim() !== "" ? params.nom.trim() : insee
    void chooseCommune({ insee, name, postcodes: [] })
  })

  const ifVisitor = (check: V.Check): V.Check => (v) => (signedIn() ? undefined : check(v))
  const form = createForm<ProposalField>(
    {
      "proposal-name": "",
      "proposal-reason": "",
      perimeter: "",
      line1: "",
      line2: "",
      postcode: "",
      city: "",
      firstName: "",
      lastName: "",
      email: "",
      phone: "",
      password: ""
    },
    {
      "proposal-name": V.first(V.required("le nom que vous proposez pour le quartier"), V.maxLength(120)),
      "proposal-reason": V.first(V.required("pourquoi vous proposez ce quartier"), V.maxLength(1000)),
      perimeter: (v) => (v === "" ? "Dessinez le périmètre proposé : au moins 3 points." : undefined),
      line1: V.first(V.required("votre adresse (numéro et rue)"), V.maxLength(200)),
      line2: V.maxLength(200),
      postcode: V.postcode,
      city: V.first(V.required("la commune"), V.maxLength(120)),
      firstName: ifVisitor(V.first(V.required("votre prénom"), V.maxLength(80))),
      lastName: ifVisitor(V.first(V.required("votre nom"), V.maxLength(80))),
      email: ifVisitor(V.email),
      phone: ifVisitor(V.optionalPhone),
      password: ifVisitor(V.password)
    },
    { name: "proposal-name" }
  )

  const onSubmit = form.submit(
    () =>
      run(Effect.gen(function*() {
        const client = yield* Vigie
        const c = commune()
        if (c === undefined) return yield* Effect.dieMessage("no commune chosen")
        const v = form.values
        const proposal = {
          insee: c.insee,
          name: trimmed(v["proposal-name"]),
          reason: trimmed(v["proposal-reason"]),
          perimeter: perimeter()!,
          address: new HomeAddress({
            line1: trimmed(v.line1),
            line2: optional(v.line2),
            postcode: yield* Schema.decode(Postcode)(v.postcode.trim()),
            city: trimmed(v.city),
            location: Option.none()
          })
        }
        if (signedIn()) {
          yield* client.ProposeCommunity(proposal)
          return true
        }
        const email = yield* Schema.decode(Email)(v.email)
        const password = Redacted.make(v.password)
        yield* client.RegisterWithProposal({
          firstName: trimmed(v.firstName),
          lastName: trimmed(v.lastName),
          email,
          phone: optional(v.phone),
          password,
          ...proposal
        })
        // Answered alike for a known address: only a fresh account can log in here.
        const me = yield* client.LogIn({ email, password }).pipe(Effect.option)
        if (Option.isSome(me)) session.set(me.value)
        return Option.isSome(me)
      })),
    (signedInNow) => {
      if (signedInNow) navigate("/propositions?envoyee=1")
      else setSent(true)
    }
  )

  return (
    <section aria-labelledby="propose-title">
      <h1 id="propose-title">Proposer un quartier</h1>
      <Show when={!sent()} fallback={<Sent />}>
        <p>
          Aucun quartier n'est ouvert dans votre rue ? Proposez-en un : dessinez le périmètre que vous proposez et dites
          pourquoi. La mairie (ou, si votre commune n'est pas une Mairie Vigilante, l'équipe de Vigie) décide ; vous
          recevez sa réponse par e-mail. Si le quartier ouvre, vous en devenez le référent.
        </p>

        <Show when={commune() === undefined}>
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
                      <input type="radio" name="commune" value={c.insee} onChange={() => void chooseCommune(c)} />
                      <span>{c.name}</span>
                    </label>
                  )}
                </For>
              </fieldset>
            )}
          </Show>
        </Show>

        <Show when={commune()}>
          {(c) => (
            <form onSubmit={onSubmit} novalidate aria-label="Ma proposition de quartier">
              <p class="hint">
                Commune : <strong>{c().name}</strong>{" "}
                <button type="button" class="link" onClick={() => setCommune(undefined)}>Changer de commune</button>
              </p>
              <TextField id="proposal-name" label="Nom proposé pour le quartier" maxLength={120}
                hint="Par exemple « Les Saules » ou « Quartier de la gare ». La mairie peut l'ajuster."
                value={form.values["proposal-name"]} onValue={(v) => form.set("proposal-name", v)}
                onBlur={() => form.touch("proposal-name")} error={form.error("proposal-name")} />
              <div class="field" classList={{ invalid: form.error("proposal-reason") !== undefined }}>
                <label for="proposal-reason">Pourquoi ce quartier ?</label>
                <p class="hint" id="proposal-reason-hint">
                  Combien de foyers, ce qui vous rapproche, ce que vous attendez de Vigie (1 000 caractères au plus).
                </p>
                <textarea id="proposal-reason" name="proposal-reason" rows={4} maxLength={1000}
                  value={form.values["proposal-reason"]}
                  onInput={(e) => form.set("proposal-reason", e.currentTarget.value)}
                  onBlur={() => form.touch("proposal-reason")}
                  aria-invalid={form.error("proposal-reason") !== undefined}
                  aria-describedby={form.error("proposal-reason") !== undefined
                    ? "proposal-reason-hint proposal-reason-error"
                    : "proposal-reason-hint"} />
                <FieldError id="proposal-reason" error={form.error("proposal-reason")} />
              </div>
              <PerimeterDrawer id="perimeter" legend="Périmètre proposé"
                areas={areas().map((a) => ({ id: a.id, name: a.name, perimeter: a.perimeter }))} onChange={(p) => {
                setPerimeter(p)
                form.set("perimeter", p === undefined ? "" : "drawn")
              }} error={form.error("perimeter")} />

              <AddressFields form={form} legend={"Mon adresse"}
                hint={"Si le quartier ouvre, vous en serez membre à cette adresse, vérifiée comme pour tout membre."} />

              <Show when={!signedIn()}>
                <fieldset>
                  <legend>Mon identité</legend>
                  <p class="hint">
                    Votre compte Vigie est créé avec la proposition. Déjà inscrit(e) ?{" "}
                    <A href="/connexion">Connectez-vous</A> d'abord.
                  </p>
                  <TextField id="firstName" label="Prénom" autocomplete="given-name" value={form.values.firstName}
                    onValue={(v) => form.set("firstName", v)} onBlur={() => form.touch("firstName")}
                    error={form.error("firstName")} />
                  <TextField id="lastName" label="Nom" autocomplete="family-name" value={form.values.lastName}
                    onValue={(v) => form.set("lastName", v)} onBlur={() => form.touch("lastName")}
                    error={form.error("lastName")} />
                  <TextField id="email" label="Adresse e-mail" type="email" inputmode="email" autocomplete="email"
                    value={form.values.email} onValue={(v) => form.set("email", v)} onBlur={() => form.touch("email")}
                    error={form.error("email")} />
                  <TextField id="phone" label="Téléphone portable (facultatif)" type="tel" inputmode="tel"
                    autocomplete="tel" value={form.values.phone} onValue={(v) => form.set("phone", v)}
                    onBlur={() => form.touch("phone")} error={form.error("phone")} />
                  <TextField id="password" label="Mot de passe" type="password" autocomplete="new-password"
                    hint={`Au moins ${PASSWORD_MIN_LENGTH} caractères variés ; une phrase facile à retenir convient.`}
                    value={form.values.password} onValue={(v) => form.set("password", v)}
                    onBlur={() => form.touch("password")} error={form.error("password")} />
                </fieldset>
              </Show>

              <FormError message={form.formError()} />
              <button type="submit" class="primary" disabled={form.busy()}>
                {form.busy() ? "Envoi…" : "Envoyer ma proposition"}
              </button>
            </form>
          )}
        </Show>
      </Show>
    </section>
  )
}

const Sent = () => (
  <div class="notice" role="status">
    <p>
      <strong>Votre proposition est enregistrée.</strong>
    </p>
    <p>
      Si vous aviez déjà un compte avec cette adresse e-mail, un message vous y attend : rien n'a été enregistré,{" "}
      <A href="/connexion">connectez-vous</A>{" "}
      puis proposez le quartier depuis votre profil. Sinon, vous recevrez la décision par e-mail.
    </p>
  </div>
)

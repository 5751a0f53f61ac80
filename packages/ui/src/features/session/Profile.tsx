import { A, useNavigate } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { Effect, Option } from "effect"
import { For, Show, createSignal } from "solid-js"
import { membershipStatusLabels } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { useSession } from "./Session.js"
import { MyData } from "../privacy/MyData.js"

/** Who I am, my quartiers and their status, my phone, and logging out. */
/** The account's e-mail and phone (and whether it is verified), as rows of a summary list. */
export const ContactFacts = (props: { readonly account: Me["account"] }) => (
  <>
    <dt>E-mail</dt>
    <dd>{Option.getOrElse(props.account.email, () => "—")}</dd>
    <dt>Téléphone</dt>
    <dd>
      {Option.getOrElse(props.account.phone, () => "aucun")}
      {Option.isSome(props.account.phone) ? (props.account.phoneVerified ? " (vérifié)" : " (non vérifié)") : ""}
    </dd>
  </>
)

export const Profile = (props: { readonly me: Me }) => {
  const run = useRun()
  const session = useSession()
  const navigate = useNavigate()
  const [error, setError] = createSignal<string>()
  const account = () => props.me.account
  const [leaving, setLeaving] = createSignal<string>()
  const [status, setStatus] = createSignal<string>()
  const active = (m: Me["memberships"][number]) =>
    m.membership.status === "verified" || m.membership.status === "pending_verification"
  const verifiedHome = () => props.me.memberships.some((m) => m.membership.home && m.membership.status === "verified")

  const leave = async (m: Me["memberships"][number]) => {
    setError(undefined)
    const outcome = await run(
      Effect.flatMap(Vigie, (client) => client.LeaveCommunity({ membershipId: m.membership.id }))
    )
    setLeaving(undefined)
    if (!outcome.ok) return setError(outcome.failure.message)
    setStatus(`Vous avez quitté le quartier « ${m.community.name} ».`)
    session.refresh()
  }

  const logOut = async () => {
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.LogOut({})))
    if (!outcome.ok) return setError(outcome.failure.message)
    session.set(null)
    navigate("/connexion", { replace: true })
  }

  return (
    <section aria-labelledby="profile-title">
      <h1 id="profile-title">Mon profil</h1>
      <dl class="summary">
        <dt>Nom</dt>
        <dd>{account().firstName} {account().lastName}</dd>
        <ContactFacts account={account()} />
      </dl>
      <Show when={!account().phoneVerified}>
        <A class="button secondary" href="/telephone">Vérifier mon téléphone</A>
      </Show>
      <h2>Mes quartiers</h2>
      <ul class="plain">
        <For each={props.me.memberships}>
          {(m) => (
            <li class="membership">
              <strong>{m.community.name}</strong>
              <span>
                {m.membership.role === "referent" ? "Référent(e) · " : ""}
                {membershipStatusLabels[m.membership.status]}
              </span>
              <span class="small">
                {m.membership.address.line1}, {m.membership.address.postcode} {m.membership.address.city}
              </span>
              <Show when={m.membership.status === "pending_verification"}>
                <A href="/activer">Saisir le code reçu par courrier</A>
              </Show>
              <Show when={active(m)}>
                <Show when={leaving() === m.membership.id}
                  fallback={
                    <button type="button" class="link" onClick={() => setLeaving(m.membership.id)}>
                      Quitter ce quartier
                    </button>
                  }
                >
                  <div class="confirm" role="group" aria-label={`Quitter ${m.community.name}`}>
                    <p>
                      Quitter « {m.community.name} » ? Vous ne recevrez plus ses alertes.
                      {m.membership.home
                        ? " C'était votre quartier principal : un autre de vos quartiers le deviendra."
                        : ""}
                    </p>
                    <button type="button" class="danger" onClick={() => void leave(m)}>Confirmer le départ</button>
                    <button type="button" class="secondary" onClick={() =>
                      setLeaving(undefined)}
                    >
                      Annuler
                    </button>
                  </div>
                </Show>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={status()}>
        <p class="notice" role="status">{status()}</p>
      </Show>
      <p class="stack">
        <A class="button secondary" href="/quartiers/rejoindre">Rejoindre un autre quartier</A>
        <Show when={verifiedHome()}>
          <A class="button secondary" href="/demenagement">Je déménage</A>
        </Show>
      </p>
      <p>
        <A href="/propositions">Mes propositions de quartier</A> · <A href="/proposer">Proposer un quartier</A>
      </p>
      <p>
        <A href="/mon-profil">Mon profil dans l'annuaire</A> · <A href="/membres-bloques">Membres bloqués</A>
      </p>
      <p>
        <A href="/preferences">Mes notifications</A>
      </p>
      <p>
        <A href="/mon-compte">Mon compte : mot de passe, adresse e-mail, téléphone</A>
      </p>
      <Show when={account().staffRoles.length > 0}>
        <p>
          <A href="/double-authentification">Double authentification (personnel)</A>
        </p>
      </Show>
      <Show when={error()}>
        <p class="form-error" role="alert">{error()}</p>
      </Show>
      <button type="button" class="secondary" onClick={() => void logOut()}>Se déconnecter</button>
      <MyData me={props.me} />
    </section>
  )
}

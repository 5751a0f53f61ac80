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
            </li>
          )}
        </For>
      </ul>
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

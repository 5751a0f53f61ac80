import { useNavigate } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { Effect, Redacted } from "effect"
import { Show, createSignal } from "solid-js"
import { FormError, TextField } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { required } from "../../lib/validation.js"
import { useSession } from "../session/Session.js"

/** The server's download of a member's own data (packages/app/src/http/PersonalDataExport.ts). */
export const EXPORT_URL = "/compte/mes-donnees.zip"

/**
 * "Mes données" on the profile: download everything Vigie holds about me, and erase my account
 * after a confirmation step that says what will happen and asks for my password.
 */
export const MyData = (props: { readonly me: Me }) => {
  const run = useRun()
  const session = useSession()
  const navigate = useNavigate()
  const [confirming, setConfirming] = createSignal(false)
  const form = createForm({ password: "" }, { password: required("votre mot de passe") })
  const referentOf = () =>
    props.me.memberships.filter((m) => m.membership.role === "referent" && m.membership.status === "verified")
      .map((m) => m.community.name)

  const onErase = form.submit(
    () =>
      run(Effect.flatMap(Vigie, (client) => client.EraseMyAccount({ password: Redacted.make(form.values.password) }))),
    () => {
      session.set(null)
      navigate("/compte-supprime", { replace: true })
    }
  )
  const failure = () =>
    form.failure()?.tag === "InvalidCredentials"
      ? "Mot de passe incorrect : votre compte n'a pas été supprimé."
      : form.formError()

  return (
    <section class="my-data" aria-labelledby="my-data-title">
      <h2 id="my-data-title">Mes données</h2>
      <p class="small">
        Ce que Vigie garde sur vous et combien de temps : <a href="/confidentialite">Vos données</a>.
      </p>
      <p>
        <a class="button secondary" href={EXPORT_URL} download="" rel="external">Télécharger mes données</a>
      </p>
      <Show when={confirming()} fallback={
        <button type="button" class="secondary danger" onClick={() => setConfirming(true)}>Supprimer mon compte</button>
      }>
        <form onSubmit={onErase} novalidate aria-labelledby="erase-title" class="panel danger-zone">
          <h3 id="erase-title">Supprimer mon compte</h3>
          <p>Ce qui va se passer, tout de suite et sans retour possible :</p>
          <ul>
            <li>vos nom, e-mail, téléphone, mot de passe et adresses sont effacés ;</li>
            <li>
              vous quittez vos quartiers et ne recevez plus aucun SMS ni e-mail de Vigie (ceux en attente sont annulés)
              ;
            </li>
            <li>vous êtes déconnecté(e) partout ;</li>
            <li>vos alertes restent visibles de vos voisins, signées « Ancien membre ».</li>
          </ul>
          <Show when={referentOf().length > 0}>
            <p class="warning">
              Vous êtes référent(e) de{" "}
              {referentOf().join(", ")}. Sans autre référent, le quartier n'en aura plus tant que la mairie ou la
              modération n'en désigne pas un nouveau.
            </p>
          </Show>
          <p>
            Pensez à <a href={EXPORT_URL} download="" rel="external">télécharger vos données</a> avant.
          </p>
          <TextField id="password" label="Votre mot de passe, pour confirmer" type="password"
            autocomplete="current-password" value={form.values.password} onValue={(v) => form.set("password", v)}
            onBlur={() => form.touch("password")} error={form.error("password")} />
          <FormError message={failure()} />
          <div class="stack">
            <button type="submit" class="primary danger" disabled={form.busy()}>
              {form.busy() ? "Suppression…" : "Supprimer définitivement mon compte"}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>Annuler</button>
          </div>
        </form>
      </Show>
    </section>
  )
}

/** Where an erased member lands. */
export const AccountErased = () => (
  <section aria-labelledby="erased-title">
    <h1 id="erased-title">Votre compte est supprimé</h1>
    <p>
      Vos données personnelles ont été effacées et vous ne recevrez plus de messages de Vigie. Merci d'avoir veillé sur
      votre quartier.
    </p>
    <p>
      <a href="/">Retour à l'accueil</a>
    </p>
  </section>
)

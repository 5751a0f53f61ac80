import { A, useNavigate } from "@solidjs/router"
import type { RecoveryCodes, TotpEnrolment } from "@vigie/domain/accounts/SecondFactor"
import { Effect } from "effect"
import { For, Match, Show, Switch, createResource, createSignal } from "solid-js"
import { renderSVG } from "uqr"
import { FormError, TextField } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { useSession } from "./Session.js"

/** The secret in groups of four, easier to type into an app by hand. */
export const groupSecret = (secret: string) => secret.match(/.{1,4}/g)?.join(" ") ?? secret

const RecoveryCodesStep = (props: { readonly codes: RecoveryCodes }) => {
  const navigate = useNavigate()
  const session = useSession()
  const [noted, setNoted] = createSignal(false)
  return (
    <section aria-labelledby="recovery-title">
      <h1 id="recovery-title">Vos codes de secours</h1>
      <p>
        La double authentification est activée. Si vous perdez votre téléphone, chacun de ces codes permet de vous
        connecter{" "}
        <strong>une seule fois</strong>. Notez-les et gardez-les en lieu sûr : ils ne seront plus jamais affichés.
      </p>
      <ol class="recovery-codes" aria-label="Codes de secours">
        <For each={props.codes.codes}>
          {(code) => (
            <li>
              <code>{code}</code>
            </li>
          )}
        </For>
      </ol>
      <div class="field">
        <label class="check">
          <input type="checkbox" checked={noted()} onChange={(e) => setNoted(e.currentTarget.checked)} />
          Je les ai notés en lieu sûr
        </label>
      </div>
      <button type="button" class="primary" disabled={!noted()} onClick={() => {
        session.refresh()
        navigate("/", { replace: true })
      }}>
        Terminer
      </button>
    </section>
  )
}

const ScanStep = (
  props: { readonly enrolment: TotpEnrolment; readonly onConfirmed: (codes: RecoveryCodes) => void }
) => {
  const run = useRun()
  const form = createForm({ code: "" }, {
    code: (
      v
    ) => (/^\s*\d{3}\s?\d{3}\s*$/.test(v) ? undefined : "Saisissez le code à 6 chiffres affiché par l'application.")
  })
  const onSubmit = form.submit(
    () =>
      run(
        Effect.flatMap(Vigie, (client) => client.ConfirmTotpEnrolment({ code: form.values.code.replace(/\s/g, "") }))
      ),
    props.onConfirmed
  )
  return (
    <form onSubmit={onSubmit} novalidate aria-labelledby="enrol-title">
      <h1 id="enrol-title">Double authentification</h1>
      <p>
        Votre compte donne accès à des informations sensibles : à chaque connexion, après le mot de passe, Vigie vous
        demandera un code affiché par une application d'authentification sur votre téléphone (par exemple FreeOTP,
        Aegis, Google Authenticator ou Microsoft Authenticator).
      </p>
      <h2>1. Ajoutez Vigie dans l'application</h2>
      <p>Scannez ce QR code avec l'application :</p>
      {/* The SVG is made here from the otpauth address; nothing from outside is inserted. */}
      <div class="qr" role="img" aria-label="QR code à scanner avec votre application d'authentification" // eslint-disable-next-line solid/no-innerhtml -- our own SVG, see above
        innerHTML={renderSVG(props.enrolment.uri, { pixelSize: 6 })} />
      <p id="secret-label">Ou saisissez cette clé à la main (type « basé sur le temps ») :</p>
      <p class="code big" aria-labelledby="secret-label" data-secret={props.enrolment.secret}>
        {groupSecret(props.enrolment.secret)}
      </p>
      <h2>2. Confirmez avec un premier code</h2>
      <TextField id="code" label="Code à 6 chiffres affiché par l'application" inputmode="numeric"
        autocomplete="one-time-code" value={form.values.code} onValue={(v) => form.set("code", v)}
        onBlur={() => form.touch("code")} error={form.error("code")} />
      <FormError message={form.formError()} />
      <button type="submit" class="primary" disabled={form.busy()}>
        {form.busy() ? "Vérification…" : "Activer la double authentification"}
      </button>
    </form>
  )
}

/** Enrolment of a staff member's authenticator app: QR code and secret, a first code, then the recovery codes once. */
export const TwoFactorEnrolment = () => {
  const run = useRun()
  const [codes, setCodes] = createSignal<RecoveryCodes>()
  const [enrolment] = createResource(() => run(Effect.flatMap(Vigie, (client) => client.BeginTotpEnrolment({}))))
  return (
    <Switch fallback={<p aria-busy="true">Chargement…</p>}>
      <Match when={codes()}>{(c) => <RecoveryCodesStep codes={c()} />}</Match>
      <Match when={enrolment()}>
        {(outcome) => {
          const o = outcome()
          return o.ok
            ? <ScanStep enrolment={o.value} onConfirmed={setCodes} />
            : (
              <section>
                <h1>Double authentification</h1>
                <p role="alert">{o.failure.message}</p>
                <Show when={o.failure.tag === "AlreadyEnrolled" || o.failure.tag === "Forbidden"}>
                  <p>
                    <A href="/">Retour à l'accueil</A>
                  </p>
                </Show>
              </section>
            )
        }}
      </Match>
    </Switch>
  )
}

import { A } from "@solidjs/router"
import { Effect, Option } from "effect"
import { Show, createSignal } from "solid-js"
import { FormError, TextField } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { phone, smsCode } from "../../lib/validation.js"
import { useSession } from "../session/Session.js"

/** Verifying my mobile number with a 6-digit code sent by SMS. */
export const PhoneCheck = (props: { readonly initialPhone: string }) => {
  const run = useRun()
  const session = useSession()
  const [sentTo, setSentTo] = createSignal<string>()
  const [verified, setVerified] = createSignal(false)
  const ask = createForm({ phone: props.initialPhone }, { phone })
  const confirm = createForm({ code: "" }, { code: smsCode })

  const onAsk = ask.submit(
    () => run(Effect.flatMap(Vigie, (client) => client.RequestPhoneCode({ phone: ask.values.phone.trim() }))),
    (sent) => setSentTo(sent.phone)
  )
  const onConfirm = confirm.submit(
    () =>
      run(Effect.flatMap(Vigie, (client) => client.ConfirmPhoneCode({ code: confirm.values.code.replace(/\s/g, "") }))),
    () => {
      setVerified(true)
      session.refresh()
    }
  )

  return (
    <section aria-labelledby="phone-title">
      <h1 id="phone-title">Vérifier mon téléphone</h1>
      <Show when={!verified()} fallback={
        <div class="notice success" role="status">
          <p>
            <strong>Votre numéro est vérifié.</strong> Vous pouvez recevoir les alertes par SMS et en envoyer par SMS.
          </p>
          <A class="button primary" href="/profil">Retour à mon profil</A>
        </div>
      }>
        <p>Nous envoyons un code de 6 chiffres par SMS, valable 10 minutes.</p>
        <form onSubmit={onAsk} novalidate aria-label="Recevoir un code">
          <TextField id="phone" label="Mon numéro de portable" type="tel" inputmode="tel" autocomplete="tel"
            value={ask.values.phone} onValue={(v) => ask.set("phone", v)} onBlur={() => ask.touch("phone")}
            error={ask.error("phone")} />
          <FormError message={ask.formError()} />
          <button type="submit" class={sentTo() === undefined ? "primary" : "secondary"} disabled={ask.busy()}>
            {sentTo() === undefined ? "Recevoir le code" : "Renvoyer un code"}
          </button>
        </form>
        <Show when={sentTo()}>
          <form onSubmit={onConfirm} novalidate aria-label="Saisir le code">
            <p role="status">Code envoyé au {sentTo()}.</p>
            <TextField id="code" label="Code reçu par SMS" inputmode="numeric" autocomplete="one-time-code"
              maxLength={7} class="code" value={confirm.values.code} onValue={(v) => confirm.set("code", v)}
              onBlur={() => confirm.touch("code")} error={confirm.error("code")} />
            <FormError message={confirm.formError()} />
            <button type="submit" class="primary" disabled={confirm.busy()}>Vérifier</button>
          </form>
        </Show>
      </Show>
    </section>
  )
}

export const PhoneCheckPage = () => {
  const session = useSession()
  return (
    <Show when={session.me()} fallback={
      <p>
        Connectez-vous d'abord : <A href="/connexion">se connecter</A>.
      </p>
    }>
      {(me) => <PhoneCheck initialPhone={Option.getOrElse(me().account.phone, () => "")} />}
    </Show>
  )
}

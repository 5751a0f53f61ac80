import { A, useNavigate, useSearchParams } from "@solidjs/router"
import { Email } from "@vigie/domain/shared/Text"
import { Effect, Redacted, Schema } from "effect"
import { Show, createSignal } from "solid-js"
import { FormError, TextField } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { email, password, phone, smsCode, type Check } from "../../lib/validation.js"

/** The second typing of a new password must match the first. */
const sameAs = (first: () => string): Check => (v) =>
  v === ""
    ? "Saisissez à nouveau le mot de passe."
    : v === first()
    ? undefined
    : "Les deux mots de passe ne sont pas identiques."

/** Told once the new password is in place: every session ended, log in again. */
const PasswordChanged = () => (
  <div class="notice success" role="status">
    <p>
      <strong>Votre mot de passe est changé.</strong> Par sécurité, toutes vos connexions ont été fermées.
    </p>
    <A class="button primary" href="/connexion">Se connecter</A>
  </div>
)

/**
 * "Mot de passe oublié ?": a link by e-mail, or a code by SMS to the verified phone. The answer
 * never says whether an account exists: it says where the message went if one does.
 */
export const ForgotPassword = () => {
  const run = useRun()
  const navigate = useNavigate()
  const [channel, setChannel] = createSignal<"email" | "sms">("email")
  const [sentTo, setSentTo] = createSignal<string>()
  const byEmail = createForm({ email: "" }, { email })
  const bySms = createForm({ phone: "" }, { phone })

  const onEmail = byEmail.submit(
    () =>
      run(Effect.gen(function*() {
        const client = yield* Vigie
        const address = yield* Schema.decode(Email)(byEmail.values.email)
        yield* client.RequestPasswordReset({ email: address })
        return address as string
      })),
    (address) => setSentTo(address)
  )
  const onSms = bySms.submit(
    () => run(Effect.flatMap(Vigie, (client) => client.RequestPasswordResetCode({ phone: bySms.values.phone.trim() }))),
    () => navigate(`/mot-de-passe/code?telephone=${encodeURIComponent(bySms.values.phone.trim())}`)
  )

  return (
    <section aria-labelledby="forgot-title">
      <h1 id="forgot-title">Mot de passe oublié</h1>
      <Show when={sentTo() === undefined} fallback={
        <div class="notice success" role="status">
          <p>
            Si un compte Vigie utilise l'adresse{" "}
            <strong>{sentTo()}</strong>, un e-mail vient d'y partir avec un lien pour choisir un nouveau mot de passe.
            Le lien est valable une heure et ne sert qu'une fois.
          </p>
          <p class="small">Rien reçu ? Vérifiez les courriers indésirables, ou demandez un code par SMS.</p>
          <A href="/connexion">Retour à la connexion</A>
        </div>
      }>
        <fieldset class="choices">
          <legend>Comment recevoir de quoi choisir un nouveau mot de passe ?</legend>
          <label class="choice">
            <input type="radio" name="channel" value="email" checked={channel() === "email"}
              onChange={() => setChannel("email")} />
            <span>Un lien par e-mail</span>
          </label>
          <label class="choice">
            <input type="radio" name="channel" value="sms" checked={channel() === "sms"}
              onChange={() => setChannel("sms")} />
            <span>Un code par SMS (téléphone vérifié)</span>
          </label>
        </fieldset>
        <Show when={channel() === "email"}
          fallback={
            <form onSubmit={onSms} novalidate aria-label="Recevoir un code par SMS">
              <TextField id="phone" label="Numéro de portable vérifié" type="tel" inputmode="tel" autocomplete="tel"
                value={bySms.values.phone} onValue={(v) => bySms.set("phone", v)} onBlur={() => bySms.touch("phone")}
                error={bySms.error("phone")} />
              <FormError message={bySms.formError()} />
              <button type="submit" class="primary" disabled={bySms.busy()}>Recevoir un code</button>
            </form>
          }
        >
          <form onSubmit={onEmail} novalidate aria-label="Recevoir un lien par e-mail">
            <TextField id="email" label="Adresse e-mail du compte" type="email" autocomplete="email" inputmode="email"
              value={byEmail.values.email} onValue={(v) => byEmail.set("email", v)}
              onBlur={() => byEmail.touch("email")} error={byEmail.error("email")} />
            <FormError message={byEmail.formError()} />
            <button type="submit" class="primary" disabled={byEmail.busy()}>Recevoir un lien</button>
          </form>
        </Show>
        <p class="center">
          <A href="/connexion">Retour à la connexion</A>
        </p>
      </Show>
    </section>
  )
}

/** The page of the e-mailed link: choose the new password (typed twice). */
export const ResetWithLink = () => {
  const run = useRun()
  const [params] = useSearchParams()
  const [done, setDone] = createSignal(false)
  const token = () => (typeof params["jeton"] === "string" ? params["jeton"] : "")
  let first = (): string => ""
  const form = createForm({ password: "", confirmation: "" }, { password, confirmation: sameAs(() => first()) })
  first = () => form.values.password
  const onSubmit = form.submit(
    () =>
      run(
        Effect.flatMap(Vigie, (client) =>
          client.CompletePasswordReset({ token: token(), password: Redacted.make(form.values.password) }))
      ),
    () => setDone(true)
  )
  return (
    <section aria-labelledby="reset-title">
      <h1 id="reset-title">Choisir un nouveau mot de passe</h1>
      <Show when={!done()} fallback={<PasswordChanged />}>
        <Show when={token() !== ""} fallback={
          <p role="alert">
            Ce lien est incomplet. <A href="/mot-de-passe-oublie">Demandez un nouveau lien</A>.
          </p>
        }>
          <form onSubmit={onSubmit} novalidate aria-labelledby="reset-title">
            <NewPasswordFields form={form} />
            <FormError message={form.formError()} />
            <button type="submit" class="primary" disabled={form.busy()}>Enregistrer le mot de passe</button>
            <Show when={form.failure() !== undefined && form.failure()!.tag.startsWith("Link")}>
              <p>
                <A href="/mot-de-passe-oublie">Demander un nouveau lien</A>
              </p>
            </Show>
          </form>
        </Show>
      </Show>
    </section>
  )
}

type PasswordForm = ReturnType<typeof createForm<"password" | "confirmation">>

const NewPasswordFields = (props: { readonly form: PasswordForm; readonly label?: string }) => (
  <>
    <TextField id="password" label={props.label ?? "Nouveau mot de passe"} type="password" autocomplete="new-password"
      hint="Au moins 12 caractères variés, ou une phrase de passe." value={props.form.values.password}
      onValue={(v) => props.form.set("password", v)} onBlur={() => props.form.touch("password")}
      error={props.form.error("password")} />
    <TextField id="confirmation" label="Confirmer le nouveau mot de passe" type="password" autocomplete="new-password"
      value={props.form.values.confirmation} onValue={(v) => props.form.set("confirmation", v)}
      onBlur={() => props.form.touch("confirmation")} error={props.form.error("confirmation")} />
  </>
)

/** The page of the SMS code: the number, the code and the new password together. */
export const ResetWithCode = () => {
  const run = useRun()
  const [params] = useSearchParams()
  const [done, setDone] = createSignal(false)
  const initialPhone = typeof params["telephone"] === "string" ? params["telephone"] : ""
  let first = (): string => ""
  const form = createForm(
    { phone: initialPhone, code: "", password: "", confirmation: "" },
    { phone, code: smsCode, password, confirmation: sameAs(() => first()) }
  )
  first = () => form.values.password
  const onSubmit = form.submit(
    () =>
      run(Effect.flatMap(Vigie, (client) =>
        client.CompletePasswordResetByCode({
          phone: form.values.phone.trim(),
          code: form.values.code.replace(/\s/g, ""),
          password: Redacted.make(form.values.password)
        }))),
    () => setDone(true)
  )
  return (
    <section aria-labelledby="code-title">
      <h1 id="code-title">Nouveau mot de passe avec le code SMS</h1>
      <Show when={!done()} fallback={<PasswordChanged />}>
        <p>
          Si ce numéro est le téléphone vérifié d'un compte Vigie, un code de 6 chiffres vient d'y partir par SMS. Il
          est valable 15 minutes.
        </p>
        <form onSubmit={onSubmit} novalidate aria-labelledby="code-title">
          <TextField id="phone" label="Numéro de portable" type="tel" inputmode="tel" autocomplete="tel"
            value={form.values.phone} onValue={(v) => form.set("phone", v)} onBlur={() => form.touch("phone")}
            error={form.error("phone")} />
          <TextField id="code" label="Code reçu par SMS" inputmode="numeric" autocomplete="one-time-code" maxLength={7}
            class="code" value={form.values.code} onValue={(v) => form.set("code", v)} onBlur={() => form.touch("code")}
            error={form.error("code")} />
          <NewPasswordFields form={form as unknown as PasswordForm} />
          <FormError message={form.formError()} />
          <button type="submit" class="primary" disabled={form.busy()}>Enregistrer le mot de passe</button>
          <p>
            <A href="/mot-de-passe-oublie">Demander un nouveau code</A>
          </p>
        </form>
      </Show>
    </section>
  )
}

import { A, useSearchParams } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { Email } from "@vigie/domain/shared/Text"
import { DateTime, Effect, Option, Redacted, Schema } from "effect"
import { Show, createSignal } from "solid-js"
import { FormError, TextField } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { email, password, required, type Check } from "../../lib/validation.js"
import { ContactFacts } from "../session/Profile.js"
import { useSession } from "../session/Session.js"

const sameAs = (first: () => string): Check => (v) =>
  v === ""
    ? "Saisissez à nouveau le mot de passe."
    : v === first()
    ? undefined
    : "Les deux mots de passe ne sont pas identiques."

/** Change of password: the current one, then the new one twice. The other sessions end. */
const ChangePasswordForm = (props: { readonly onDone: () => void }) => {
  const run = useRun()
  let first = (): string => ""
  const form = createForm<"current-password" | "new-password" | "new-password-confirmation">(
    { "current-password": "", "new-password": "", "new-password-confirmation": "" },
    {
      "current-password": required("votre mot de passe actuel"),
      "new-password": password,
      "new-password-confirmation": sameAs(() => first())
    },
    { password: "new-password" }
  )
  first = () => form.values["new-password"]
  const onSubmit = form.submit(
    () =>
      run(Effect.flatMap(Vigie, (client) =>
        client.ChangePassword({
          currentPassword: Redacted.make(form.values["current-password"]),
          newPassword: Redacted.make(form.values["new-password"])
        }))),
    props.onDone
  )
  return (
    <form onSubmit={onSubmit} novalidate aria-labelledby="password-title">
      <h2 id="password-title">Mot de passe</h2>
      <TextField id="current-password" label="Mot de passe actuel" type="password" autocomplete="current-password"
        value={form.values["current-password"]} onValue={(v) => form.set("current-password", v)}
        onBlur={() => form.touch("current-password")} error={form.error("current-password")} />
      <TextField id="new-password" label="Nouveau mot de passe" type="password" autocomplete="new-password"
        hint="Au moins 12 caractères variés, ou une phrase de passe." value={form.values["new-password"]}
        onValue={(v) => form.set("new-password", v)} onBlur={() => form.touch("new-password")}
        error={form.error("new-password")} />
      <TextField id="new-password-confirmation" label="Confirmer le nouveau mot de passe" type="password"
        autocomplete="new-password" value={form.values["new-password-confirmation"]}
        onValue={(v) => form.set("new-password-confirmation", v)} onBlur={() => form.touch("new-password-confirmation")}
        error={form.error("new-password-confirmation")} />
      <FormError message={form.formError()} />
      <button type="submit" class="primary" disabled={form.busy()}>Changer le mot de passe</button>
    </form>
  )
}

const PasswordSection = () => {
  const [done, setDone] = createSignal(false)
  return (
    <Show when={done()} fallback={<ChangePasswordForm onDone={() => setDone(true)} />}>
      <section aria-labelledby="password-title">
        <h2 id="password-title">Mot de passe</h2>
        <p class="notice success" role="status">
          Mot de passe changé. Vos autres connexions (autres appareils) ont été fermées.
        </p>
        <button type="button" class="secondary" onClick={() => setDone(false)}>Changer à nouveau</button>
      </section>
    </Show>
  )
}

type Sent = { readonly to: string; readonly until: string }

/** Change of e-mail address: confirmed by the link sent to the new address. */
const ChangeEmailForm = (props: { readonly onSent: (sent: Sent) => void }) => {
  const run = useRun()
  const form = createForm<"new-email" | "email-password">(
    { "new-email": "", "email-password": "" },
    { "new-email": email, "email-password": required("votre mot de passe actuel") },
    { "current-password": "email-password" }
  )
  const onSubmit = form.submit(
    () =>
      run(Effect.gen(function*() {
        const client = yield* Vigie
        const newEmail = yield* Schema.decode(Email)(form.values["new-email"])
        return yield* client.RequestEmailChange({ newEmail, password: Redacted.make(form.values["email-password"]) })
      })),
    (requested) => {
      const until = DateTime.formatLocal(DateTime.toUtc(requested.expiresAt), { locale: "fr-FR", dateStyle: "long",
        timeStyle: "short", timeZone: "Europe/Paris" })
      props.onSent({ to: requested.newEmail, until })
    }
  )
  return (
    <form onSubmit={onSubmit} novalidate aria-labelledby="email-title">
      <h2 id="email-title">Adresse e-mail</h2>
      <p class="small">
        Un lien de confirmation part à la nouvelle adresse ; votre adresse actuelle est prévenue. Rien ne change tant
        que le lien n'a pas été ouvert.
      </p>
      <TextField id="new-email" label="Nouvelle adresse e-mail" type="email" autocomplete="email" inputmode="email"
        value={form.values["new-email"]} onValue={(v) => form.set("new-email", v)}
        onBlur={() => form.touch("new-email")} error={form.error("new-email")} />
      <TextField id="email-password" label="Mot de passe actuel (pour confirmer)" type="password"
        autocomplete="current-password" value={form.values["email-password"]}
        onValue={(v) => form.set("email-password", v)} onBlur={() => form.touch("email-password")}
        error={form.error("email-password")} />
      <FormError message={form.formError()} />
      <button type="submit" class="primary" disabled={form.busy()}>Changer d'adresse</button>
    </form>
  )
}

const EmailSection = () => {
  const [sent, setSent] = createSignal<Sent>()
  return (
    <Show when={sent()} fallback={<ChangeEmailForm onSent={setSent} />}>
      {(s) => (
        <section aria-labelledby="email-title">
          <h2 id="email-title">Adresse e-mail</h2>
          <p class="notice success" role="status">
            Un lien de confirmation a été envoyé à <strong>{s().to}</strong>, valable jusqu'au{" "}
            {s().until}. Ouvrez-le pour que cette adresse devienne celle de votre compte ; d'ici là, votre adresse
            actuelle reste la même.
          </p>
          <button type="button" class="secondary" onClick={() => setSent(undefined)}>Faire une autre demande</button>
        </section>
      )}
    </Show>
  )
}

/** "Mon compte": the account's password, e-mail address and phone. */
export const AccountPage = (props: { readonly me: Me }) => {
  const account = () => props.me.account
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Mon compte</h1>
      <dl class="summary">
        <ContactFacts account={account()} />
      </dl>
      <PasswordSection />
      <EmailSection />
      <section aria-labelledby="phone-change-title">
        <h2 id="phone-change-title">Téléphone</h2>
        <p class="small">Le nouveau numéro ne remplace l'actuel qu'une fois vérifié par le code reçu par SMS.</p>
        <A class="button secondary" href="/telephone">
          {Option.isSome(account().phone) ? "Changer de numéro" : "Ajouter mon numéro"}
        </A>
      </section>
    </section>
  )
}

/** The page of the link sent to a new address: one button confirms it. */
export const ConfirmEmailPage = () => {
  const run = useRun()
  const session = useSession()
  const [params] = useSearchParams()
  const [email, setEmail] = createSignal<string>()
  const token = () => (typeof params["jeton"] === "string" ? params["jeton"] : "")
  const form = createForm({}, {})
  const onSubmit = form.submit(
    () => run(Effect.flatMap(Vigie, (client) => client.ConfirmEmailChange({ token: token() }))),
    (changed) => {
      setEmail(changed.email)
      session.refresh()
    }
  )
  return (
    <section aria-labelledby="confirm-email-title">
      <h1 id="confirm-email-title">Confirmer ma nouvelle adresse</h1>
      <Show when={email()} fallback={
        <form onSubmit={onSubmit} novalidate aria-labelledby="confirm-email-title">
          <p>Confirmez pour que cette adresse devienne celle de votre compte Vigie.</p>
          <FormError message={form.formError()} />
          <button type="submit" class="primary" disabled={form.busy() || token() === ""}>
            Confirmer cette adresse
          </button>
        </form>
      }>
        <div class="notice success" role="status">
          <p>
            Votre adresse e-mail est maintenant <strong>{email()}</strong>. Utilisez-la pour vous connecter.
          </p>
          <A class="button primary" href="/">Continuer</A>
        </div>
      </Show>
    </section>
  )
}

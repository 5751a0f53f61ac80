import { useLocation, useNavigate } from "@solidjs/router"
import { Effect, Redacted } from "effect"
import { Show } from "solid-js"
import { FormError, TextField } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { password } from "../../lib/validation.js"
import { useSession } from "./Session.js"

/**
 * The page of a staff invitation link (/invitation#<token>): the person chooses a password, is
 * signed in, and goes on to enrol a second factor. The token stays in the fragment, never sent
 * with a page request.
 */
export const InvitationPage = () => {
  const run = useRun()
  const session = useSession()
  const navigate = useNavigate()
  const location = useLocation()
  const token = () => location.hash.replace(/^#/, "")
  let chosen = (): string => ""
  const form = createForm(
    { password: "", confirmation: "" },
    {
      password,
      confirmation: (v: string) =>
        v === ""
          ? "Saisissez à nouveau le mot de passe."
          : v !== chosen()
          ? "Les deux mots de passe ne sont pas identiques."
          : undefined
    }
  )
  chosen = () => form.values.password
  const onSubmit = form.submit(
    () =>
      run(
        Effect.flatMap(Vigie, (client) =>
          client.AcceptStaffInvitation({ token: token(), password: Redacted.make(form.values.password) }))
      ),
    (me) => {
      session.set(me)
      navigate("/double-authentification", { replace: true })
    }
  )
  return (
    <Show when={token() !== ""} fallback={
      <section>
        <h1>Invitation incomplète</h1>
        <p>Ce lien d'invitation est incomplet. Ouvrez le lien exact reçu de l'administrateur de Vigie.</p>
      </section>
    }>
      <form onSubmit={onSubmit} novalidate aria-labelledby="invitation-title">
        <h1 id="invitation-title">Bienvenue dans l'équipe Vigie</h1>
        <p>
          Choisissez votre mot de passe. Vous activerez ensuite la double authentification avec une application sur
          votre téléphone. Ce lien ne sert qu'une fois.
        </p>
        <TextField id="password" label="Mot de passe" type="password" autocomplete="new-password"
          hint="Au moins 12 caractères variés, ou une phrase de passe. Les mots de passe trop courants sont refusés."
          value={form.values.password} onValue={(v) => form.set("password", v)} onBlur={() => form.touch("password")}
          error={form.error("password")} />
        <TextField id="confirmation" label="Confirmer le mot de passe" type="password" autocomplete="new-password"
          value={form.values.confirmation} onValue={(v) => form.set("confirmation", v)}
          onBlur={() => form.touch("confirmation")} error={form.error("confirmation")} />
        <FormError message={form.formError()} />
        <button type="submit" class="primary" disabled={form.busy()}>
          {form.busy() ? "Enregistrement…" : "Choisir ce mot de passe"}
        </button>
      </form>
    </Show>
  )
}

import { A } from "@solidjs/router"
import type { StaffRole } from "@vigie/domain/accounts/Account"
import {
  type CommuneChoice,
  StaffInvitationRequest,
  type StaffRoleHolder,
  type VigilantCommuneFigures
} from "@vigie/domain/administration/VigilantCommune"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import { Effect, Option, Schema } from "effect"
import { For, Show, createEffect, createSignal, on, onMount } from "solid-js"
import { FieldError, FormError, TextField } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { ProposalsReview } from "../proposals/ProposalsReview.js"
import { formatDate } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { email, first, maxLength, required } from "../../lib/validation.js"

/** A staff role in French, with its commune's code when it has one. */
export const roleLabel = (role: StaffRole): string =>
  role._tag === "Admin"
    ? "Administrateur"
    : role._tag === "Moderator"
    ? "Modérateur"
    : role._tag === "MairieAgent"
    ? `Agent de la mairie (${role.insee})`
    : `Police municipale (${role.insee})`

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`

/** Search the official list and make a commune a Mairie Vigilante. */
const CommuneActivation = (props: { readonly onActivated: () => void }) => {
  const run = useRun()
  const [query, setQuery] = createSignal("")
  const [results, setResults] = createSignal<ReadonlyArray<CommuneChoice>>()
  const [activated, setActivated] = createSignal<ReadonlySet<string>>(new Set())
  const [status, setStatus] = createSignal("")
  const [error, setError] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)

  const search = async (event: Event) => {
    event.preventDefault()
    setError(undefined)
    if (query().trim().length < 2) {
      setError("Tapez au moins deux lettres du nom, ou un code postal, ou un code INSEE.")
      return
    }
    setBusy(true)
    const o = await run(Effect.flatMap(Vigie, (client) => client.SearchOfficialCommunes({ query: query().trim() })))
    setBusy(false)
    if (!o.ok) return setError(o.failure.message)
    setResults(o.value)
    setStatus(
      o.value.length === 0
        ? "Aucune commune trouvée."
        : `${plural(o.value.length, "commune trouvée", "communes trouvées")}.`
    )
  }

  const activate = async (commune: CommuneChoice) => {
    setError(undefined)
    const o = await run(Effect.flatMap(Vigie, (client) => client.ActivateVigilantCommune({ insee: commune.insee })))
    if (!o.ok) return setError(o.failure.message)
    setActivated((done) => new Set([...done, commune.insee]))
    setStatus(`${o.value.name} est maintenant une Mairie Vigilante.`)
    props.onActivated()
  }

  return (
    <section class="panel" aria-labelledby="activation-title">
      <h2 id="activation-title">Ouvrir une Mairie Vigilante</h2>
      <form onSubmit={search} novalidate role="search" aria-label="Chercher une commune">
        <TextField id="commune-query" label="Commune : nom, code postal ou code INSEE" value={query()}
          onValue={setQuery} autocomplete="off" error={error()} maxlength={100} />
        <button type="submit" class="button primary" disabled={busy()}>Chercher</button>
      </form>
      <p class="small" role="status" aria-live="polite">{status()}</p>
      <Show when={results()}>
        {(list) => (
          <ul class="results" aria-label="Communes trouvées">
            <For each={list()}>
              {(c) => (
                <li>
                  <strong>{c.name}</strong> · {c.postcodes.join(", ")} · INSEE {c.insee} ·{" "}
                  {c.population.toLocaleString("fr-FR")} hab.{" "}
                  <Show when={!c.vigilant && !activated().has(c.insee)} fallback={
                    <>
                      <span class="badge ok">Mairie Vigilante</span>{" "}
                      <A href={`/communes/${c.insee}/quartiers`}>Dessiner les quartiers de {c.name}</A>
                    </>
                  }>
                    <button type="button" class="button secondary" onClick={() => void activate(c)}
                      aria-label={`Rendre ${c.name} (${c.insee}) Mairie Vigilante`}
                    >
                      Activer
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
    </section>
  )
}

/** Every vigilant commune with its figures. */
const FiguresTable = (props: { readonly communes: ReadonlyArray<VigilantCommuneFigures> | undefined }) => (
  <section class="panel" aria-labelledby="figures-title">
    <h2 id="figures-title">Mairies Vigilantes</h2>
    <Show when={props.communes} fallback={<p aria-busy="true">Chargement…</p>}>
      {(list) => (
        <div class="table-scroll" tabindex="0" role="region" aria-label="Chiffres des Mairies Vigilantes">
          <table>
            <caption>Quartiers ouverts, voisins vérifiés et alertes des 30 derniers jours</caption>
            <thead>
              <tr>
                <th scope="col">Commune</th>
                <th scope="col">Depuis</th>
                <th scope="col">Quartiers</th>
                <th scope="col">Vérifiés</th>
                <th scope="col">Alertes 30 j</th>
                <th scope="col">Pages</th>
              </tr>
            </thead>
            <tbody>
              <For each={list()} fallback={
                <tr>
                  <td colspan="6">Aucune Mairie Vigilante pour l'instant.</td>
                </tr>
              }>
                {(c) => (
                  <tr>
                    <th scope="row">{c.name} ({c.insee})</th>
                    <td>{formatDate(c.activatedAt)}</td>
                    <td>{c.quartiers}</td>
                    <td>{c.verifiedMembers}</td>
                    <td>{c.alertsLast30Days}</td>
                    <td class="links">
                      <A href={`/communes/${c.insee}/quartiers`} aria-label={`Quartiers de ${c.name}`}>Quartiers</A>
                      {" · "}
                      {/* Served by the server, not the app: a full page load. */}
                      <a href={`/commune/${c.insee}`} rel="external" aria-label={`Page publique de ${c.name}`}>
                        Page publique
                      </a>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      )}
    </Show>
  </section>
)

/** Invite a mairie agent or a municipal police officer of a vigilant commune. */
const InviteStaff = (props: {
  readonly communes: ReadonlyArray<VigilantCommuneFigures> | undefined
  readonly onInvited: () => void
}) => {
  const run = useRun()
  const [status, setStatus] = createSignal("")
  const form = createForm(
    { "invite-commune": "", "invite-role": "", "first-name": "", "last-name": "", "invite-email": "" },
    {
      "invite-commune": required("la commune"),
      "invite-role": (v) => v === "" ? "Choisissez le rôle : mairie ou police municipale." : undefined,
      "first-name": first(required("le prénom"), maxLength(80)),
      "last-name": first(required("le nom"), maxLength(80)),
      "invite-email": email
    }
  )
  const send = form.submit(
    () =>
      run(Effect.gen(function*() {
        const request = yield* Schema.decodeUnknown(StaffInvitationRequest)({
          insee: form.values["invite-commune"],
          role: form.values["invite-role"],
          firstName: form.values["first-name"],
          lastName: form.values["last-name"],
          email: form.values["invite-email"]
        })
        return yield* (yield* Vigie).InviteCommuneStaff(request)
      })),
    (invited) => {
      const who = `${form.values["first-name"].trim()} ${form.values["last-name"].trim()}`
      setStatus(
        invited.created
          ? `Invitation envoyée à ${who} : le lien est valable 7 jours.`
          : invited.invitationSent
          ? `${who} n'avait pas encore choisi son mot de passe : un nouveau lien, valable 7 jours, est envoyé.`
          : invited.roleGranted
          ? `${who} avait déjà un compte : le rôle est ajouté et un e-mail l'en informe.`
          : `${who} a déjà ce rôle : rien n'a changé.`
      )
      // Ready for the next agent: the commune and role stay, no "missing field" message shows.
      form.reset(["first-name", "last-name", "invite-email"])
      props.onInvited()
    }
  )
  return (
    <section class="panel" aria-labelledby="invite-title">
      <h2 id="invite-title">Inviter un agent</h2>
      <form onSubmit={send} novalidate aria-label="Invitation d'un agent">
        <div class="field" classList={{ invalid: form.error("invite-commune") !== undefined }}>
          <label for="invite-commune">Commune (Mairie Vigilante)</label>
          <select id="invite-commune" value={form.values["invite-commune"]}
            onChange={(e) => form.set("invite-commune", e.currentTarget.value)}
            aria-invalid={form.error("invite-commune") !== undefined}
            aria-describedby={form.error("invite-commune") === undefined ? undefined : "invite-commune-error"}
          >
            <option value="">Choisir…</option>
            <For each={props.communes ?? []}>{(c) => <option value={c.insee}>{c.name} ({c.insee})</option>}</For>
          </select>
          <FieldError id="invite-commune" error={form.error("invite-commune")} />
        </div>
        <fieldset class="choices two" id="invite-role" tabindex="-1">
          <legend>Rôle</legend>
          <label class="choice">
            <input type="radio" name="invite-role" checked={form.values["invite-role"] === "mairie"}
              onChange={() => form.set("invite-role", "mairie")} />
            <span>Agent de la mairie</span>
          </label>
          <label class="choice">
            <input type="radio" name="invite-role" checked={form.values["invite-role"] === "police"}
              onChange={() => form.set("invite-role", "police")} />
            <span>Police municipale</span>
          </label>
          <FieldError id="invite-role" error={form.error("invite-role")} />
        </fieldset>
        <div class="row">
          <TextField id="first-name" label="Prénom" value={form.values["first-name"]}
            onValue={(v) => form.set("first-name", v)} onBlur={() => form.touch("first-name")}
            error={form.error("first-name")} autocomplete="off" />
          <TextField id="last-name" label="Nom" value={form.values["last-name"]}
            onValue={(v) => form.set("last-name", v)} onBlur={() => form.touch("last-name")}
            error={form.error("last-name")} autocomplete="off" />
        </div>
        <TextField id="invite-email" label="Adresse e-mail" type="email" inputmode="email"
          value={form.values["invite-email"]} onValue={(v) => form.set("invite-email", v)}
          onBlur={() => form.touch("invite-email")} error={form.error("invite-email")} autocomplete="off"
          hint="Le lien d'invitation (valable 7 jours) part à cette adresse." />
        <FormError message={form.formError()} />
        <button type="submit" class="button primary" disabled={form.busy()}>Envoyer l'invitation</button>
      </form>
      <p class="small" role="status" aria-live="polite">{status()}</p>
    </section>
  )
}

/** Staff roles, of one commune or all, each revocable after a confirmation. */
const StaffList = (props: {
  readonly communes: ReadonlyArray<VigilantCommuneFigures> | undefined
  readonly version: number
}) => {
  const run = useRun()
  const [filter, setFilter] = createSignal("")
  const [staff, setStaff] = createSignal<ReadonlyArray<StaffRoleHolder>>()
  const [confirming, setConfirming] = createSignal<string>()
  const [status, setStatus] = createSignal("")
  const [error, setError] = createSignal<string>()
  const keyOf = (s: StaffRoleHolder) => `${s.accountId}:${roleLabel(s.role)}`

  const load = async () => {
    const insee = filter()
    const o = await run(
      Effect.flatMap(Vigie, (client) => client.ListStaffRoles(insee === "" ? {} : { insee: insee as InseeCode }))
    )
    if (o.ok) setStaff(o.value)
    else setError(o.failure.message)
  }
  onMount(() => void load())
  // Reloaded after each invitation (props.version changes).
  createEffect(on(() => props.version, () => void load(), { defer: true }))

  const revoke = async (holder: StaffRoleHolder) => {
    setError(undefined)
    const o = await run(
      Effect.flatMap(Vigie, (client) => client.RevokeStaffRole({ accountId: holder.accountId, role: holder.role }))
    )
    setConfirming(undefined)
    if (!o.ok) {
      setError(o.failure.message)
      if (o.failure.tag === "StaffRoleNotFound") void load()
      return
    }
    setStatus(`Rôle « ${roleLabel(holder.role)} » retiré à ${holder.firstName} ${holder.lastName}.`)
    void load()
  }

  return (
    <section class="panel" aria-labelledby="staff-title">
      <h2 id="staff-title">Rôles du personnel</h2>
      <div class="field">
        <label for="staff-filter">Afficher</label>
        <select id="staff-filter" value={filter()} onChange={(e) => {
          setFilter(e.currentTarget.value)
          void load()
        }}>
          <option value="">Tous les rôles</option>
          <For each={props.communes ?? []}>{(c) => <option value={c.insee}>{c.name} ({c.insee})</option>}</For>
        </select>
      </div>
      <FormError message={error()} />
      <p class="small" role="status" aria-live="polite">{status()}</p>
      <Show when={staff()} fallback={<p aria-busy="true">Chargement…</p>}>
        {(list) => (
          <ul class="staff-list" aria-label="Rôles">
            <For each={list()} fallback={<li class="empty">Aucun rôle.</li>}>
              {(s) => (
                <li>
                  <strong>{s.firstName} {s.lastName}</strong> · {roleLabel(s.role)}
                  <Show when={Option.getOrUndefined(s.email)}>{(mail) => <>· {mail()}</>}</Show> · depuis le{" "}
                  {formatDate(s.grantedAt)}{" "}
                  <Show when={confirming() === keyOf(s)}
                    fallback={
                      <button type="button" class="button secondary"
                        aria-label={`Retirer le rôle ${roleLabel(s.role)} à ${s.firstName} ${s.lastName}`}
                        onClick={() => setConfirming(keyOf(s))}
                      >
                        Retirer
                      </button>
                    }
                  >
                    <span role="group" aria-label="Confirmation du retrait">
                      Retirer ce rôle ? Le compte reste, sans ce rôle.{" "}
                      <button type="button" class="button danger" onClick={() => void revoke(s)}>
                        Confirmer le retrait
                      </button>{" "}
                      <button type="button" class="button secondary" onClick={() => setConfirming(undefined)}>
                        Annuler
                      </button>
                    </span>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
    </section>
  )
}

/**
 * The platform administration (admins): open a commune as Mairie Vigilante from the official list,
 * invite its first agents, list and revoke staff roles, and every vigilant commune's figures.
 */
export const AdminPage = () => {
  const run = useRun()
  const [communes, setCommunes] = createSignal<ReadonlyArray<VigilantCommuneFigures>>()
  const [error, setError] = createSignal<string>()
  const [version, setVersion] = createSignal(0)
  const loadCommunes = async () => {
    const o = await run(Effect.flatMap(Vigie, (client) => client.ListVigilantCommunes({})))
    if (o.ok) setCommunes(o.value)
    else setError(o.failure.message)
  }
  onMount(() => void loadCommunes())
  return (
    <div class="wide admin">
      <h1>Administration de Vigie</h1>
      <FormError message={error()} />
      <CommuneActivation onActivated={() => void loadCommunes()} />
      <InviteStaff communes={communes()} onInvited={() => setVersion((v) => v + 1)} />
      <StaffList communes={communes()} version={version()} />
      <FiguresTable communes={communes()} />
      <p class="hint">
        Propositions des communes qui ne sont pas des Mairies Vigilantes (celles des Mairies Vigilantes sont décidées
        par leurs agents, et par vous depuis l'écran des quartiers de la commune).
      </p>
      <ProposalsReview />
    </div>
  )
}

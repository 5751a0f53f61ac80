import { A } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { alertStatusLabels } from "@vigie/domain/alerts/AlertLabels"
import { AuditAction, type AuditEntry, type AuditPage, type AuditSnapshot } from "@vigie/domain/moderation/AuditEntry"
import type { HideReason } from "@vigie/domain/moderation/HideReason"
import { DateTime, Effect, Option } from "effect"
import { For, Show, createSignal, onMount } from "solid-js"
import { FieldError, FormError } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { type Outcome, useRun } from "../../lib/runtime.js"
import { NoteConfirm } from "./ActionForms.js"
import { auditActionLabels, personName, reasonLabel, roleLabels, targetKindLabels } from "./Labels.js"

const PAGE = 25

/**
 * On the entry of a suspension or a ban: lift it, with a reason for the log. The server refuses
 * (in French) when it was lifted already.
 */
const LiftFromEntry = (props: { readonly entry: AuditEntry; readonly onDone: (message: string) => void }) => {
  const run = useRun()
  const [opened, setOpened] = createSignal(false)
  const accountId = () => Option.getOrUndefined(props.entry.accountId)
  const communityId = () => Option.getOrUndefined(props.entry.communityId)
  const lift = (note: Option.Option<string>): Promise<Outcome<unknown>> => {
    const account = accountId()!
    const why = Option.getOrElse(note, () => "")
    return run(Effect.flatMap(Vigie, (client): Effect.Effect<unknown, unknown> =>
      props.entry.action === "suspend"
        ? client.LiftSuspension({ accountId: account, note: why })
        : client.LiftBan({ accountId: account, communityId: communityId()!, note: why })))
  }
  const suspension = () => props.entry.action === "suspend"
  return (
    <Show
      when={accountId() !== undefined &&
        (suspension() || (props.entry.action === "ban" && communityId() !== undefined))}
    >
      <Show when={opened()} fallback={
        <button type="button" class="secondary" onClick={() => setOpened(true)}>
          {suspension() ? "Lever la suspension" : "Lever l'exclusion du quartier"}
        </button>
      }>
        <NoteConfirm
          title={suspension() ? "Lever la suspension" : "Lever l'exclusion du quartier"}
          question={suspension()
            ? "Rendre l'accès à ce compte ? La personne pourra de nouveau publier et recevoir les alertes."
            : "Réintégrer cette personne dans le quartier ? Elle recevra de nouveau ses alertes."}
          confirm="Oui, lever"
          noteRequired
          done={suspension() ? "Suspension levée." : "Exclusion levée."}
          onCancel={() => setOpened(false)}
          onDone={(message) => {
            setOpened(false)
            props.onDone(message)
          }}
          send={lift}
        />
      </Show>
    </Show>
  )
}

/** A yyyy-mm-dd day at midnight in the browser's time zone (the app runs in France), as UTC. */
const dayStart = (day: string): DateTime.Utc | undefined => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined
  const d = new Date(`${day}T00:00:00`)
  return Number.isNaN(d.getTime()) ? undefined : DateTime.unsafeMake(d)
}

const snapshotKeys: Record<string, string> = {
  status: "état",
  reviewed: "relue",
  hiddenReason: "motif du masquage",
  hiddenPending: "masquage en attente",
  openFlags: "signalements ouverts",
  accountStatus: "compte",
  membershipStatus: "inscription"
}

const snapshotValue = (key: string, value: unknown): string => {
  if (value === null || value === undefined) return "—"
  if (typeof value === "boolean") return value ? "oui" : "non"
  if (key === "status" && typeof value === "string" && value in alertStatusLabels) {
    return alertStatusLabels[value as keyof typeof alertStatusLabels]
  }
  if (key === "hiddenReason" && typeof value === "string") {
    try {
      return reasonLabel(value as HideReason)
    } catch {
      return value
    }
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value)
}

const Snapshot = (props: { readonly label: string; readonly snapshot: Option.Option<AuditSnapshot> }) => (
  <div class="snapshot">
    <p class="small">
      <strong>{props.label}</strong>
    </p>
    <Show when={Option.getOrUndefined(props.snapshot)} fallback={<p class="small">—</p>}>
      {(s) => (
        <dl class="snapshot-fields">
          <For each={Object.entries(s())}>
            {([key, value]) => (
              <>
                <dt>{snapshotKeys[key] ?? key}</dt>
                <dd>{snapshotValue(key, value)}</dd>
              </>
            )}
          </For>
        </dl>
      )}
    </Show>
  </div>
)

/**
 * The audit log (moderators only): every moderation action, newest first — who, what, when, why,
 * and the target before and after. Searched by words, action, actor and dates; paged.
 */
export const AuditLog = (props: { readonly me: Me }) => {
  const run = useRun()
  const [entries, setEntries] = createSignal<ReadonlyArray<AuditEntry>>([])
  const [page, setPage] = createSignal<AuditPage>()
  const [actors, setActors] = createSignal<ReadonlyMap<string, string>>(new Map([[props.me.account.id, "Moi"]]))
  const [loading, setLoading] = createSignal(false)
  let fromNow: () => string = () => ""
  const form = createForm({ text: "", action: "", actor: "", from: "", to: "" }, {
    text: (v) => (v.trim().length > 200 ? "200 caractères au maximum." : undefined),
    from: (v) => (v !== "" && dayStart(v) === undefined ? "Date invalide." : undefined),
    to: (v) =>
      v !== "" && dayStart(v) === undefined
        ? "Date invalide."
        : v !== "" && fromNow() !== "" && v < fromNow()
        ? "La date de fin est avant la date de début."
        : undefined
  })
  fromNow = () => form.values.from

  const query = () => {
    const v = form.values
    const to = dayStart(v.to)
    return {
      text: v.text.trim() === "" ? Option.none() : Option.some(v.text.trim()),
      action: v.action === "" ? Option.none() : Option.some(v.action as AuditAction),
      actorId: v.actor === "" ? Option.none() : Option.some(v.actor as AccountId),
      targetKind: Option.none(),
      targetId: Option.none(),
      from: Option.fromNullable(dayStart(v.from)),
      to: to === undefined ? Option.none() : Option.some(DateTime.add(to, { days: 1 }))
    }
  }

  const fetchPage = (before?: { at: DateTime.Utc; id: Option.Option<AuditEntry["id"]> }) =>
    run(Effect.flatMap(Vigie, (client) =>
      client.SearchAuditLog({
        query: query(),
        before: Option.fromNullable(before?.at),
        beforeId: before === undefined ? Option.none() : before.id,
        limit: PAGE
      })))

  const accept = (result: AuditPage, append: boolean) => {
    setPage(result)
    setEntries((old) => (append ? [...old, ...result.entries] : result.entries))
    setActors((old) => {
      const next = new Map(old)
      for (const e of result.entries) if (!next.has(e.actor.accountId)) next.set(e.actor.accountId, personName(e.actor))
      return next
    })
  }

  const search = form.submit(() => fetchPage(), (result) => accept(result, false))
  const [message, setMessage] = createSignal<string>()
  const lifted = (text: string) => {
    setMessage(text)
    void search()
  }
  onMount(() => void search())

  const more = async () => {
    const p = page()
    if (p === undefined || Option.isNone(p.nextBefore)) return
    setLoading(true)
    const outcome = await fetchPage({ at: p.nextBefore.value, id: p.nextBeforeId })
    setLoading(false)
    if (outcome.ok) accept(outcome.value, true)
    else form.setFailure(outcome.failure)
  }

  return (
    <section aria-labelledby="audit-title" class="wide audit-log">
      <p>
        <A href="/moderation">← Retour à la file de modération</A>
      </p>
      <h1 id="audit-title">Journal de modération</h1>
      <p class="small">
        Chaque action des modérateurs et des référents, dans l'ordre inverse. Rien n'est jamais effacé.
      </p>
      <form onSubmit={search} novalidate aria-label="Rechercher dans le journal" class="audit-search">
        <div class="field">
          <label for="text">Mots cherchés</label>
          <input id="text" name="text" type="search" value={form.values.text}
            onInput={(e) => form.set("text", e.currentTarget.value)}
            aria-describedby={form.error("text") ? "text-error" : undefined} />
          <FieldError id="text" error={form.error("text")} />
        </div>
        <div class="columns">
          <div class="field">
            <label for="action">Action</label>
            <select id="action" name="action" value={form.values.action}
              onChange={(e) => form.set("action", e.currentTarget.value)}
            >
              <option value="">Toutes</option>
              <For each={AuditAction.literals}>{(a) => <option value={a}>{auditActionLabels[a]}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="actor">Auteur de l'action</label>
            <select id="actor" name="actor" value={form.values.actor}
              onChange={(e) => form.set("actor", e.currentTarget.value)}
            >
              <option value="">Tout le monde</option>
              <For each={[...actors().entries()]}>{([id, name]) => <option value={id}>{name}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="from">Du</label>
            <input id="from" name="from" type="date" value={form.values.from}
              onInput={(e) => form.set("from", e.currentTarget.value)} aria-invalid={form.error("from") !== undefined}
              aria-describedby={form.error("from") ? "from-error" : undefined} />
            <FieldError id="from" error={form.error("from")} />
          </div>
          <div class="field">
            <label for="to">Au (inclus)</label>
            <input id="to" name="to" type="date" value={form.values.to}
              onInput={(e) => form.set("to", e.currentTarget.value)} aria-invalid={form.error("to") !== undefined}
              aria-describedby={form.error("to") ? "to-error" : undefined} />
            <FieldError id="to" error={form.error("to")} />
          </div>
        </div>
        <FormError message={form.formError()} />
        <button type="submit" class="primary" disabled={form.busy()}>
          {form.busy() ? "Recherche…" : "Rechercher"}
        </button>
      </form>
      <div role="status" aria-live="polite" class="status-line">
        <Show when={message()}>
          <p class="notice success">{message()}</p>
        </Show>
      </div>

      <Show when={page()} fallback={
        <Show when={form.busy()}>
          <p aria-busy="true">Chargement…</p>
        </Show>
      }>
        <Show when={entries().length > 0}
          fallback={<p class="empty">Aucune action ne correspond à cette recherche.</p>}
        >
          <ol class="audit-entries">
            <For each={entries()}>
              {(e) => (
                <li class="audit-entry panel" data-action={e.action}>
                  <p class="audit-what">
                    <strong>{auditActionLabels[e.action]}</strong> — {targetKindLabels[e.targetKind]}{" "}
                    <Show when={e.targetKind === "alert"} fallback={<code>{e.targetId.slice(0, 8)}</code>}>
                      <A href={`/alertes/${e.targetId}`}>{e.targetId.slice(0, 8)}</A>
                    </Show>
                    <Show when={e.targetKind !== "alert" ? Option.getOrUndefined(e.alertId) : undefined}>
                      {(alertId) => (
                        <>
                          {" "}(alerte <A href={`/alertes/${alertId()}`}>{alertId().slice(0, 8)}</A>)
                        </>
                      )}
                    </Show>
                  </p>
                  <dl class="summary">
                    <dt>Qui</dt>
                    <dd>{personName(e.actor)} ({roleLabels[e.actorRole]})</dd>
                    <dt>Quand</dt>
                    <dd>
                      <time datetime={DateTime.formatIso(e.at)}>{formatDateTime(e.at)}</time>
                    </dd>
                    <dt>Pourquoi</dt>
                    <dd>
                      {Option.match(e.reason, { onNone: () => "", onSome: reasonLabel })}
                      <Show when={Option.isSome(e.reason) && Option.isSome(e.note)}>{" — "}</Show>
                      <Show when={Option.getOrUndefined(e.note)}>{(n) => <>« {n()} »</>}</Show>
                      <Show when={Option.isNone(e.reason) && Option.isNone(e.note)}>—</Show>
                    </dd>
                  </dl>
                  <div class="before-after">
                    <Snapshot label="Avant" snapshot={e.before} />
                    <Snapshot label="Après" snapshot={e.after} />
                  </div>
                  <LiftFromEntry entry={e} onDone={lifted} />
                </li>
              )}
            </For>
          </ol>
        </Show>
        <Show when={Option.isSome(page()!.nextBefore)}>
          <button type="button" class="secondary" disabled={loading()} onClick={() => void more()}>
            {loading() ? "Chargement…" : "Entrées plus anciennes"}
          </button>
        </Show>
      </Show>
    </section>
  )
}

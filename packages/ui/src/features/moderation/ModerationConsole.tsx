import { A } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { categoryLabels } from "@vigie/domain/alerts/AlertLabels"
import type { ModerationQueueItem, ModerationQueuePage, QueueItemKind } from "@vigie/domain/moderation/ModeratedAlert"
import { QueueItemKind as QueueKinds } from "@vigie/domain/moderation/ModeratedAlert"
import { Effect, Option } from "effect"
import { For, Match, Show, Switch, createSignal, onCleanup, onMount } from "solid-js"
import type { JSX } from "solid-js"
import { formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { type Outcome, useRun } from "../../lib/runtime.js"
import { DecideForm, NoteConfirm, ReasonForm } from "./ActionForms.js"
import { HighlightedText } from "./HighlightedText.js"
import {
  flagStatusLabels,
  formatWaiting,
  holdReasonLabels,
  kindLabels,
  personName,
  queueSectionLabels,
  reasonLabel,
  roleLabels
} from "./Labels.js"

const PAGE = 20

/** How often the console checks, in the background, whether the queue changed. */
export const QUEUE_CHECK_MS = 30_000

const sameCounts = (a: ModerationQueuePage["counts"], b: ModerationQueuePage["counts"]) =>
  QueueKinds.literals.every((kind) => a[kind] === b[kind])

/** Which action form is open: one at a time on the whole console, so field ids stay unique. */
interface Open {
  readonly key: string
  readonly action:
    | "approve"
    | "review"
    | "hide"
    | "restore"
    | "confirm"
    | "dismiss"
    | "decide"
    | "warn"
    | "suspend"
    | "ban"
}

const itemKey = (item: ModerationQueueItem) =>
  `${item.kind}:${item.alert.alert.id}:${Option.match(item.appeal, { onNone: () => "", onSome: (a) => a.id })}`

/**
 * The moderators' console: the queue in its order (held alerts first, oldest first, with how long
 * each has waited; then published alerts not yet reviewed; then members' flags; then appeals), each
 * item with its author and their history, its community, its text with the flagged passages
 * highlighted, and the actions that fit it. Every action asks for confirmation or a reason first.
 */
export const ModerationConsole = (props: { readonly me: Me }) => {
  const run = useRun()
  const [page, setPage] = createSignal<ModerationQueuePage>()
  const [items, setItems] = createSignal<ReadonlyArray<ModerationQueueItem>>([])
  const [loadError, setLoadError] = createSignal<string>()
  const [loading, setLoading] = createSignal(false)
  const [open, setOpen] = createSignal<Open>()
  const [message, setMessage] = createSignal<string>()

  const load = async (offset: number | undefined) => {
    setLoading(true)
    const outcome = await run(
      Effect.flatMap(
        Vigie,
        (client) =>
          client.ListModerationQueue({ kind: Option.none(), offset: Option.fromNullable(offset), limit: PAGE })
      )
    )
    setLoading(false)
    if (!outcome.ok) return setLoadError(outcome.failure.message)
    setLoadError(undefined)
    setPage(outcome.value)
    setItems((before) => (offset === undefined ? outcome.value.items : [...before, ...outcome.value.items]))
  }
  onMount(() => void load(undefined))

  // Other moderators act and new alerts arrive: every QUEUE_CHECK_MS, and when the tab comes back
  // into view, the counts are re-read; when they changed, a button offers the fresh queue. The list
  // is never replaced under the moderator's eyes (a reason being typed would be lost).
  const [changed, setChanged] = createSignal(false)
  const check = async () => {
    const shown = page()
    if (shown === undefined || loading()) return
    const outcome = await run(
      Effect.flatMap(
        Vigie,
        (client) => client.ListModerationQueue({ kind: Option.none(), offset: Option.none(), limit: 1 })
      )
    )
    if (outcome.ok && !sameCounts(outcome.value.counts, shown.counts)) setChanged(true)
  }
  const onVisible = () => {
    if (document.visibilityState === "visible") void check()
  }
  onMount(() => {
    const timer = setInterval(() => void check(), QUEUE_CHECK_MS)
    document.addEventListener("visibilitychange", onVisible)
    onCleanup(() => {
      clearInterval(timer)
      document.removeEventListener("visibilitychange", onVisible)
    })
  })
  const refresh = () => {
    setChanged(false)
    setOpen(undefined)
    void load(undefined)
  }

  const done = (text: string) => {
    setOpen(undefined)
    setMessage(text)
    setChanged(false)
    void load(undefined)
  }

  return (
    <section aria-labelledby="console-title" class="wide moderation-console">
      <h1 id="console-title">Modération</h1>
      <p class="row links">
        <A href="/moderation/journal">Journal de modération</A>
        <A href="/moderation/signalements">Signalements des membres</A>
        <A href="/moderation/gazette">Gazette</A>
        <A href="/moderation/messages">Messages signalés</A>
      </p>
      <div role="status" aria-live="polite" class="status-line">
        <Show when={message()}>
          <p class="notice success">{message()}</p>
        </Show>
        <Show when={changed()}>
          <p class="notice">
            La file a changé depuis son affichage.{" "}
            <button type="button" class="secondary" onClick={refresh}>Actualiser la file</button>
          </p>
        </Show>
      </div>
      <Show when={loadError()}>
        <p class="form-error" role="alert">{loadError()}</p>
      </Show>
      <Show when={page()} fallback={
        <Show when={loadError() === undefined}>
          <p aria-busy="true">Chargement…</p>
        </Show>
      }>
        {(p) => (
          <>
            <ul class="queue-counts" aria-label="File d'attente">
              <For each={QueueKinds.literals}>
                {(kind) => (
                  <li>
                    <a href={`#section-${kind}`}>
                      {queueSectionLabels[kind]} : <strong>{p().counts[kind]}</strong>
                    </a>
                  </li>
                )}
              </For>
            </ul>
            <For each={QueueKinds.literals}>
              {(kind) => (
                <section aria-labelledby={`section-${kind}`} class="queue-section">
                  <h2 id={`section-${kind}`} tabindex="-1">{queueSectionLabels[kind]} ({p().counts[kind]})</h2>
                  <Show when={items().some((i) => i.kind === kind)} fallback={
                    <p class="empty">
                      {p().counts[kind] === 0 ? "Rien en attente." : "Affichez la suite de la file pour les voir."}
                    </p>
                  }>
                    <ol class="queue">
                      <For each={items().filter((i) => i.kind === kind)}>
                        {(item) => (
                          <li>
                            <QueueItemCard item={item} me={props.me} open={open()} setOpen={setOpen} onDone={done} />
                          </li>
                        )}
                      </For>
                    </ol>
                  </Show>
                </section>
              )}
            </For>
            <Show when={Option.getOrUndefined(p().nextOffset)}>
              {(next) => (
                <button type="button" class="secondary" disabled={loading()} onClick={() => void load(next())}>
                  {loading() ? "Chargement…" : "Afficher la suite de la file"}
                </button>
              )}
            </Show>
          </>
        )}
      </Show>
    </section>
  )
}

const waitingLabel: Record<QueueItemKind, string> = {
  held: "Retenue depuis",
  unreviewed: "Publiée depuis",
  flagged: "Signalée depuis",
  appeal: "Contestée depuis"
}

/** One item of the queue, with the author's record and the actions that fit it. */
export const QueueItemCard = (props: {
  readonly item: ModerationQueueItem
  readonly me: Me
  readonly open: Open | undefined
  readonly setOpen: (open: Open | undefined) => void
  readonly onDone: (message: string) => void
}) => {
  const run = useRun()
  const key = () => itemKey(props.item)
  const m = () => props.item.alert
  const a = () => m().alert
  const opened = (action: Open["action"]) => props.open?.key === key() && props.open.action === action
  const openAction = (action: Open["action"]) => () => {
    props.setOpen({ key: key(), action })
    queueMicrotask(() =>
      document.querySelector<HTMLElement>(
        `[data-key="${key()}"] .action-form textarea, [data-key="${key()}"] .action-form input`
      )?.focus()
    )
  }
  const cancel = () => props.setOpen(undefined)
  const call = <A,>(f: (client: Vigie["Type"]) => Effect.Effect<A, unknown>): Promise<Outcome<A>> =>
    run(Effect.flatMap(Vigie, f))
  const hidden = () => Option.getOrUndefined(m().hidden)
  const communityId = () => Option.getOrUndefined(m().place.communityId)
  const where = () => Option.getOrElse(m().place.communityName, () => `toute la commune de ${m().place.communeName}`)
  const h = () => m().author

  const Button = (
    p: { readonly action: Open["action"]; readonly children: JSX.Element; readonly danger?: boolean }
  ) => (
    <button type="button" class={p.danger === true ? "secondary danger" : "secondary"} aria-expanded={opened(p.action)}
      onClick={openAction(p.action)}
    >
      {p.children}
    </button>
  )

  return (
    <article class="queue-item alert-card" classList={{ urgent: a().urgency === "urgent" }} data-key={key()}
      data-alert-id={a().id} data-kind={props.item.kind} aria-labelledby={`title-${key()}`}
    >
      <h3 id={`title-${key()}`}>{categoryLabels[a().category]} — {where()}</h3>
      <p class="meta">
        <span class="badge waiting">{waitingLabel[props.item.kind]} {formatWaiting(props.item.waitingSeconds)}</span>
        <span>posté le {formatDateTime(a().createdAt)}</span>
        <span>· {a().origin === "sms" ? "par SMS" : a().origin === "web" ? "sur le site" : a().origin}</span>
      </p>
      <HighlightedText text={a().text} spans={m().flaggedSpans} />
      <Show when={m().flaggedSpans.length > 0}>
        <ul class="small" aria-label="Passages signalés">
          <For each={m().flaggedSpans}>{(s) => <li>« {s.excerpt} » : {kindLabels[s.kind]}</li>}</For>
        </ul>
      </Show>
      <Show when={m().holdReasons.length > 0}>
        <p class="hold-reasons">
          <strong>Retenue :</strong> {m().holdReasons.map((r) => holdReasonLabels[r]).join(" ; ")}
        </p>
      </Show>
      <dl class="summary author-history">
        <dt>Auteur</dt>
        <dd>
          {personName(h().author)}
          <Show when={h().accountStatus !== "active"}>
            {" "}({h().accountStatus === "suspended" ? "compte suspendu" : "compte supprimé"})
          </Show>
        </dd>
        <dt>Compte</dt>
        <dd>
          {h().accountAgeDays === 0
            ? "créé aujourd'hui"
            : `créé il y a ${h().accountAgeDays} jour${h().accountAgeDays > 1 ? "s" : ""}`}
        </dd>
        <dt>Historique</dt>
        <dd>
          {h().alertsPosted} alerte{h().alertsPosted > 1 ? "s" : ""} · {h().alertsHeld}{" "}
          retenue{h().alertsHeld > 1 ? "s" : ""} · {h().alertsHidden} masquée{h().alertsHidden > 1 ? "s" : ""}
        </dd>
        <dt>Sanctions</dt>
        <dd>
          {h().warnings} avertissement{h().warnings > 1 ? "s" : ""} · {h().suspensions}{" "}
          suspension{h().suspensions > 1 ? "s" : ""}
        </dd>
        <dt>Quartier</dt>
        <dd>{where()}</dd>
      </dl>
      <Show when={hidden()}>
        {(hi) => (
          <p class="notice">
            <strong>Masquée</strong> par {personName(hi().by)} ({roleLabels[hi().byRole]}) le {formatDateTime(hi().at)}
            {" "}
            : {reasonLabel(hi().reason)}
            <Show when={Option.getOrUndefined(hi().details)}>{(d) => <>{" "}— « {d()} »</>}</Show>
            <Show when={hi().pendingReview}>
              . <strong>En attente de votre décision.</strong>
            </Show>
          </p>
        )}
      </Show>
      <Show when={props.item.flags.length > 0}>
        <h4>Signalements ({props.item.flags.length})</h4>
        <ul class="flags">
          <For each={props.item.flags}>
            {(f) => (
              <li>
                <strong>{reasonLabel(f.reason)}</strong>
                <Show when={Option.getOrUndefined(f.text)}>{(t) => <>{" "}— « {t()} »</>}</Show>
                <span class="small">
                  {" "}— {Option.match(f.flaggedBy, { onNone: () => "membre", onSome: personName })},{" "}
                  {formatDateTime(f.createdAt)}, {flagStatusLabels[f.status]}
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={Option.getOrUndefined(props.item.appeal)}>
        {(ap) => (
          <div class="appeal">
            <h4>Contestation de l'auteur</h4>
            <blockquote>« {ap().text} »</blockquote>
            <p class="small">
              Faite le {formatDateTime(ap().createdAt)}
              <Show when={Option.getOrUndefined(ap().hiddenBy)}>
                {(by) => <>{" "}· alerte masquée par {personName(by())}</>}
              </Show>
            </p>
          </div>
        )}
      </Show>

      <Show when={props.item.actionable}
        fallback={
          <p class="notice">Vous avez masqué cette alerte : un autre modérateur doit trancher la contestation.</p>
        }
      >
        <div class="row actions" role="group" aria-label="Actions">
          <Switch>
            <Match when={props.item.kind === "appeal"}>
              <Button action="decide">Trancher la contestation</Button>
            </Match>
            <Match when={a().status === "held_for_review"}>
              <Button action="approve">Approuver et envoyer</Button>
              <Button action="hide" danger>Masquer</Button>
            </Match>
            <Match when={hidden()?.pendingReview === true}>
              <Button action="confirm">Confirmer le masquage</Button>
              <Button action="restore">Rétablir</Button>
            </Match>
            <Match when={hidden() !== undefined}>
              <Button action="restore">Rétablir</Button>
            </Match>
            <Match when={props.item.kind === "flagged"}>
              <Button action="dismiss">Classer les signalements</Button>
              <Button action="hide" danger>Masquer</Button>
            </Match>
            <Match when={true}>
              <Button action="review">Marquer comme relue</Button>
              <Button action="hide" danger>Masquer</Button>
            </Match>
          </Switch>
        </div>
        <details class="author-actions">
          <summary>Agir sur le compte de {personName(h().author)}</summary>
          <div class="row">
            <Button action="warn">Avertir l'auteur</Button>
            <Button action="suspend" danger>Suspendre le compte</Button>
            <Show when={communityId()}>
              <Button action="ban" danger>Exclure du quartier</Button>
            </Show>
          </div>
        </details>
      </Show>

      <Switch>
        <Match when={opened("approve")}>
          <NoteConfirm title="Approuver l'alerte"
            question="Publier cette alerte ? Elle part aussitôt aux voisins, par SMS et par e-mail."
            confirm="Oui, approuver et envoyer" done="Alerte approuvée : elle part aux voisins." onCancel={cancel}
            onDone={props.onDone} send={(note) => call((c) => c.ApproveAlert({ alertId: a().id, note }))} />
        </Match>
        <Match when={opened("review")}>
          <NoteConfirm title="Marquer comme relue"
            question="Cette alerte est correcte : elle quitte la file, rien n'est envoyé."
            confirm="Oui, marquer comme relue" done="Alerte marquée comme relue." onCancel={cancel}
            onDone={props.onDone} send={(note) => call((c) => c.MarkAlertReviewed({ alertId: a().id, note }))} />
        </Match>
        <Match when={opened("hide")}>
          <ReasonForm title="Masquer l'alerte" legend="Motif du masquage"
            intro="Les voisins ne la verront plus. L'auteur est informé du motif. Rien n'est effacé."
            confirm="Masquer l'alerte" done="Alerte masquée. L'auteur est informé du motif." onCancel={cancel}
            onDone={props.onDone}
            send={(reason, details) => call((c) => c.HideAlert({ alertId: a().id, reason, details }))} />
        </Match>
        <Match when={opened("restore")}>
          <NoteConfirm title="Rétablir l'alerte"
            question="Publier de nouveau cette alerte ? Si elle n'est jamais partie, elle est envoyée aux voisins maintenant."
            confirm="Oui, rétablir" done="Alerte rétablie." onCancel={cancel} onDone={props.onDone}
            send={(note) => call((c) => c.RestoreAlert({ alertId: a().id, note }))} />
        </Match>
        <Match when={opened("confirm")}>
          <NoteConfirm title="Confirmer le masquage"
            question="Le référent a masqué cette alerte. Confirmer ce masquage avec son motif ?"
            confirm="Oui, confirmer" done="Masquage confirmé." onCancel={cancel} onDone={props.onDone}
            send={(note) => call((c) => c.ConfirmPendingHide({ alertId: a().id, note }))} />
        </Match>
        <Match when={opened("dismiss")}>
          <NoteConfirm title="Classer les signalements"
            question="Rien à reprocher à cette alerte : elle reste telle quelle et les signalements sont classés."
            confirm="Oui, classer" done="Signalements classés." onCancel={cancel} onDone={props.onDone}
            send={(note) => call((c) => c.DismissFlags({ alertId: a().id, note }))} />
        </Match>
        <Match when={opened("decide") ? Option.getOrUndefined(props.item.appeal) : undefined}>
          {(ap) => (
            <DecideForm title="Trancher la contestation" onCancel={cancel} onDone={props.onDone}
              send={(decision, reason) => call((c) => c.DecideAppeal({ appealId: ap().id, decision, reason }))} />
          )}
        </Match>
        <Match when={opened("warn")}>
          <ReasonForm title="Avertir l'auteur" legend="Motif de l'avertissement"
            intro={`${
              personName(h().author)
            } recevra un message avec ce motif (par SMS, ou par e-mail sans téléphone vérifié).`}
            confirm="Envoyer l'avertissement" done="Avertissement envoyé." onCancel={cancel} onDone={props.onDone}
            send={(reason, details) =>
              call((c) =>
                c.WarnAuthor({ accountId: h().author.accountId, alertId: Option.some(a().id), reason, details })
              )} />
        </Match>
        <Match when={opened("suspend")}>
          <NoteConfirm title="Suspendre le compte" danger noteRequired
            question={`Suspendre le compte de ${
              personName(h().author)
            } ? Cette personne ne pourra plus publier ni recevoir d'alertes.`} confirm="Oui, suspendre"
            done="Compte suspendu." onCancel={cancel} onDone={props.onDone} send={(note) =>
            call((c) =>
              c.SuspendAccount({ accountId: h().author.accountId, note: Option.getOrElse(note, () => "") })
            )} />
        </Match>
        <Match when={opened("ban") ? communityId() : undefined}>
          {(cid) => (
            <NoteConfirm title="Exclure du quartier" danger noteRequired
              question={`Exclure ${
                personName(h().author)
              } du quartier ${where()} ? Cette personne n'y lira, n'y publiera et n'y recevra plus rien.`}
              confirm="Oui, exclure" done="Exclusion enregistrée." onCancel={cancel} onDone={props.onDone}
              send={(note) =>
                call((c) =>
                  c.BanFromCommunity({ accountId: h().author.accountId, communityId: cid(),
                    note: Option.getOrElse(note, () => "") })
                )} />
          )}
        </Match>
      </Switch>
    </article>
  )
}

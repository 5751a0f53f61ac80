import { categoryLabels, originLabels } from "@vigie/domain/alerts/AlertLabels"
import type { CommuneStatistics } from "@vigie/domain/mairie/CommuneStatistic"
import { A } from "@solidjs/router"
import { Effect, Fiber, Schedule, Stream } from "effect"
import { For, Show, createSignal, onCleanup, onMount } from "solid-js"
import { FormError } from "../../components/Field.js"
import { formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun, useRuntime } from "../../lib/runtime.js"
import { CommunitiesMap } from "./CommunitiesMap.js"
import { PoliceContactForm } from "./PoliceContactForm.js"
import { VeilleCountsPanel } from "./VeilleCountsPanel.js"
import { type CommuneStaff, sideLabels } from "./Staff.js"
import { TownAlertComposer } from "./TownAlertComposer.js"

type Progress = CommuneStatistics["townAlerts"][number]

const total = (t: Progress) => t.queued + t.sent + t.delivered + t.failed + t.dead + t.withheld

/** Saves a text file the way a browser does (no-op where there is no URL.createObjectURL, as in jsdom). */
const download = (filename: string, text: string) => {
  if (typeof URL.createObjectURL !== "function") return
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }))
  const a = document.createElement("a")
  a.href = url
  a.download = filename
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** One town alert's deliveries: a bar and the counts by state. */
const DeliveryProgress = (props: { readonly t: Progress }) => {
  const done = () => total(props.t) - props.t.queued
  return (
    <li class="town-alert" data-alert-id={props.t.alertId} data-finished={props.t.queued === 0 ? "yes" : "no"}>
      <p class="meta">
        <strong>{categoryLabels[props.t.category]}</strong> · {formatDateTime(props.t.createdAt)} ·{" "}
        {originLabels[props.t.origin]}
      </p>
      <progress max={Math.max(total(props.t), 1)} value={total(props.t) === 0 ? 1 : done()}
        aria-label={`Envoi : ${done()} sur ${total(props.t)} messages traités`} />
      <p class="counts">
        <span>En attente : {props.t.queued}</span>
        <span>Envoyés : {props.t.sent}</span>
        <span>Distribués : {props.t.delivered}</span>
        <span>Échecs : {props.t.failed}</span>
        <span>Abandonnés : {props.t.dead}</span>
        <Show when={props.t.withheld > 0}>
          <span>Retenus par la modération : {props.t.withheld}</span>
        </Show>
        <Show when={props.t.queued === 0}>
          <span class="badge ok">Envoi terminé</span>
        </Show>
      </p>
    </li>
  )
}

/**
 * The mairie's (and the municipal police's) dashboard: the commune's live figures (alerts per
 * community and category over 24 h, 7 days, 30 days; members; town alerts and their deliveries),
 * a CSV export, a map of the quartiers with their figures, and the town-alert composer.
 */
export const MairieDashboard = (props: { readonly staff: CommuneStaff }) => {
  const run = useRun()
  const runtime = useRuntime()
  const [stats, setStats] = createSignal<CommuneStatistics>()
  const [error, setError] = createSignal<string>()
  const [live, setLive] = createSignal<"connecting" | "on" | "retrying">("connecting")
  const [exporting, setExporting] = createSignal(false)
  const [exportError, setExportError] = createSignal<string>()

  onMount(() => {
    const fiber = runtime.runFork(
      Effect.flatMap(Vigie, (client) =>
        client.WatchCommuneStatistics({ insee: props.staff.insee }).pipe(
          Stream.runForEach((s) =>
            Effect.sync(() => {
              setStats(s)
              setError(undefined)
              setLive("on")
            })
          )
        )).pipe(
          Effect.tapErrorCause(() => Effect.sync(() => setLive("retrying"))),
          Effect.retry(Schedule.exponential("2 seconds").pipe(Schedule.union(Schedule.spaced("30 seconds")))),
          Effect.forever
        )
    )
    void run(Effect.flatMap(Vigie, (client) => client.GetCommuneStatistics({ insee: props.staff.insee }))).then((o) => {
      if (o.ok) setStats((old) => old ?? o.value)
      else setError(o.failure.message)
    })
    onCleanup(() => void runtime.runPromise(Fiber.interrupt(fiber)))
  })

  const exportCsv = async () => {
    setExporting(true)
    setExportError(undefined)
    const o = await run(Effect.flatMap(Vigie, (client) => client.ExportCommuneStatistics({ insee: props.staff.insee })))
    setExporting(false)
    if (o.ok) download(o.value.filename, o.value.csv)
    else setExportError(o.failure.message)
  }

  return (
    <div class="wide dashboard">
      <div class="feed-head">
        <h1>{sideLabels[props.staff.side]} — tableau de bord</h1>
        <p class="live" data-live={live()}>
          <span class="dot" aria-hidden="true" />
          {live() === "on" ? "En direct" : live() === "retrying" ? "Reconnexion…" : "Connexion…"}
        </p>
      </div>
      <Show when={error()}>
        <p class="form-error" role="alert">{error()}</p>
      </Show>
      <div class="columns">
        <div>
          <TownAlertComposer insee={props.staff.insee} communities={stats()?.communities ?? []} />
          <Show when={props.staff.side === "mairie"}>
            <PoliceContactForm insee={props.staff.insee} />
            <VeilleCountsPanel insee={props.staff.insee} />
          </Show>
        </div>
        <div>
          <section class="panel" aria-labelledby="progress-title">
            <h2 id="progress-title">Annonces et envois (30 jours)</h2>
            <Show when={stats()} fallback={<p aria-busy="true">Chargement…</p>}>
              {(s) => (
                <Show when={s().townAlerts.length > 0}
                  fallback={<p class="empty">Aucune annonce ces 30 derniers jours.</p>}
                >
                  <ol class="town-alerts" aria-label="Annonces de la commune">
                    <For each={s().townAlerts}>{(t) => <DeliveryProgress t={t} />}</For>
                  </ol>
                </Show>
              )}
            </Show>
          </section>
          <section class="panel" aria-labelledby="stats-title">
            <h2 id="stats-title">Activité de la commune</h2>
            <Show when={stats()} fallback={<p aria-busy="true">Chargement des chiffres…</p>}>
              {(s) => (
                <>
                  <p class="small">Chiffres au {formatDateTime(s().generatedAt)}.</p>
                  <div class="table-scroll" tabindex="0" role="region" aria-label="Quartiers">
                    <table>
                      <caption>Quartiers : membres et alertes</caption>
                      <thead>
                        <tr>
                          <th scope="col">Quartier</th>
                          <th scope="col">Vérifiés</th>
                          <th scope="col">En attente</th>
                          <th scope="col">24 h</th>
                          <th scope="col">7 j</th>
                          <th scope="col">30 j</th>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={s().communities}>
                          {(c) => (
                            <tr>
                              <th scope="row">{c.name}</th>
                              <td>{c.verifiedMembers}</td>
                              <td>{c.pendingMembers}</td>
                              <td>{c.alerts.last24h}</td>
                              <td>{c.alerts.last7d}</td>
                              <td>{c.alerts.last30d}</td>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                  </div>
                  <div class="table-scroll" tabindex="0" role="region" aria-label="Catégories">
                    <table>
                      <caption>Alertes par catégorie</caption>
                      <thead>
                        <tr>
                          <th scope="col">Catégorie</th>
                          <th scope="col">24 h</th>
                          <th scope="col">7 j</th>
                          <th scope="col">30 j</th>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={s().categories} fallback={
                          <tr>
                            <td colspan="4">Aucune alerte sur 30 jours.</td>
                          </tr>
                        }>
                          {(c) => (
                            <tr>
                              <th scope="row">{categoryLabels[c.category]}</th>
                              <td>{c.alerts.last24h}</td>
                              <td>{c.alerts.last7d}</td>
                              <td>{c.alerts.last30d}</td>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                  </div>
                </>
              )}
            </Show>
            <FormError message={exportError()} />
            <button type="button" class="secondary" disabled={exporting()} onClick={() => void exportCsv()}>
              {exporting() ? "Préparation…" : "Exporter les chiffres (CSV)"}
            </button>
          </section>
          <Show when={stats()}>{(s) => <CommunitiesMap insee={props.staff.insee} figures={s().communities} />}</Show>
          <Show when={props.staff.side === "mairie"}>
            <p>
              <A href="/mairie/gazette" class="button secondary">Publier une communication dans la Gazette</A>
            </p>
            <p>
              <A href="/mairie/quartiers" class="button secondary">Gérer les quartiers et leurs référents</A>
            </p>
            <p>
              <A href="/voisins-sans-internet" class="button secondary">Inscrire un voisin sans internet</A>
            </p>
          </Show>
        </div>
      </div>
    </div>
  )
}

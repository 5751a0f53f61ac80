import type { InseeCode } from "@vigie/domain/communities/Commune"
import type { Community } from "@vigie/domain/communities/Community"
import type { CommuneStatistics } from "@vigie/domain/mairie/CommuneStatistic"
import { Effect } from "effect"
import { For, Show, createResource, createSignal } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { CommunityMap } from "../registration/CommunityMap.js"

type Figures = CommuneStatistics["communities"][number]

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`

/** The short lines drawn on the map under a quartier's name. */
export const mapFigures = (
  f: Figures
): ReadonlyArray<string> => [plural(f.verifiedMembers, "membre", "membres"),
  `${plural(f.alerts.last30d, "alerte", "alertes")} / 30 j`]

/** The same figures in full, for the list beside the map. */
export const listFigures = (f: Figures): string =>
  `${plural(f.verifiedMembers, "membre vérifié", "membres vérifiés")}, ${f.pendingMembers} en attente ; ` +
  `alertes : ${f.alerts.last24h} sur 24 h, ${f.alerts.last7d} sur 7 jours, ${f.alerts.last30d} sur 30 jours`

/**
 * The commune's quartiers on the map (their perimeters, from ListCommunities) with each one's
 * members and alerts, and the same figures as a list of buttons: the list is the keyboard and
 * screen-reader path, choosing in either highlights the quartier in both.
 */
export const CommunitiesMap = (props: { readonly insee: InseeCode; readonly figures: ReadonlyArray<Figures> }) => {
  const run = useRun()
  const [selected, setSelected] = createSignal<string>()
  const [perimeters] = createResource(
    () => props.insee,
    (insee) => run(Effect.flatMap(Vigie, (client) => client.ListCommunities({ insee })))
  )
  const byId = () => new Map(props.figures.map((f) => [f.communityId as string, f]))
  const drawn = (): ReadonlyArray<Community> => {
    const o = perimeters()
    return o?.ok === true ? o.value.filter((c) => byId().has(c.id)) : []
  }
  const toggle = (id: string) => setSelected((s) => (s === id ? undefined : id))

  return (
    <section class="panel" aria-labelledby="map-title">
      <h2 id="map-title">Carte des quartiers</h2>
      <Show when={perimeters()?.ok === false}>
        <p class="form-error" role="alert">{(perimeters() as { failure: { message: string } }).failure.message}</p>
      </Show>
      <Show when={drawn().length > 0}>
        <CommunityMap communities={drawn()} selected={selected()} onSelect={toggle} figures={(c) => {
          const f = byId().get(c.id)
          return f === undefined ? [] : mapFigures(f)
        }} />
      </Show>
      <ul class="map-list" aria-label="Quartiers et leurs chiffres">
        <For each={props.figures}>
          {(f) => (
            <li>
              <button type="button" class="link" aria-pressed={selected() === f.communityId}
                onClick={() => toggle(f.communityId)}
              >
                {f.name}
              </button>
              <p class="small">{listFigures(f)}</p>
            </li>
          )}
        </For>
      </ul>
    </section>
  )
}

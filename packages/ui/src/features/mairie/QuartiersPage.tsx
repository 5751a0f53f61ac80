import { A } from "@solidjs/router"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import type { CommunityMember, ManagedCommunity, MapExtent, MemberOutside } from "@vigie/domain/mairie/QuartierRpcs"
import { Effect, Option } from "effect"
import { For, Match, Show, Switch, createResource, createSignal, onMount } from "solid-js"
import { FormError, TextField } from "../../components/Field.js"
import type { MapArea } from "../../components/QuartierMap.js"
import { QuartierMap } from "../../components/QuartierMap.js"
import type { Failure } from "../../lib/errors.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { ProposalsReview } from "../proposals/ProposalsReview.js"
import { PerimeterDrawer } from "./PerimeterDrawer.js"

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`

const membersLine = (m: ManagedCommunity) => plural(m.verifiedMembers, "membre vérifié", "membres vérifiés")
const referentsLine = (m: ManagedCommunity) =>
  m.referents.length === 0
    ? "Aucun référent"
    : `${m.referents.length > 1 ? "Référents" : "Référent"} : ${m.referents.map((r) => r.displayName).join(", ")}`

const areaOf = (m: ManagedCommunity, lines = true): MapArea => ({
  id: m.community.id,
  name: m.community.name,
  perimeter: m.community.perimeter,
  lines: lines ? [membersLine(m)] : undefined
})

type Mode =
  | { readonly kind: "list" }
  | { readonly kind: "create" }
  | { readonly kind: "rename" | "redraw" | "archive" | "referents"; readonly quartier: ManagedCommunity }

/** Moves the focus to an element once it is shown, so keyboard and screen-reader users land on it. */
const focusOnMount = (el: HTMLElement) => onMount(() => el.focus())

/**
 * The quartiers of a commune, managed by its mairie agents (and the platform's admins for any commune):
 * the active quartiers on the map and, beside it, as a list with their verified members and référents;
 * opening a quartier by drawing its perimeter, renaming, redrawing (the members who would fall outside
 * listed before confirming), archiving (its members are told by e-mail), and the référents.
 */
export const QuartiersPage = (props: {
  readonly insee: InseeCode
  /** Where "Retour" leads: the mairie's dashboard by default. */
  readonly backHref?: string | undefined
}) => {
  const run = useRun()
  const [mode, setMode] = createSignal<Mode>({ kind: "list" })
  const [done, setDone] = createSignal<string>()
  const [selected, setSelected] = createSignal<string>()
  const [quartiers, { refetch }] = createResource(
    () => props.insee,
    (insee) => run(Effect.flatMap(Vigie, (client) => client.ListManagedCommunities({ insee })))
  )
  // The commune's name for the title and, while it has no quartier, where the drawing map starts.
  const [commune] = createResource(
    () => props.insee,
    (insee) => run(Effect.flatMap(Vigie, (client) => client.GetManagedCommune({ insee })))
  )
  const communeName = () => {
    const o = commune()
    return o?.ok === true ? o.value.name : undefined
  }
  const start = (): MapExtent | undefined => {
    const o = commune()
    return o?.ok === true ? Option.getOrUndefined(o.value.startExtent) : undefined
  }
  const list = (): ReadonlyArray<ManagedCommunity> => {
    const o = quartiers.latest
    return o?.ok === true ? o.value : []
  }
  const others = (id?: string) => list().filter((m) => m.community.id !== id).map((m) => areaOf(m, false))
  const quartierIn = (kind: "rename" | "redraw" | "archive" | "referents") => {
    const m = mode()
    return m.kind === kind && "quartier" in m ? m.quartier : undefined
  }
  let title: HTMLHeadingElement | undefined
  // Back to the list, keyboard and screen-reader users start again from the page's title.
  const toList = () => {
    setMode({ kind: "list" })
    title?.focus()
  }
  const open = (next: Mode) => {
    setDone(undefined)
    if (next.kind === "list") toList()
    else setMode(next)
  }
  const finished = (message: string) => {
    toList()
    setDone(message)
    void refetch()
  }

  return (
    <div class="wide quartiers">
      <p>
        <A href={props.backHref ?? "/mairie"}>
          {props.backHref === "/" ? "Retour à l'accueil" : "Retour au tableau de bord"}
        </A>
      </p>
      <h1 tabindex="-1" ref={(el) => (title = el)}>
        Quartiers{communeName() === undefined ? "" : ` de ${communeName()}`}
      </h1>
      <p class="ok-note" role="status" aria-live="polite" hidden={done() === undefined}>{done()}</p>
      <Show when={quartiers()?.ok === false}>
        <p class="form-error" role="alert">{(quartiers() as { failure: Failure }).failure.message}</p>
      </Show>
      <Switch>
        <Match when={mode().kind === "list"}>
          <div class="columns">
            <section class="panel" aria-labelledby="quartiers-map-title">
              <h2 id="quartiers-map-title">Carte des quartiers</h2>
              <Show when={list().length > 0}>
                <QuartierMap label={`Plan des quartiers : ${list().map((m) => m.community.name).join(", ")}`}
                  areas={list().map((m) => areaOf(m))} selected={selected()}
                  onSelect={(id) => setSelected((s) => (s === id ? undefined : id))} />
              </Show>
              <button type="button" onClick={() => open({ kind: "create" })}>Ouvrir un quartier</button>
            </section>
            <section class="panel" aria-labelledby="quartiers-list-title">
              <h2 id="quartiers-list-title">Quartiers ouverts</h2>
              <Show when={!quartiers.loading || quartiers.latest !== undefined}
                fallback={<p aria-busy="true">Chargement…</p>}
              >
                <Show when={list().length > 0}
                  fallback={<p class="empty">Aucun quartier n'est encore ouvert dans la commune.</p>}
                >
                  <ul class="map-list quartier-list" aria-label="Quartiers de la commune">
                    <For each={list()}>
                      {(m) => (
                        <li>
                          <button type="button" class="link" aria-pressed={selected() === m.community.id}
                            onClick={() => setSelected((s) => (s === m.community.id ? undefined : m.community.id))}
                          >
                            {m.community.name}
                          </button>
                          <p class="small">{membersLine(m)} ; {referentsLine(m)}</p>
                          <div class="row-actions">
                            <button type="button" class="secondary" aria-label={`Renommer ${m.community.name}`}
                              onClick={() => open({ kind: "rename", quartier: m })}
                            >
                              Renommer
                            </button>
                            <button type="button" class="secondary" aria-label={`Redessiner ${m.community.name}`}
                              onClick={() => open({ kind: "redraw", quartier: m })}
                            >
                              Redessiner
                            </button>
                            <button type="button" class="secondary" aria-label={`Référents de ${m.community.name}`}
                              onClick={() => open({ kind: "referents", quartier: m })}
                            >
                              Référents
                            </button>
                            <button type="button" class="secondary danger" aria-label={`Archiver ${m.community.name}`}
                              onClick={() => open({ kind: "archive", quartier: m })}
                            >
                              Archiver
                            </button>
                          </div>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </Show>
            </section>
          </div>
          <ProposalsReview insee={props.insee} others={list().map((m) => areaOf(m, false))}
            onOpened={() => void refetch()} />
        </Match>
        <Match when={mode().kind === "create"}>
          <CreateQuartier insee={props.insee} others={others()} start={start()} onCancel={() => open({ kind: "list" })}
            onDone={(name) => finished(`Le quartier « ${name} » est ouvert.`)} />
        </Match>
        <Match when={quartierIn("rename")}>
          {(q) => (
            <RenameQuartier quartier={q()} onCancel={() => open({ kind: "list" })}
              onDone={(name) => finished(`Le quartier s'appelle désormais « ${name} ».`)} />
          )}
        </Match>
        <Match when={quartierIn("redraw")}>
          {(q) => (
            <RedrawQuartier quartier={q()} others={others(q().community.id)} onCancel={() => open({ kind: "list" })}
              onDone={() => finished(`Le périmètre de « ${q().community.name} » est redessiné.`)} />
          )}
        </Match>
        <Match when={quartierIn("archive")}>
          {(q) => (
            <ArchiveQuartier quartier={q()} onCancel={() => open({ kind: "list" })}
              onDone={() => finished(`Le quartier « ${q().community.name} » est archivé.`)} />
          )}
        </Match>
        <Match when={quartierIn("referents")}>
          {(q) => (
            <Referents quartier={q()} onBack={() => {
              open({ kind: "list" })
              void refetch()
            }} />
          )}
        </Match>
      </Switch>
    </div>
  )
}

/** Opening a quartier: its name and its drawn perimeter. */
const CreateQuartier = (props: {
  readonly insee: InseeCode
  readonly others: ReadonlyArray<MapArea>
  readonly start: MapExtent | undefined
  readonly onCancel: () => void
  readonly onDone: (name: string) => void
}) => {
  const run = useRun()
  const [name, setName] = createSignal("")
  const [perimeter, setPerimeter] = createSignal<Polygon>()
  const [errors, setErrors] = createSignal<{ name?: string; perimeter?: string; form?: string }>({})
  const [busy, setBusy] = createSignal(false)

  const submit = async (e: SubmitEvent) => {
    e.preventDefault()
    const checked = {
      ...(name().trim() === "" ? { name: "Donnez un nom au quartier, par exemple « Le Bourg »." } : {}),
      ...(perimeter() === undefined ? { perimeter: "Dessinez le périmètre : au moins 3 points." } : {})
    }
    setErrors(checked)
    if (Object.keys(checked).length > 0) {
      document.getElementById(checked.name !== undefined ? "quartier-name" : "perimeter")?.focus()
      return
    }
    setBusy(true)
    const o = await run(
      Effect.flatMap(
        Vigie,
        (client) => client.CreateCommunity({ insee: props.insee, name: name().trim(), perimeter: perimeter()! })
      )
    )
    setBusy(false)
    if (o.ok) props.onDone(o.value.name)
    else setErrors({ [fieldOf(o.failure)]: o.failure.message })
  }

  return (
    <section class="panel" aria-labelledby="create-title">
      <h2 id="create-title" tabindex="-1" ref={focusOnMount}>Ouvrir un quartier</h2>
      <form onSubmit={(e) => void submit(e)} novalidate aria-label="Ouvrir un quartier">
        <TextField id="quartier-name" label="Nom du quartier" value={name()} maxLength={120} onValue={(v) => setName(v)}
          error={errors().name} />
        <PerimeterDrawer id="perimeter" legend="Périmètre du quartier" areas={props.others} start={props.start}
          onChange={(p) => setPerimeter(p)} error={errors().perimeter} />
        <FormError message={errors().form} />
        <div class="form-actions">
          <button type="submit" disabled={busy()}>{busy() ? "Ouverture…" : "Ouvrir le quartier"}</button>
          <button type="button" class="secondary" onClick={() => props.onCancel()}>Annuler</button>
        </div>
      </form>
    </section>
  )
}

/** Where a failure is shown: next to the name, the perimeter, or above the buttons. */
const fieldOf = (failure: Failure): "name" | "perimeter" | "form" =>
  failure.field === "name" || failure.field === "perimeter" ? failure.field : "form"

const RenameQuartier = (props: {
  readonly quartier: ManagedCommunity
  readonly onCancel: () => void
  readonly onDone: (name: string) => void
}) => {
  const run = useRun()
  const [name, setName] = createSignal(props.quartier.community.name)
  const [errors, setErrors] = createSignal<{ name?: string; form?: string }>({})
  const [busy, setBusy] = createSignal(false)
  const submit = async (e: SubmitEvent) => {
    e.preventDefault()
    if (name().trim() === "") {
      setErrors({ name: "Donnez un nom au quartier." })
      return
    }
    setBusy(true)
    const o = await run(
      Effect.flatMap(
        Vigie,
        (client) => client.RenameCommunity({ communityId: props.quartier.community.id, name: name().trim() })
      )
    )
    setBusy(false)
    if (o.ok) props.onDone(o.value.name)
    else setErrors(o.failure.field === "name" ? { name: o.failure.message } : { form: o.failure.message })
  }
  return (
    <section class="panel" aria-labelledby="rename-title">
      <h2 id="rename-title" tabindex="-1" ref={focusOnMount}>Renommer « {props.quartier.community.name} »</h2>
      <form onSubmit={(e) => void submit(e)} novalidate aria-label="Renommer le quartier">
        <TextField id="quartier-name" label="Nouveau nom" value={name()} maxLength={120} onValue={(v) => setName(v)}
          error={errors().name} />
        <FormError message={errors().form} />
        <div class="form-actions">
          <button type="submit" disabled={busy()}>Renommer</button>
          <button type="button" class="secondary" onClick={() => props.onCancel()}>Annuler</button>
        </div>
      </form>
    </section>
  )
}

/**
 * Redrawing: the new perimeter is drawn, "Vérifier" lists the members who would fall outside it (by
 * name and street) and only then can it be confirmed, with exactly those members acknowledged. Any
 * change to the drawing drops the check.
 */
const RedrawQuartier = (props: {
  readonly quartier: ManagedCommunity
  readonly others: ReadonlyArray<MapArea>
  readonly onCancel: () => void
  readonly onDone: () => void
}) => {
  const run = useRun()
  const [perimeter, setPerimeter] = createSignal<Polygon | undefined>(props.quartier.community.perimeter)
  const [preview, setPreview] = createSignal<
    { readonly perimeter: Polygon; readonly outside: ReadonlyArray<MemberOutside> }
  >()
  const [errors, setErrors] = createSignal<{ perimeter?: string; form?: string }>({})
  const [busy, setBusy] = createSignal(false)
  const communityId = props.quartier.community.id

  const check = async () => {
    const drawn = perimeter()
    setPreview(undefined)
    if (drawn === undefined) {
      setErrors({ perimeter: "Dessinez le nouveau périmètre : au moins 3 points." })
      return
    }
    setErrors({})
    setBusy(true)
    const o = await run(Effect.flatMap(Vigie, (client) => client.PreviewRedraw({ communityId, perimeter: drawn })))
    setBusy(false)
    if (o.ok) setPreview({ perimeter: drawn, outside: o.value.outside })
    else setErrors(o.failure.field === "perimeter" ? { perimeter: o.failure.message } : { form: o.failure.message })
  }
  const confirm = async () => {
    const checked = preview()
    if (checked === undefined) return
    setBusy(true)
    const o = await run(Effect.flatMap(Vigie, (client) =>
      client.RedrawCommunity({
        communityId,
        perimeter: checked.perimeter,
        acknowledged: checked.outside.map((m) => m.membershipId)
      })))
    setBusy(false)
    if (o.ok) props.onDone()
    else {
      setPreview(undefined)
      setErrors(o.failure.field === "perimeter" ? { perimeter: o.failure.message } : { form: o.failure.message })
    }
  }

  return (
    <section class="panel" aria-labelledby="redraw-title">
      <h2 id="redraw-title" tabindex="-1" ref={focusOnMount}>Redessiner « {props.quartier.community.name} »</h2>
      <PerimeterDrawer id="perimeter" legend="Nouveau périmètre" areas={props.others}
        initial={props.quartier.community.perimeter} error={errors().perimeter} onChange={(p) => {
        setPerimeter(p)
        setPreview(undefined)
      }} />
      <FormError message={errors().form} />
      <div class="form-actions">
        <button type="button" disabled={busy()} onClick={() => void check()}>Vérifier</button>
        <button type="button" class="secondary" onClick={() => props.onCancel()}>Annuler</button>
      </div>
      <div aria-live="polite">
        <Show when={preview()}>
          {(p) => (
            <div class="preview">
              <Show when={p().outside.length > 0}
                fallback={<p class="ok-note">Aucun membre ne se trouve hors du nouveau périmètre.</p>}
              >
                <p>
                  <strong>
                    {p().outside.length > 1
                      ? `${p().outside.length} membres habitent hors du nouveau périmètre`
                      : "1 membre habite hors du nouveau périmètre"}
                  </strong>{" "}
                  : en confirmant, {p().outside.length > 1 ? "ils quittent" : "il quitte"} le quartier et{" "}
                  {p().outside.length > 1 ? "sont prévenus" : "est prévenu"} par e-mail.
                </p>
                <ul class="plain outside-members" aria-label="Membres hors du nouveau périmètre">
                  <For each={p().outside}>{(m) => <li>{m.displayName} — {m.street}</li>}</For>
                </ul>
              </Show>
              <button type="button" disabled={busy()} onClick={() => void confirm()}>
                Confirmer le nouveau périmètre
              </button>
            </div>
          )}
        </Show>
      </div>
    </section>
  )
}

/** Archiving, after a confirmation that says the members will be told by e-mail. */
const ArchiveQuartier = (props: {
  readonly quartier: ManagedCommunity
  readonly onCancel: () => void
  readonly onDone: () => void
}) => {
  const run = useRun()
  const [error, setError] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const archive = async () => {
    setBusy(true)
    const o = await run(
      Effect.flatMap(Vigie, (client) => client.ArchiveCommunity({ communityId: props.quartier.community.id }))
    )
    setBusy(false)
    if (o.ok) props.onDone()
    else setError(o.failure.message)
  }
  return (
    <section class="panel confirm" role="alertdialog" aria-labelledby="archive-title" aria-describedby="archive-what">
      <h2 id="archive-title" tabindex="-1" ref={focusOnMount}>Archiver « {props.quartier.community.name} » ?</h2>
      <p id="archive-what">
        Le quartier ne recevra plus d'alertes et disparaîtra de la carte. {props.quartier.verifiedMembers === 0
          ? "Il n'a aucun membre vérifié ; ceux en attente de vérification seront prévenus par e-mail."
          : `Tous ses membres seront prévenus par e-mail : ${
            plural(props.quartier.verifiedMembers, "membre vérifié", "membres vérifiés")
          } et ceux en attente de vérification.`} Ce choix est définitif.
      </p>
      <FormError message={error()} />
      <div class="form-actions">
        <button type="button" class="primary danger" disabled={busy()} onClick={() =>
          void archive()}
        >
          Archiver le quartier
        </button>
        <button type="button" class="secondary" onClick={() => props.onCancel()}>Annuler</button>
      </div>
    </section>
  )
}

const statusLabel = (m: CommunityMember) =>
  m.role === "referent" ? "référent" : m.verified ? "membre vérifié" : "en attente de vérification"

/** The quartier's members, to appoint référents among the verified ones and to remove them. */
const Referents = (props: { readonly quartier: ManagedCommunity; readonly onBack: () => void }) => {
  const run = useRun()
  const communityId = props.quartier.community.id
  const [error, setError] = createSignal<string>()
  const [note, setNote] = createSignal<string>()
  const [members, { refetch }] = createResource(() =>
    run(Effect.flatMap(Vigie, (client) => client.ListCommunityMembers({ communityId })))
  )
  const change = async (m: CommunityMember, appoint: boolean) => {
    setError(undefined)
    setNote(undefined)
    const o = await run(Effect.flatMap(Vigie, (client) =>
      appoint
        ? client.AppointReferent({ communityId, membershipId: m.membershipId })
        : client.RemoveReferent({ communityId, membershipId: m.membershipId })))
    if (o.ok) {
      setNote(appoint ? `${m.displayName} est référent du quartier.` : `${m.displayName} n'est plus référent.`)
      void refetch()
    } else setError(o.failure.message)
  }
  return (
    <section class="panel" aria-labelledby="referents-title">
      <h2 id="referents-title" tabindex="-1" ref={focusOnMount}>Référents de « {props.quartier.community.name} »</h2>
      <p class="hint">Seuls les membres vérifiés (adresse activée) peuvent être référents.</p>
      <p class="ok-note" role="status" aria-live="polite" hidden={note() === undefined}>{note()}</p>
      <FormError message={error()} />
      <Show when={members()} fallback={<p aria-busy="true">Chargement…</p>}>
        {(o) => (
          <Show when={o().ok} fallback={<FormError message={(o() as { failure: Failure }).failure.message} />}>
            <Show when={(o() as { value: ReadonlyArray<CommunityMember> }).value.length > 0}
              fallback={<p class="empty">Ce quartier n'a encore aucun membre.</p>}
            >
              <ul class="map-list" aria-label="Membres du quartier">
                <For each={(o() as { value: ReadonlyArray<CommunityMember> }).value}>
                  {(m) => (
                    <li>
                      <strong>{m.displayName}</strong> <span class="small">({statusLabel(m)})</span>
                      <div class="row-actions">
                        <Show when={m.role === "referent"}>
                          <button type="button" class="secondary" aria-label={`Retirer ${m.displayName} des référents`}
                            onClick={() => void change(m, false)}
                          >
                            Retirer le rôle de référent
                          </button>
                        </Show>
                        <Show when={m.role !== "referent" && m.verified}>
                          <button type="button" aria-label={`Nommer ${m.displayName} référent`}
                            onClick={() => void change(m, true)}
                          >
                            Nommer référent
                          </button>
                        </Show>
                      </div>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </Show>
        )}
      </Show>
      <button type="button" class="secondary" onClick={() => props.onBack()}>Retour à la liste des quartiers</button>
    </section>
  )
}

import { DateTime } from "effect"
import { button, type EmailBlock, type EmailText, escapeHtml, layout } from "../channels/EmailLayout.js"
import { preferencesLink, siteUrl } from "../channels/Links.js"
import { DIGEST_TIME_ZONE, type DigestCandidate, type DigestWindow } from "./GazetteDigest.js"
import type { GazettePostId } from "./GazettePost.js"
import type { GazetteTopic } from "./GazettePreferences.js"

/** The heading of each topic's section in the digest, in French. */
export const topicHeadings: Readonly<Record<GazetteTopic, string>> = {
  communication: "Communications de la mairie",
  perdu_trouve: "Perdu / trouvé",
  entraide: "Entraide",
  annonce: "Petites annonces",
  covoiturage: "Covoiturage",
  evenement: "Événements des deux prochaines semaines",
  vie_du_quartier: "Vie du quartier",
  compte_rendu: "Comptes-rendus"
}

/** Where a post is read on the site. */
export const gazettePostLink = (publicUrl: URL | string, postId: GazettePostId): string =>
  siteUrl(publicUrl, `/gazette/${postId}`)

const dayFormat = new Intl.DateTimeFormat("fr-FR", { timeZone: DIGEST_TIME_ZONE, day: "numeric", month: "long" })
const whenFormat = new Intl.DateTimeFormat("fr-FR", {
  timeZone: DIGEST_TIME_ZONE,
  weekday: "long",
  day: "numeric",
  month: "long",
  hour: "2-digit",
  minute: "2-digit"
})

/** "lundi 7 décembre à 18:30", in Paris time. */
export const eventTime = (at: DateTime.Utc): string => whenFormat.format(DateTime.toDateUtc(at))

/** Cuts a text after about `max` characters, at a word, with "…". */
export const excerptOf = (text: string, max = 200): string => {
  const flat = text.replace(/\s+/g, " ").trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max)
  const space = cut.lastIndexOf(" ")
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
}

const entry = (c: DigestCandidate, publicUrl: URL | string, manyQuartiers: boolean): EmailBlock => {
  const link = gazettePostLink(publicUrl, c.id)
  const where = [
    ...(c.startsAt !== null ? [eventTime(c.startsAt)] : []),
    ...(c.place !== null && c.place.length > 0 ? [c.place] : []),
    ...(manyQuartiers && c.quartier !== null ? [c.quartier] : [])
  ].join(" – ")
  const excerpt = excerptOf(c.excerpt)
  return {
    text: [`• ${c.title}`, ...(where.length > 0 ? [`  ${where}`] : []), ...(excerpt.length > 0 ? [`  ${excerpt}`] : []),
      `  ${link}`],
    html: [
      `<li style="margin-bottom:12px"><a href="${escapeHtml(link)}" style="font-size:18px">${escapeHtml(c.title)}</a>`,
      ...(where.length > 0 ? [`<br><strong>${escapeHtml(where)}</strong>`] : []),
      ...(excerpt.length > 0 ? [`<br>${escapeHtml(excerpt)}`] : []),
      "</li>"
    ]
  }
}

const section = (
  topic: GazetteTopic,
  posts: ReadonlyArray<DigestCandidate>,
  publicUrl: URL | string,
  many: boolean
): EmailBlock => {
  const entries = posts.map((p) => entry(p, publicUrl, many))
  return {
    text: [topicHeadings[topic].toUpperCase(), ...entries.flatMap((e) => e.text)],
    html: [
      `<h2 style="font-size:20px;margin-top:24px">${escapeHtml(topicHeadings[topic])}</h2>`,
      "<ul style=\"padding-left:20px\">",
      ...entries.flatMap((e) => e.html),
      "</ul>"
    ]
  }
}

/**
 * The Monday digest of one group of members (the same quartiers, the same topics), in French: one
 * section per topic in the order of `content` (the mairie's news first), each post with its title,
 * an event's date and place, the quartier when the group has several, an excerpt and its link. The
 * same e-mail goes to every member of the group, so it names nobody.
 */
export const digestEmail = (
  content: ReadonlyArray<DigestCandidate>,
  window: DigestWindow,
  communities: number,
  publicUrl: URL | string
): EmailText => {
  const sections: Array<EmailBlock> = []
  let i = 0
  while (i < content.length) {
    const topic = content[i]!.kind
    let j = i
    while (j < content.length && content[j]!.kind === topic) j++
    sections.push(section(topic, content.slice(i, j), publicUrl, communities > 1))
    i = j
  }
  const day = dayFormat.format(DateTime.toDateUtc(window.runAt))
  const count = content.length
  return layout({
    subject: `La Gazette de votre quartier – semaine du ${day}`,
    heading: "La Gazette de la semaine",
    blocks: [
      {
        text: [`${count} nouvelle${count > 1 ? "s" : ""} de votre quartier cette semaine.`],
        html: [`<p>${count} nouvelle${count > 1 ? "s" : ""} de votre quartier cette semaine.</p>`]
      },
      ...sections,
      button(siteUrl(publicUrl, "/gazette"), "Lire la Gazette", `Lire la Gazette : ${siteUrl(publicUrl, "/gazette")}`)
    ],
    footer: {
      note: "Vous recevez ce résumé chaque lundi pour les rubriques que vous avez choisies.",
      preferences: preferencesLink(publicUrl)
    }
  })
}

import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { type PublicCommunePage, PublicCommunes } from "@vigie/domain/administration/PublicCommunes"
import { categoryLabels } from "@vigie/domain/alerts/AlertLabels"
import { escapeHtml } from "@vigie/domain/channels/EmailLayout"
import { siteUrl } from "@vigie/domain/channels/Links"
import { categoryKeywords } from "@vigie/domain/sms/SmsKeywords"
import { Effect, Option } from "effect"

/** The public page of a commune: /commune/<INSEE code>. */
export const COMMUNE_PAGE_PATH = "/commune/:insee"

/** The French emergency numbers every page repeats: Vigie never replaces them. */
export const EMERGENCY_NUMBERS: ReadonlyArray<readonly [string, string]> = [
  ["17", "Police secours"],
  ["18", "Pompiers"],
  ["15", "SAMU (urgence médicale)"],
  ["112", "Numéro d'urgence européen"]
]

/** The inbound SMS commands, as a member types them (SmsKeywords). */
const SMS_COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ["STOP", "ne plus recevoir d'alertes par SMS"],
  ["START", "les recevoir de nouveau"],
  ["AIDE", "recevoir le mode d'emploi"]
]

/** A French number in E.164 as people read it ("+33757000000" → "07 57 00 00 00"); any other as it is. */
export const displayPhone = (phone: string): string => {
  const french = /^\+33([1-9])(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(phone.replace(/\s/g, ""))
  return french === null ? phone : `0${french.slice(1).join(" ")}`
}

/** The digits (and a leading +) of a written phone number, for a tel: link. */
const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, "")}`

/** The keywords that start an alert by SMS, grouped by the category each names, in their order. */
export const keywordGroups = (): ReadonlyArray<readonly [string, ReadonlyArray<string>]> => {
  const groups = new Map<string, Array<string>>()
  for (const [keyword, category] of categoryKeywords) {
    const label = categoryLabels[category]
    groups.set(label, [...(groups.get(label) ?? []), keyword])
  }
  return [...groups.entries()]
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fafafa;
font-size:1.125rem;line-height:1.5}
header,main,footer{max-width:42rem;margin:0 auto;padding:1rem}
header a{font-weight:700;font-size:1.25rem;color:#0b4f8a;text-decoration:none}
h1{font-size:1.75rem;margin:.5rem 0}h2{font-size:1.3rem;margin:1.5rem 0 .5rem}
section{background:#fff;border:1px solid #ddd;border-radius:8px;padding:.5rem 1rem;margin:1rem 0}
.status{font-weight:600}.vigilant{color:#0b6b2e}.urgent{background:#fff4e5;border-color:#e8a13a}
a{color:#0b4f8a}.button{display:inline-block;background:#0b4f8a;color:#fff;padding:.75rem 1.25rem;border-radius:6px;
text-decoration:none;font-weight:600;min-height:44px;box-sizing:border-box}
ul{padding-left:1.25rem}li{margin:.25rem 0}.figure{font-size:1.5rem;font-weight:700}
`

const document = (
  input: {
    readonly title: string
    readonly description: string
    readonly canonical?: string
    readonly index: boolean
    readonly body: string
  }
) =>
  `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<meta name="description" content="${escapeHtml(input.description)}">
${input.index ? "" : `<meta name="robots" content="noindex">\n`}${
    input.canonical === undefined ? "" : `<link rel="canonical" href="${escapeHtml(input.canonical)}">\n`
  }<style>${STYLE}</style>
</head>
<body>
<header><a href="/">Vigie</a></header>
<main>
${input.body}
</main>
<footer><p><a href="/confidentialite">Confidentialité</a></p></footer>
</body>
</html>
`

const emergencySection = `<section class="urgent" aria-labelledby="urgence">
<h2 id="urgence">En cas d'urgence</h2>
<p>Vigie ne remplace jamais les secours. Appelez :</p>
<ul>
${
  EMERGENCY_NUMBERS.map(([n, label]) => `<li><a href="tel:${n}"><strong>${n}</strong></a> : ${escapeHtml(label)}</li>`)
    .join("\n")
}
</ul>
</section>`

/**
 * The HTML of a commune's public page: its name, whether it is a Mairie Vigilante, its active
 * quartiers and verified members (counts only, never a name), how to join, the SMS number and
 * keywords, the police contact as the mairie entered it, and the emergency numbers. Every text is
 * escaped.
 */
export const renderCommunePage = (
  page: PublicCommunePage,
  options: { readonly publicUrl: URL; readonly smsNumber: Option.Option<string> }
): string => {
  const name = escapeHtml(page.commune.name)
  const insee = escapeHtml(page.commune.insee)
  const vigilant = Option.isSome(page.vigilant)
  const { quartiers, verifiedMembers } = page.figures
  const postcodes = page.commune.postcodes.map(escapeHtml).join(", ")
  const status = vigilant
    ? `<p class="status vigilant">${name} est une <strong>Mairie Vigilante</strong> : la mairie et la police ` +
      "municipale reçoivent les alertes que les voisins leur partagent et peuvent prévenir toute la commune.</p>"
    : `<p class="status">${name} n'est pas encore une Mairie Vigilante. Les voisins peuvent tout de même ` +
      "s'alerter entre eux là où un quartier est ouvert. Parlez-en à votre mairie.</p>"
  const figures = `<section aria-labelledby="chiffres">
<h2 id="chiffres">Vigie à ${name} en chiffres</h2>
<ul>
<li><span class="figure">${quartiers}</span> ${quartiers > 1 ? "quartiers ouverts" : "quartier ouvert"}</li>
<li><span class="figure">${verifiedMembers}</span> ${
    verifiedMembers > 1 ? "voisins vérifiés" : "voisin vérifié"
  } (adresse confirmée)</li>
</ul>
</section>`
  const join = `<section aria-labelledby="rejoindre">
<h2 id="rejoindre">Rejoindre Vigie</h2>
<p>Sur la page d'inscription, indiquez le code postal de votre domicile${
    postcodes === "" ? "" : ` (${postcodes})`
  }, choisissez votre commune puis votre quartier. Votre adresse est ensuite confirmée par un code reçu par courrier ` +
    `ou par un voisin référent.</p>
<p>${
      quartiers === 0
        ? "Aucun quartier n'est encore ouvert ici : inscrivez-vous pour être prévenu, ou parlez-en à votre mairie."
        : `${plural(quartiers, "quartier est ouvert", "quartiers sont ouverts")} à ${name}.`
    }</p>
<p><a class="button" href="/inscription">S'inscrire</a> <a href="/connexion">Se connecter</a></p>
</section>`
  const keywords = keywordGroups().map(([label, words]) =>
    `<li>${escapeHtml(label)} : ${words.map((w) => `<strong>${escapeHtml(w)}</strong>`).join(", ")}</li>`
  ).join("\n")
  const sms = `<section aria-labelledby="sms">
<h2 id="sms">Par SMS, sans internet</h2>
${
    Option.match(options.smsNumber, {
      onNone: () => "<p>Le numéro SMS de Vigie n'est pas encore ouvert sur ce site.</p>",
      onSome: (number) =>
        `<p>Numéro SMS de Vigie : <a href="${escapeHtml(telHref(number))}"><strong>${
          escapeHtml(displayPhone(number))
        }</strong></a></p>`
    })
  }
<p>Depuis le téléphone vérifié de votre compte, écrivez un mot-clé au début du message puis ce que vous voyez, par ` +
    `exemple « VOL vélo rue Pasteur ». Mots-clés :</p>
<ul>
${keywords}
</ul>
<p>Un message seul :</p>
<ul>
${SMS_COMMANDS.map(([w, what]) => `<li><strong>${w}</strong> : ${escapeHtml(what)}</li>`).join("\n")}
</ul>
</section>`
  const police = Option.match(page.vigilant, {
    onNone: () => "",
    onSome: (row) => {
      const phone = Option.map(
        row.policeContact.phone,
        (p) => `<p>Téléphone : <a href="${escapeHtml(telHref(p))}"><strong>${escapeHtml(p)}</strong></a></p>`
      )
      const details = Option.map(
        row.policeContact.details,
        (d) => `<p>${d.split(/\r?\n/).map(escapeHtml).join("<br>")}</p>`
      )
      const content = [...Option.toArray(phone), ...Option.toArray(details)]
      return `<section aria-labelledby="police">
<h2 id="police">Police municipale de ${name}</h2>
${content.length === 0 ? "<p>La mairie n'a pas encore indiqué ses coordonnées.</p>" : content.join("\n")}
<p>Pour une urgence, appelez le 17.</p>
</section>`
    }
  })
  return document({
    title: `Vigie à ${page.commune.name} (${page.commune.insee}) : voisins vigilants`,
    description:
      `${page.commune.name}${vigilant ? ", Mairie Vigilante" : ""} : ${
        plural(quartiers, "quartier ouvert", "quartiers ouverts")
      }, ${
        plural(verifiedMembers, "voisin vérifié", "voisins vérifiés")
      }. Rejoignez Vigie, l'entraide entre voisins, ` +
      "sur le web ou par SMS.",
    canonical: siteUrl(options.publicUrl, `/commune/${page.commune.insee}`),
    index: true,
    body: `<h1>Vigie à ${name} <small>(${insee})</small></h1>
${status}
${figures}
${join}
${sms}
${police}
${emergencySection}`
  })
}

/** The page for an unknown or malformed code, in French. */
export const renderNotFound = (): string =>
  document({
    title: "Commune introuvable : Vigie",
    description: "Aucune commune ne porte ce code INSEE.",
    index: false,
    body: `<h1>Commune introuvable</h1>
<p>Aucune commune française ne porte ce code INSEE (cinq caractères, par exemple 33080 pour Cadaujac).</p>
<p><a href="/inscription">Trouver ma commune par son code postal</a></p>
${emergencySection}`
  })

const headers = (cache: string) => ({
  "cache-control": cache,
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; " +
    "frame-ancestors 'none'"
})

/**
 * GET /commune/<INSEE>: the commune's public page, server-rendered (indexable, no sign-in, no
 * script); 404 with a French page for a malformed or unknown code.
 */
export const handler = (options: { readonly publicUrl: URL; readonly smsNumber: Option.Option<string> }) =>
  Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const communes = yield* PublicCommunes
    const page = yield* communes.page((params["insee"] ?? "").slice(0, 10))
    return Option.match(page, {
      onNone: () =>
        HttpServerResponse.html(renderNotFound()).pipe(
          HttpServerResponse.setStatus(404),
          HttpServerResponse.setHeaders(headers("no-cache"))
        ),
      onSome: (found) =>
        HttpServerResponse.html(renderCommunePage(found, options)).pipe(
          HttpServerResponse.setHeaders(headers("public, max-age=300"))
        )
    })
  })

import type { Rpc } from "@effect/rpc"
import { Cause, Option } from "effect"
import type { VigieRpc } from "./rpc.js"
import type { SecondFactorEnrolmentRequired } from "@vigie/domain/accounts/SecondFactorErrors"

/** Every typed failure an RPC of the platform may answer with. */
export type RpcError = Rpc.Error<VigieRpc> | SecondFactorEnrolmentRequired
export type RpcErrorTag = RpcError["_tag"]

/** A failure as the app shows it: its tag, a French sentence, and the form field it belongs to. */
export interface Failure {
  readonly tag: string
  readonly message: string
  readonly field?: string
}

const inTime = (seconds: number): string => {
  if (seconds < 60) return `dans ${Math.max(seconds, 1)} seconde${seconds > 1 ? "s" : ""}`
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 60) return `dans ${minutes} minute${minutes > 1 ? "s" : ""}`
  const hours = Math.ceil(minutes / 60)
  return `dans ${hours} heure${hours > 1 ? "s" : ""}`
}

/** A size in French: "10 Mo", "12,5 Mo". */
const megabytes = (bytes: number) =>
  `${(bytes / (1024 * 1024)).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} Mo`

const attempts = (n: number) =>
  n === 0 ? "Plus aucun essai possible." : `Encore ${n} essai${n > 1 ? "s" : ""} avant le blocage du code.`

/** Where a profile's field is named in the « Mon profil » form. */
const profileFieldNames: Readonly<Record<string, string>> = {
  nameStyle: "le nom affiché",
  presentation: "la présentation",
  interests: "les centres d'intérêt",
  interestsOther: "les autres centres d'intérêt",
  skills: "les savoir-faire proposés",
  skillsOther: "les autres savoir-faire",
  languages: "les langues parlées",
  visibility: "la visibilité"
}

const profileMessage = (e: {
  readonly field: string
  readonly reason: "too_long" | "unknown" | "invalid" | "too_many"
  readonly maxLength?: number | undefined
  readonly value?: string | undefined
}): string => {
  const name = profileFieldNames[e.field] ?? (e.field.startsWith("visibility.") ? "la visibilité" : "ce champ")
  switch (e.reason) {
    case "too_long":
      return `Le texte de ${name} est trop long : ${e.maxLength ?? 0} caractères au plus.`
    case "too_many":
      return `Trop de choix pour ${name} : ${e.maxLength ?? 0} au plus.`
    case "unknown":
      if (e.field === "visibility") return "Cette information ne fait pas partie d'un profil."
      if (e.field === "languages") return `« ${e.value ?? ""} » n'est pas dans la liste des langues proposées.`
      return `« ${e.value ?? ""} » n'est pas dans la liste proposée pour ${name}. ` +
        "Choisissez dans la liste, ou écrivez-le dans le texte libre."
    case "invalid":
      return e.field === "nameStyle"
        ? "Choisissez comment votre nom est affiché : prénom et initiale, ou nom complet."
        : "Choisissez « moi seul » ou « les membres de mes quartiers » pour chaque information."
  }
}

type Messages = { readonly [K in RpcErrorTag]: (error: Extract<RpcError, { readonly _tag: K }>) => string }

/**
 * The French message of every error of every RPC. Typed over the contracts, so a new error tag in
 * the domain that has no sentence here does not compile (and test/errors.test.ts checks it at run time).
 */
export const messages: Messages = {
  InvalidRequest: () => "Une information saisie n'est pas acceptée. Vérifiez le formulaire et réessayez.",
  FileTooLarge: (e) =>
    `Ce fichier est trop lourd (${megabytes(e.bytes)}) : ${megabytes(e.limit)} au plus. ` +
    "Choisissez une photo plus petite ou réduisez le document.",
  ImageUnreadable: () =>
    "Cette photo n'a pas pu être lue : le fichier est abîmé ou n'est pas une image. Essayez avec une autre photo.",
  UnsupportedImageFormat: (e) =>
    e.format === "heic" || e.format === "heif"
      ? "Les photos HEIC de l'iPhone ne sont pas encore acceptées : envoyez-la en JPEG (Réglages > Appareil photo > Formats > « Le plus compatible »), ou partagez-la depuis Photos, qui la convertit."
      : `Le format ${e.format.toUpperCase()} n'est pas accepté : envoyez une photo JPEG, PNG, WebP ou AVIF.`,
  NotAPdf: () => "Ce fichier n'est pas un document PDF lisible. Choisissez un fichier PDF.",
  TooManyUploads: (e) =>
    `Vous avez envoyé beaucoup de fichiers en peu de temps. Réessayez ${inTime(e.retryAfterSeconds)}.`,
  UnknownPostcode: (e) => `Aucune commune française n'a le code postal ${e.postcode}.`,
  UnknownCommune: () => "Cette commune ne figure pas dans la liste officielle des communes.",
  CommunityNotFound: () => "Cette communauté n'existe pas ou n'est plus ouverte.",
  AddressOutsideCommune: (e) => `Le code postal ${e.postcode} ne correspond pas à la commune de cette communauté.`,
  WeakPassword: (e) =>
    `Mot de passe trop faible : au moins ${e.minLength} caractères variés, ou une phrase de passe plus longue.`,
  InvalidPhoneNumber: () =>
    "Ce numéro ne peut pas recevoir de SMS. Indiquez un numéro de portable, par ex. 06 12 34 56 78.",
  PhoneAlreadyUsed: () => "Ce numéro de téléphone est déjà utilisé par un autre compte.",
  SmsNotSent: () => "Le SMS n'a pas pu partir pour le moment. Réessayez dans quelques minutes.",
  Unauthenticated: () => "Vous n'êtes pas connecté(e), ou votre session a expiré. Connectez-vous à nouveau.",
  AccountSuspended: () => "Votre compte est suspendu. Contactez la modération de Vigie.",
  Forbidden: () => "Vous n'avez pas le droit de faire cette action.",
  InvalidCredentials: () => "Adresse e-mail ou mot de passe incorrect.",
  LoginThrottled: (e) => `Trop d'essais de connexion. Réessayez ${inTime(e.retryAfterSeconds)}.`,
  StaffAccountErasureRefused: () =>
    "Un compte de la mairie, de la police municipale ou de la modération ne se supprime pas ici : demandez à un administrateur de Vigie de retirer d'abord votre rôle.",
  MembershipNotFound: () => "Cette inscription est introuvable.",
  AlreadyMember: () => "Vous faites déjà partie de ce quartier, ou votre demande pour le rejoindre est en cours.",
  TooManyCommunities: (e) =>
    `Vous pouvez faire partie de ${e.max} quartiers au plus. Quittez-en un avant d'en rejoindre un autre.`,
  MembershipBanned: () => "Vous avez été exclu(e) de ce quartier par la modération : vous ne pouvez pas le rejoindre.",
  MoveNotAllowed: (e) =>
    e.reason === "same_community"
      ? "Votre nouvelle adresse est dans le même quartier : écrivez à votre référent(e) pour la mettre à jour."
      : e.reason === "move_in_progress"
      ? "Un déménagement attend déjà la vérification de votre nouvelle adresse. Quittez ce quartier en attente pour l'annuler."
      : "Vous devez d'abord avoir une adresse vérifiée pour déclarer un déménagement.",
  MembershipNotPending: (e) =>
    e.status === "verified" ? "Votre adresse est déjà activée." : "Cette inscription n'attend plus d'activation.",
  NotAVerifiedMember: (e) =>
    e.membershipId !== undefined
      ? "Seul un membre vérifié de ce quartier (adresse activée) peut en être référent."
      : "Vous devez avoir activé votre adresse dans cette communauté (code reçu par courrier) pour publier une alerte.",
  TooManyCodeRequests: (e) =>
    `Trop de codes demandés récemment. Nouvelle demande possible ${inTime(e.retryAfterSeconds)}.`,
  PostalUnavailable: () => "Le courrier n'a pas pu être préparé pour le moment. Réessayez plus tard.",
  NoPendingCode: () => "Aucun code n'est en attente. Demandez d'abord un nouveau code.",
  WrongCode: (e) => `Code incorrect. ${attempts(e.remainingAttempts)}`,
  CodeLocked: () => "Trop d'essais : ce code est bloqué. Demandez un nouveau code.",
  CodeExpired: () => "Ce code a expiré. Demandez un nouveau code.",
  CodeAlreadyUsed: () => "Ce code a déjà servi ou a été remplacé par un plus récent.",
  CategoryNotAllowed: () => "Cette catégorie n'est pas possible pour ce type d'alerte.",
  AlertRateLimited: (e) =>
    `Vous avez publié beaucoup d'alertes en peu de temps. Réessayez ${inTime(e.retryAfterSeconds)}.`,
  AlertNotFound: () => "Cette alerte n'existe pas ou ne vous est pas visible.",
  InvalidAlertTransition: (e) =>
    e.from === "retracted"
      ? "Cette alerte a déjà été retirée."
      : e.from === "resolved"
      ? "Cette alerte est déjà résolue."
      : "Cette alerte ne peut plus changer d'état.",
  AlertClosedToReactions: (e) =>
    e.status === "resolved"
      ? "Cette alerte est résolue : on ne peut plus indiquer « J'y vais » ou « Vu »."
      : e.status === "retracted"
      ? "Cette alerte a été retirée : on ne peut plus indiquer « J'y vais » ou « Vu »."
      : "Cette alerte n'est pas publiée : on ne peut pas encore indiquer « J'y vais » ou « Vu ».",
  PreviewNotFound: () =>
    "Cette prévisualisation n'est plus valable (expirée ou déjà envoyée). Prévisualisez à nouveau avant d'envoyer.",
  PreviewOutdated: (e) =>
    `Les destinataires ont changé depuis la prévisualisation (${e.previewed.sms} SMS et ${e.previewed.email} e-mails prévus, ` +
    `${e.current.sms} SMS et ${e.current.email} e-mails maintenant). Rien n'a été envoyé : prévisualisez à nouveau.`,
  BudgetExceeded: (e) =>
    `Le budget SMS du mois ne suffit pas : ${e.neededSegments} SMS nécessaires, ` +
    `${Math.max(0, e.monthlySegments - e.usedSegments)} restants sur ${e.monthlySegments}. ` +
    "Rien n'a été envoyé. Vous pouvez envoyer l'alerte par e-mail seulement.",
  AccountNotFound: () => "Ce compte n'existe pas ou a été supprimé.",
  InvalidMembershipTransition: (e) =>
    e.from === "banned"
      ? "Cette personne est déjà exclue de ce quartier."
      : e.to === "verified"
      ? "Cette personne n'est pas exclue de ce quartier : rien à lever."
      : "L'inscription de cette personne ne permet pas ce changement.",
  AppealNotFound: () => "Cette contestation est introuvable.",
  AlreadyFlagged: () => "Vous avez déjà signalé cette alerte. Un modérateur va l'examiner.",
  AlreadyAppealed: () => "Vous avez déjà contesté ce masquage : on ne peut le contester qu'une fois.",
  NotAppealable: (e) =>
    e.status === "hidden"
      ? "Ce masquage ne peut pas être contesté."
      : "Seule une alerte masquée par la modération peut être contestée.",
  AppealAlreadyDecided: () => "Cette contestation a déjà été tranchée, peut-être par un autre modérateur à l'instant.",
  AlreadyReviewed: () => "Cette alerte a déjà été relue, peut-être par un autre modérateur à l'instant.",
  NoOpenFlags: () => "Cette alerte n'a plus de signalement en attente.",
  OwnFlagOnly: () =>
    "Vous ne pouvez pas masquer une alerte sur votre seul signalement : il faut le signalement d'un autre membre. Un modérateur examinera le vôtre.",
  NotPendingHide: () =>
    "Cette alerte n'est pas masquée en attente d'un modérateur (déjà tranché, ou jamais masquée par un référent).",
  ReasonDetailsRequired: () =>
    "Précisez le motif en quelques mots : avec « autre motif », l'auteur doit savoir pourquoi.",
  InvalidAccountTransition: (e) =>
    e.from === "suspended" && e.to === "suspended"
      ? "Ce compte est déjà suspendu."
      : e.from === "active" && e.to === "active"
      ? "Ce compte n'est pas suspendu : rien à lever."
      : e.from === "erased"
      ? "Ce compte a été supprimé."
      : "Ce changement d'état du compte n'est pas possible.",
  CommunityMemberNotFound: () => "Cette personne n'est pas membre de ce quartier.",
  PhoneCountryNotAllowed: () =>
    "Vigie n'envoie de SMS qu'aux numéros de portable français (métropole et outre-mer). Indiquez un portable français.",
  SmsBudgetReached: (e) =>
    e.budget === "platform"
      ? "Vigie a envoyé trop de SMS de vérification aujourd'hui. Réessayez demain."
      : e.budget === "address"
      ? "Trop de SMS de vérification ont été demandés depuis cette connexion aujourd'hui. Réessayez demain."
      : `Vous avez demandé ${e.limit} SMS de vérification aujourd'hui, le maximum. Réessayez demain.`,
  AddressNotVerifiedYet: (e) =>
    `Vous avez déjà demandé ${e.maxCodes} codes par SMS. Activez d'abord votre adresse avec le code reçu par courrier, puis réessayez.`,
  TownAlertNeedsPreview: () =>
    "Une alerte à toute la commune passe par la prévisualisation (destinataires, coût, budget SMS) puis la confirmation.",
  LinkNotFound: () => "Ce lien n'est pas valable. Vérifiez qu'il est complet, ou demandez-en un nouveau.",
  LinkExpired: () => "Ce lien a expiré. Demandez-en un nouveau.",
  LinkAlreadyUsed: () => "Ce lien a déjà servi ou a été remplacé par un plus récent. Demandez-en un nouveau si besoin.",
  WrongResetCode: () => "Code incorrect pour ce numéro. Vérifiez le code reçu par SMS et le numéro saisi.",
  ResetCodeExpired: () => "Ce code n'est plus valable (expiré, déjà utilisé ou bloqué). Demandez un nouveau code.",
  WrongPassword: () => "Mot de passe actuel incorrect.",
  EmailUnchanged: () => "C'est déjà l'adresse e-mail de votre compte.",
  TooManyEmailChanges: (e) =>
    `Trop de changements d'adresse demandés. Nouvelle demande possible ${inTime(e.retryAfterSeconds)}.`,
  EmailAlreadyUsed: () => "Cette adresse e-mail ne peut pas être utilisée pour votre compte. Rien n'a changé.",
  CommonPassword: () =>
    "Ce mot de passe fait partie des plus courants : il serait deviné parmi les premiers. Choisissez-en un autre.",
  SecondFactorRequired: () => "Saisissez le code de votre application d'authentification pour terminer la connexion.",
  SecondFactorEnrolmentRequired: () =>
    "Activez d'abord la double authentification de votre compte (application d'authentification sur votre téléphone).",
  WrongSecondFactorCode: (e) =>
    `Code incorrect, expiré ou déjà utilisé. ${
      e.triesLeft === 0
        ? "Plus aucun essai possible pour le moment."
        : `Encore ${e.triesLeft} essai${e.triesLeft > 1 ? "s" : ""}.`
    }`,
  SecondFactorLocked: (e) =>
    `Trop de codes incorrects : la connexion est bloquée. Réessayez ${inTime(e.retryAfterSeconds)}.`,
  SignInChallengeExpired: () =>
    "Cette étape de connexion a expiré ou a déjà servi. Reconnectez-vous avec votre mot de passe.",
  AlreadyEnrolled: () => "La double authentification est déjà activée sur ce compte.",
  NoEnrolmentInProgress: () =>
    "Aucune activation n'est en cours : recommencez l'activation de la double authentification.",
  InvitationNotFound: () =>
    "Ce lien d'invitation n'est pas valable ou a déjà servi. Demandez-en un nouveau à l'administrateur de Vigie.",
  InvitationExpired: () =>
    "Ce lien d'invitation a expiré (il était valable 7 jours). Demandez-en un nouveau à l'administrateur de Vigie.",
  InvalidPerimeter: (e) =>
    e.reason === "self_intersecting"
      ? "Le périmètre se croise lui-même. Redessinez-le sans que ses bords se coupent."
      : "Le périmètre n'entoure aucune surface. Dessinez au moins trois points qui ne sont pas alignés.",
  PerimeterOverlap: (e) =>
    `Ce périmètre chevauche le quartier « ${e.otherName} ». Deux quartiers d'une commune ne peuvent pas se chevaucher ; ils peuvent se toucher.`,
  CommunityNameTaken: (e) =>
    `Un quartier ouvert de cette commune s'appelle déjà « ${e.name} ». Choisissez un autre nom.`,
  RequesterUnavailable: (e) =>
    e.reason === "too_many_communities"
      ? `Le demandeur fait déjà partie de ${e.max} quartiers, le maximum : il ne peut pas devenir référent d'un autre. Rien n'a été ouvert ; refusez la proposition en le lui expliquant, ou ouvrez le quartier vous-même.`
      : `Le compte du demandeur est ${
        e.reason === "suspended" ? "suspendu" : "supprimé"
      } : il ne peut pas devenir référent. Rien n'a été ouvert ; refusez la proposition, ou ouvrez le quartier vous-même.`,
  CommunityArchived: () => "Ce quartier est archivé : il ne peut plus être modifié.",
  RedrawPreviewStale: () =>
    "Les membres qui se trouveraient hors du nouveau périmètre ont changé depuis l'aperçu. Rien n'a changé : vérifiez à nouveau la liste avant de confirmer.",
  CommuneNotVigilant: (e) =>
    `La commune ${e.insee} n'est pas une Mairie Vigilante : activez-la d'abord dans l'administration. Rien n'a été fait.`,
  LastAdminRole: () =>
    "C'est le dernier compte administrateur de Vigie : son rôle ne peut pas être retiré. Nommez d'abord un autre administrateur.",
  StaffRoleNotFound: () => "Ce compte n'a plus ce rôle (peut-être déjà retiré à l'instant). La liste est mise à jour.",
  PaperConsentMissing: () => "Cochez la case du consentement : sans l'accord écrit du voisin, rien n'est enregistré.",
  ProposalNotFound: () => "Cette proposition de quartier est introuvable.",
  ProposalAlreadyDecided: (e) =>
    e.status === "accepted"
      ? "Cette proposition a déjà été acceptée (peut-être à l'instant par quelqu'un d'autre) : le quartier est ouvert."
      : e.status === "refused"
      ? "Cette proposition a déjà été refusée (peut-être à l'instant par quelqu'un d'autre). Rien n'a changé."
      : e.status === "withdrawn"
      ? "Cette proposition a été retirée par la personne qui l'avait faite. Rien n'a changé."
      : "Cette proposition attend encore une décision.",
  TooManyPendingProposals: (e) =>
    `Vous avez déjà ${e.limit} propositions de quartier en attente. Attendez une décision, ou retirez-en une, avant d'en faire une autre.`,
  UploadUnavailable: (e) =>
    e.kind === "pdf"
      ? "Le document PDF joint n'est plus disponible. Envoyez-le de nouveau."
      : "Une des photos jointes n'est plus disponible. Envoyez-la de nouveau.",
  GazettePostNotFound: () => "Cette publication n'existe pas, a été retirée, ou ne vous est pas accessible.",
  GazettePostClosed: (e) =>
    e.state === "expired"
      ? "Cette publication a expiré."
      : "Cette publication est déjà close : elle ne peut plus être modifiée.",
  GazettePostUnavailable: (e) =>
    e.status === "hidden"
      ? "Cette publication a été masquée par la modération : elle ne peut plus être modifiée."
      : "Cette publication a été retirée.",
  OutcomeNotAllowed: () => "Cette issue ne convient pas à ce type de publication.",
  NotRenewable: () => "Ce type de publication n'expire pas : il n'y a rien à renouveler.",
  InvalidGazettePost: (e) =>
    e.reason === "required"
      ? "Ce champ est obligatoire."
      : e.reason === "in_the_past"
      ? "Cette date est déjà passée : choisissez une date à venir."
      : e.reason === "in_the_future"
      ? "Cette date n'est pas encore arrivée."
      : e.reason === "before_start"
      ? "La fin doit venir après le début."
      : e.reason === "not_in_commune"
      ? "Un des quartiers choisis n'appartient pas à votre commune."
      : e.reason === "too_far"
      ? "Cette date est trop lointaine : un trajet ou un épinglage au plus dans un an, un événement dans deux ans."
      : "Cette information ne convient pas à ce type de publication.",
  GazetteRateLimited: (e) =>
    `Vous avez fait aujourd'hui le maximum de 10 publications dans la Gazette. Vous pourrez publier de nouveau ${
      inTime(e.retryAfterSeconds)
    }.`,
  GazetteAlreadyFlagged: () => "Vous avez déjà signalé cette publication : la modération va l'examiner.",
  GazetteFlagRateLimited: (e) =>
    `Vous avez fait aujourd'hui le maximum de signalements. Vous pourrez signaler de nouveau ${
      inTime(e.retryAfterSeconds)
    }.`,
  GazetteModerationConflict: (e) =>
    e.status === "withdrawn"
      ? "Cette publication a été retirée par son auteur."
      : e.action === "approve"
      ? "Cette publication n'attend plus de vérification (un autre modérateur a peut-être déjà décidé)."
      : e.action === "restore"
      ? "Cette publication n'est pas masquée."
      : "Cette publication est déjà masquée.",
  GazetteNotAppealable: () => "Seule une publication masquée par la modération peut être contestée.",
  GazetteAlreadyAppealed: () => "Vous avez déjà contesté ce masquage : une seule contestation est possible.",
  GazetteAppealNotFound: () => "Cette contestation n'existe pas.",
  GazetteAppealDecided: () => "Cette contestation a déjà été traitée (peut-être par un autre modérateur).",
  AppealNeedsAnotherModerator: () =>
    "Vous avez masqué cette publication : un autre modérateur doit examiner la contestation.",
  GazetteCommentNotFound: () => "Ce commentaire n'existe pas ou a été supprimé.",
  InvalidGazetteComment: (e) =>
    e.reason === "empty"
      ? "Écrivez votre commentaire avant de l'envoyer."
      : `Votre commentaire est trop long : ${e.maxLength} caractères au plus.`,
  GazettePostNotOpenToReplies: (e) =>
    e.status === "withdrawn"
      ? "Cette publication a été retirée par son auteur : elle ne reçoit plus de commentaires ni de réponses."
      : e.status === "hidden"
      ? "Cette publication a été masquée par la modération : elle ne reçoit plus de commentaires ni de réponses."
      : "Cette publication attend l'avis d'un modérateur : on ne peut pas encore y répondre.",
  GazetteCommentRateLimited: (e) =>
    `Vous avez écrit beaucoup de commentaires en une heure. Vous pourrez en écrire de nouveau ${
      inTime(e.retryAfterSeconds)
    }.`,
  NotAnEvent: () => "Cette publication n'est pas un événement.",
  EventClosed: (e) =>
    e.reason === "cancelled"
      ? "Cet événement est annulé."
      : "Cet événement a déjà commencé ou est passé : il ne prend plus de réponses ni de changements.",
  EventFull: (e) =>
    `Cet événement est complet (${e.capacity} places). Vous pouvez répondre « peut-être » si une place se libère.`,
  InvalidProfile: (e) => profileMessage(e),
  ProfileNotFound: () => "Ce membre n'existe pas, n'est pas dans l'annuaire, ou ne vous est pas accessible.",
  InvalidBlock: (e) =>
    e.reason === "self"
      ? "Vous ne pouvez pas vous bloquer vous-même."
      : "Vous ne pouvez bloquer qu'un membre de l'un de vos quartiers.",
  ConversationNotFound: () => "Cette conversation n'existe pas ou vous n'en faites plus partie.",
  MessageNotFound: () => "Ce message n'existe pas ou ne vous est pas accessible.",
  RecipientUnavailable: () =>
    "Vous ne pouvez pas écrire à cette personne : la messagerie relie les voisins vérifiés d'un même quartier.",
  InvalidMessage: (e) =>
    e.reason === "empty"
      ? "Écrivez votre message avant de l'envoyer."
      : e.reason === "too_many_photos"
      ? `Vous pouvez joindre ${e.maxLength} photos au plus à un message.`
      : `Votre message est trop long : ${e.maxLength} caractères au plus.`,
  InvalidParticipants: (e) =>
    e.reason === "none"
      ? "Choisissez au moins un voisin à qui écrire."
      : `Une conversation réunit ${e.max} personnes au plus, vous compris.`,
  MessagingRateLimited: (e) =>
    e.what === "conversations"
      ? `Pendant votre première semaine, vous pouvez commencer 5 conversations par jour. Réessayez ${
        inTime(e.retryAfterSeconds)
      }.`
      : e.what === "reports"
      ? `Vous avez fait beaucoup de signalements aujourd'hui. Réessayez ${inTime(e.retryAfterSeconds)}.`
      : `Vous avez envoyé beaucoup de messages en peu de temps. Réessayez ${inTime(e.retryAfterSeconds)}.`,
  MessageReportNotFound: () => "Ce signalement n'existe pas ou a déjà été traité.",
  VeilleTimeInvalid: (e) =>
    e.reason === "dst"
      ? `L'heure ${e.time} n'existe pas tous les jours (changement d'heure entre 2 h et 3 h) : choisissez une autre heure.`
      : `« ${e.time} » n'est pas une heure : écrivez par exemple 10:00.`,
  VeilleNoDays: () => "Choisissez au moins un jour de la semaine.",
  VeilleNoVeilleur: () => "Choisissez au moins un voisin veilleur.",
  VeilleTooManyVeilleurs: (e) => `Choisissez au plus ${e.max} voisins veilleurs.`,
  VeilleurOutsideQuartier: () =>
    "Un voisin veilleur doit être un membre vérifié d'un quartier de la personne (et pas la personne elle-même).",
  VeilleAbsenceInvalid: () => "Ces dates ne conviennent pas : la fin de l'absence doit venir après son début.",
  VeilleNotFound: () => "Cette veille n'existe pas ou n'est plus active.",
  VeilleAlreadyExists: () => "Cette personne a déjà une veille : arrêtez-la d'abord pour en créer une autre.",
  VeillePhoneUnsuitable: (e) =>
    e.channel === "sms"
      ? "Le numéro de la personne ne reçoit pas de SMS (ligne fixe) : choisissez l'appel vocal."
      : "La personne n'a pas de numéro de téléphone enregistré.",
  VeilleConsentMissing: () =>
    "Choisissez comment la personne donne son accord : signé sur papier (vous le conservez) ou demandé par SMS."
}

/** Which form field an error belongs next to (the forms show the rest above their button). */
export const fields: Partial<Record<RpcErrorTag, string>> = {
  FileTooLarge: "file",
  ImageUnreadable: "file",
  UnsupportedImageFormat: "file",
  NotAPdf: "file",
  InvalidGazetteComment: "comment",
  InvalidProfile: "profile",
  InvalidMessage: "message",
  UnknownPostcode: "postcode",
  AddressOutsideCommune: "postcode",
  CommunityNotFound: "community",
  WeakPassword: "password",
  CommonPassword: "password",
  WrongSecondFactorCode: "code",
  SecondFactorLocked: "code",
  InvalidPhoneNumber: "phone",
  PhoneAlreadyUsed: "phone",
  PhoneCountryNotAllowed: "phone",
  WrongCode: "code",
  CodeLocked: "code",
  CodeExpired: "code",
  CodeAlreadyUsed: "code",
  NoPendingCode: "code",
  CategoryNotAllowed: "category",
  ReasonDetailsRequired: "details",
  AlreadyAppealed: "appeal",
  NotAppealable: "appeal",
  AlreadyFlagged: "flag-reason",
  WrongResetCode: "code",
  ResetCodeExpired: "code",
  WrongPassword: "current-password",
  CommunityNameTaken: "name",
  InvalidPerimeter: "perimeter",
  PerimeterOverlap: "perimeter",
  PaperConsentMissing: "consent"
}

/** The French message of the RPC gate's refusals of a whole request (packages/app/src/http/RpcGate.ts). */
export const gateMessages: Readonly<Record<string, string>> = {
  BatchRefused: "Trop de demandes envoyées d'un coup. Patientez un instant puis réessayez, une action à la fois.",
  RequestTooLarge:
    "Ce fichier est trop lourd : 10 Mo au plus. Choisissez une photo plus petite ou réduisez le document."
}

export const NETWORK_MESSAGE = "Impossible de joindre Vigie. Vérifiez votre connexion Internet puis réessayez."
export const UNEXPECTED_MESSAGE = "Une erreur inattendue est survenue. Réessayez dans un instant."

const hasTag = (u: unknown): u is { readonly _tag: string } =>
  typeof u === "object" && u !== null && typeof (u as { _tag?: unknown })._tag === "string"

/**
 * The server's edge limit (HTTP 429 on POST /rpc, with Retry-After in seconds), as the RPC client
 * reports it: an RpcClientError whose cause is the refused response. The French sentence, or undefined.
 */
export const tooManyRequestsMessage = (error: unknown): string | undefined => {
  if (!hasTag(error) || error._tag !== "RpcClientError") return undefined
  const response = (error as {
    readonly cause?: {
      readonly response?: { readonly status?: unknown; readonly headers?: Record<string, string | undefined> }
    }
  })
    .cause?.response
  if (response?.status !== 429) return undefined
  const seconds = Number(response.headers?.["retry-after"])
  return `Trop de tentatives, réessayez ${inTime(Number.isFinite(seconds) && seconds > 0 ? seconds : 60)}.`
}

/** The French description of a typed error (or of anything else that failed). */
export const describeError = (error: unknown): Failure => {
  if (hasTag(error)) {
    const tag = error._tag
    if (tag in messages) {
      const message = (messages as Record<string, (e: unknown) => string>)[tag]!(error)
      const field = fields[tag as RpcErrorTag]
      return field === undefined ? { tag, message } : { tag, message, field }
    }
    if (tag === "RpcClientError") return { tag, message: tooManyRequestsMessage(error) ?? NETWORK_MESSAGE }
    if (Object.hasOwn(gateMessages, tag)) return { tag, message: gateMessages[tag]! }
  }
  return { tag: "Unexpected", message: UNEXPECTED_MESSAGE }
}

/** The French description of a failed effect's cause: its first typed failure, or a defect. */
export const describeCause = (cause: Cause.Cause<unknown>): Failure =>
  Option.match(Cause.failureOption(cause), {
    onSome: describeError,
    onNone: () => {
      const defect = Cause.dieOption(cause)
      if (Option.isSome(defect) && hasTag(defect.value) && defect.value._tag === "RpcClientError") {
        return { tag: "RpcClientError", message: tooManyRequestsMessage(defect.value) ?? NETWORK_MESSAGE }
      }
      return { tag: "Unexpected", message: UNEXPECTED_MESSAGE }
    }
  })

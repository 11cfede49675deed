/** @module English and French: the portal's words, state names as the source document gives them, and locale formats. */

import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from "react";

const en = {
  appName: "Sneakernet",
  skipToContent: "Skip to content",
  mainNav: "Main",
  navJobs: "Jobs",
  navNewJob: "New job",
  navIncoming: "Incoming packages",
  navReceive: "Receive a package",
  navQueue: "Work queue",
  navStations: "Stations",
  navFound: "Drive found",
  language: "Language",
  signOut: "Sign out",
  signedInAs: "Signed in as {label} ({role})",
  role_customer: "customer",
  role_operator: "operator",
  role_admin: "administrator",
  role_station: "station",
  loading: "Loading…",
  live: "Live: updates appear without reloading.",
  updatedAt: "Updated {time}",
  none: "None",
  unknown: "—",
  cancel: "Cancel",
  confirm: "Confirm",
  // Sign-in
  signInTitle: "Sign in",
  signInIntro:
    "Paste a token. Tokens are printed by the command below, run in the folder where the server runs.",
  signInHelpCustomer: "As a customer:",
  signInHelpOperator: "As an operator:",
  tokenLabel: "Token",
  tokenHint: "Kept only while this browser tab is open.",
  signInButton: "Sign in",
  signInEmpty: "Paste your token first.",
  signInInvalid: "This token is not valid, or it has been revoked.",
  signInStation:
    "A station token has no portal views: stations talk to the API. Sign in with a customer or operator token.",
  // Errors
  errNetwork: "The server could not be reached. Check that it is running, then try again.",
  errForbidden: "You do not have access to this.",
  errNotFound: "This does not exist, or it was deleted.",
  errJobNotFound: "This job does not exist, or it was deleted.",
  errConflict: "Someone changed this job meanwhile. Reload it and try again.",
  errGeneric: "The server refused: {message}",
  operatorOnly: "This page is for operators. Your token does not give access to it.",
  customerOnly: "This page is for customers.",
  notFoundPage: "There is no page at this address.",
  // Job list
  jobsTitle: "Jobs",
  subscription: "Subscription",
  filterState: "State",
  filterType: "Type",
  allStates: "All states",
  allTypes: "All types",
  searchName: "Search by name",
  colName: "Name",
  colType: "Type",
  colState: "State",
  colLocation: "Location",
  colDrives: "Drives",
  colProgress: "Progress",
  colEta: "Estimated completion",
  colCreated: "Created",
  noJobs: "No job matches.",
  noJobsYet: "No jobs yet. Create one to ship drives to the data center.",
  previousPage: "Previous page",
  nextPage: "Next page",
  pageN: "Page {n}",
  paging: "Pages",
  // Types
  type_Import: "Import",
  type_Export: "Export",
  // Job page
  backToJobs: "All jobs",
  jobFacts: "About this job",
  storageAccount: "Storage account",
  created: "Created",
  stepsTitle: "Progress of the job",
  stepReached: "reached {time}",
  stepCurrent: "current step",
  stepNotReached: "not reached",
  stepSkipped: "skipped",
  drivesTitle: "Drives",
  colDrive: "Drive",
  colCopyStatus: "Copy status",
  colBytes: "Bytes copied",
  colLogs: "Logs",
  verboseLog: "Verbose log",
  errorLog: "Error log",
  noDrives: "No drives yet.",
  noDrivesExport: "Drives are registered when the data center receives them.",
  historyTitle: "State history",
  colWhen: "When",
  colChange: "Change",
  colWho: "Who",
  colWhy: "Why",
  jobLevel: "job",
  shipToTitle: "Ship your drives to",
  deliveryTitle: "Your package",
  returnTitle: "Return package",
  returnNotYet: "Not shipped back yet.",
  carrier: "Carrier",
  trackingNumber: "Tracking number",
  driveCount: "Number of drives",
  shipDate: "Ship date",
  exportTitle: "Blobs to export",
  actionsTitle: "Actions",
  shipTitle: "Record tracking and ship",
  shipHelp:
    "Once you have shipped the package, give its carrier and tracking number. The job then moves to Shipping.",
  shipButton: "Record tracking",
  cancelJob: "Cancel job",
  cancelConfirm: "Cancel job {name}? This cannot be undone.",
  deleteJob: "Delete job",
  deleteConfirm: "Delete job {name}? Its history is deleted with it.",
  revealKeys: "Show drive keys",
  revealConfirm: "Drive keys unlock the data on your drives. Show them on this screen?",
  keysTitle: "Drive keys",
  colKey: "BitLocker key",
  hideKeys: "Hide keys",
  whyNotInState: "Only possible while the job is {allowed}; it is {state}.",
  whyNeedsReturnAddress: "Add a return address to the job first.",
  whyNeedsDrives: "An import job needs at least one drive first.",
  done: "Done.",
  // Create
  newJobTitle: "New job",
  sectionJob: "The job",
  jobName: "Name",
  jobNameHelp: "3 to 64 characters: letters, digits, '-' and '_', starting with a letter or a digit.",
  resourceGroup: "Resource group",
  location: "Location (data center)",
  jobType: "Type",
  storageAccountName: "Storage account",
  storageAccountHelp: "Its name (for this subscription and resource group) or its full resource id.",
  sectionDrives: "Drives",
  drivesHelp: "Up to 10 drives, each with its BitLocker recovery key (8 groups of 6 digits).",
  driveId: "Drive ID (serial number)",
  bitLockerKey: "BitLocker key",
  addDrive: "Add a drive",
  removeDrive: "Remove drive {n}",
  driveN: "Drive {n}",
  sectionExport: "Blobs to export",
  blobPaths: "Blob paths or prefixes, one per line",
  blobPathsHelp: "A line ending in / exports everything under it, e.g. /photos/.",
  sectionReturn: "Return address",
  recipientName: "Recipient",
  streetAddress1: "Street address",
  streetAddress2: "Street address, line 2",
  city: "City",
  stateOrProvince: "State or province",
  postalCode: "Postal code",
  countryOrRegion: "Country or region",
  phone: "Phone",
  email: "Email",
  sectionReturnShipping: "Return shipping",
  carrierAccountNumber: "Carrier account number",
  logLevel: "Log level",
  optional: "optional",
  fieldRequired: "this field is required.",
  createButton: "Create job",
  createExists: "A job with this name already exists in this resource group.",
  formHasErrors: "The job was not created: see the highlighted fields.",
  // Operators
  incomingTitle: "Incoming packages",
  incomingHelp:
    "Jobs whose customer has shipped the drives. After {days} days without the package, its drives become Never received.",
  colJob: "Job",
  colOnTheWay: "On the way for",
  colTimeout: "Delivery timeout",
  receiveAction: "Receive",
  noIncoming: "No package is on its way.",
  receiveTitle: "Receive a package",
  findPackage: "Find the package",
  packageNotFound: "No job is waiting for this package.",
  openJob: "Open the job",
  packageFor: "This package is for {job} ({type}, {state}).",
  serialsLabel: "Drive serial number",
  serialsHelp: "Type or scan each drive's serial number; Enter adds it.",
  addSerial: "Add",
  removeSerial: "Remove {serial}",
  scanned: "Drives in the package",
  previewTitle: "Before you confirm",
  previewPresent: "Expected and present",
  previewMissing: "Missing: will become Never received",
  previewExtra: "Not on this job: extra drives, to be returned",
  previewRegister: "Will be registered to the export job",
  receiveConfirm: "Receive the package",
  receiveDone: "Package received: {received} received, {missing} never received, {extra} extra.",
  receiveHeld: "The job is still Creating: the package is held until the customer records tracking.",
  queueTitle: "Work queue",
  waitingToCopy: "Waiting to copy",
  copying: "Copying",
  waitingToShip: "Waiting to ship back",
  extraToReturn: "Extra drives to return",
  colStation: "Station",
  colLease: "Lease until",
  shipBackButton: "Ship back",
  shipBackForm: "Ship back {name}",
  shipBackDone: "Job {name} shipped back.",
  stationsTitle: "Stations",
  colLastSeen: "Last heartbeat",
  colCurrent: "Current drive",
  noStations: "No station has registered yet.",
  idle: "idle",
  foundTitle: "A drive found in another package",
  foundHelp:
    "A drive marked Never received that arrived in another package: record it, and its job picks it up again.",
  serial: "Serial number",
  foundButton: "Record the drive",
  foundDone: "Drive {serial} is Received in job {job}.",
  // Units
  ago: "{time} ago",
};

export type MessageKey = keyof typeof en;

const fr: Record<MessageKey, string> = {
  appName: "Sneakernet",
  skipToContent: "Aller au contenu",
  mainNav: "Navigation principale",
  navJobs: "Travaux",
  navNewJob: "Nouveau travail",
  navIncoming: "Colis attendus",
  navReceive: "Réceptionner un colis",
  navQueue: "File de travail",
  navStations: "Stations",
  navFound: "Disque retrouvé",
  language: "Langue",
  signOut: "Se déconnecter",
  signedInAs: "Connecté : {label} ({role})",
  role_customer: "client",
  role_operator: "opérateur",
  role_admin: "administrateur",
  role_station: "station",
  loading: "Chargement…",
  live: "En direct : les changements s’affichent sans recharger.",
  updatedAt: "Mis à jour à {time}",
  none: "Aucun",
  unknown: "—",
  cancel: "Annuler",
  confirm: "Confirmer",
  signInTitle: "Connexion",
  signInIntro: "Collez un jeton. La commande ci-dessous les affiche ; lancez-la dans le dossier du serveur.",
  signInHelpCustomer: "En tant que client :",
  signInHelpOperator: "En tant qu’opérateur :",
  tokenLabel: "Jeton",
  tokenHint: "Conservé seulement tant que cet onglet est ouvert.",
  signInButton: "Se connecter",
  signInEmpty: "Collez d’abord votre jeton.",
  signInInvalid: "Ce jeton n’est pas valide, ou il a été révoqué.",
  signInStation:
    "Un jeton de station n’a pas de pages dans le portail : les stations parlent à l’API. Connectez-vous avec un jeton client ou opérateur.",
  errNetwork: "Le serveur est injoignable. Vérifiez qu’il tourne, puis réessayez.",
  errForbidden: "Vous n’avez pas accès à ceci.",
  errNotFound: "Ceci n’existe pas, ou a été supprimé.",
  errJobNotFound: "Ce travail n’existe pas, ou il a été supprimé.",
  errConflict: "Quelqu’un a modifié ce travail entre-temps. Rechargez-le et réessayez.",
  errGeneric: "Le serveur a refusé : {message}",
  operatorOnly: "Cette page est réservée aux opérateurs. Votre jeton n’y donne pas accès.",
  customerOnly: "Cette page est réservée aux clients.",
  notFoundPage: "Il n’y a pas de page à cette adresse.",
  jobsTitle: "Travaux",
  subscription: "Abonnement",
  filterState: "État",
  filterType: "Type",
  allStates: "Tous les états",
  allTypes: "Tous les types",
  searchName: "Rechercher par nom",
  colName: "Nom",
  colType: "Type",
  colState: "État",
  colLocation: "Emplacement",
  colDrives: "Disques",
  colProgress: "Avancement",
  colEta: "Fin estimée",
  colCreated: "Créé le",
  noJobs: "Aucun travail ne correspond.",
  noJobsYet: "Aucun travail pour l’instant. Créez-en un pour envoyer des disques au centre de données.",
  previousPage: "Page précédente",
  nextPage: "Page suivante",
  pageN: "Page {n}",
  paging: "Pages",
  type_Import: "Importation",
  type_Export: "Exportation",
  backToJobs: "Tous les travaux",
  jobFacts: "À propos de ce travail",
  storageAccount: "Compte de stockage",
  created: "Créé le",
  stepsTitle: "Avancement du travail",
  stepReached: "atteint le {time}",
  stepCurrent: "étape en cours",
  stepNotReached: "pas encore atteint",
  stepSkipped: "sauté",
  drivesTitle: "Disques",
  colDrive: "Disque",
  colCopyStatus: "État de la copie",
  colBytes: "Octets copiés",
  colLogs: "Journaux",
  verboseLog: "Journal détaillé",
  errorLog: "Journal des erreurs",
  noDrives: "Pas encore de disque.",
  noDrivesExport: "Les disques sont enregistrés à leur réception par le centre de données.",
  historyTitle: "Historique des états",
  colWhen: "Quand",
  colChange: "Changement",
  colWho: "Qui",
  colWhy: "Pourquoi",
  jobLevel: "travail",
  shipToTitle: "Envoyez vos disques à",
  deliveryTitle: "Votre colis",
  returnTitle: "Colis de retour",
  returnNotYet: "Pas encore renvoyé.",
  carrier: "Transporteur",
  trackingNumber: "Numéro de suivi",
  driveCount: "Nombre de disques",
  shipDate: "Date d’envoi",
  exportTitle: "Objets blob à exporter",
  actionsTitle: "Actions",
  shipTitle: "Indiquer le suivi et expédier",
  shipHelp:
    "Une fois le colis expédié, indiquez son transporteur et son numéro de suivi. Le travail passe alors en Expédition.",
  shipButton: "Enregistrer le suivi",
  cancelJob: "Annuler le travail",
  cancelConfirm: "Annuler le travail {name} ? C’est définitif.",
  deleteJob: "Supprimer le travail",
  deleteConfirm: "Supprimer le travail {name} ? Son historique est supprimé avec lui.",
  revealKeys: "Afficher les clés des disques",
  revealConfirm: "Les clés déverrouillent les données de vos disques. Les afficher à l’écran ?",
  keysTitle: "Clés des disques",
  colKey: "Clé BitLocker",
  hideKeys: "Masquer les clés",
  whyNotInState: "Possible seulement quand le travail est en {allowed} ; il est en {state}.",
  whyNeedsReturnAddress: "Ajoutez d’abord une adresse de retour au travail.",
  whyNeedsDrives: "Un travail d’importation doit d’abord avoir au moins un disque.",
  done: "C’est fait.",
  newJobTitle: "Nouveau travail",
  sectionJob: "Le travail",
  jobName: "Nom",
  jobNameHelp:
    "De 3 à 64 caractères : lettres, chiffres, « - » et « _ », en commençant par une lettre ou un chiffre.",
  resourceGroup: "Groupe de ressources",
  location: "Emplacement (centre de données)",
  jobType: "Type",
  storageAccountName: "Compte de stockage",
  storageAccountHelp: "Son nom (pour cet abonnement et ce groupe de ressources) ou son identifiant complet.",
  sectionDrives: "Disques",
  drivesHelp: "Jusqu’à 10 disques, chacun avec sa clé de récupération BitLocker (8 groupes de 6 chiffres).",
  driveId: "Identifiant du disque (numéro de série)",
  bitLockerKey: "Clé BitLocker",
  addDrive: "Ajouter un disque",
  removeDrive: "Retirer le disque {n}",
  driveN: "Disque {n}",
  sectionExport: "Objets blob à exporter",
  blobPaths: "Chemins ou préfixes de blobs, un par ligne",
  blobPathsHelp: "Une ligne finissant par / exporte tout ce qu’elle contient, par exemple /photos/.",
  sectionReturn: "Adresse de retour",
  recipientName: "Destinataire",
  streetAddress1: "Adresse",
  streetAddress2: "Adresse, ligne 2",
  city: "Ville",
  stateOrProvince: "État ou province",
  postalCode: "Code postal",
  countryOrRegion: "Pays ou région",
  phone: "Téléphone",
  email: "Courriel",
  sectionReturnShipping: "Expédition du retour",
  carrierAccountNumber: "Numéro de compte transporteur",
  logLevel: "Niveau de journalisation",
  optional: "facultatif",
  fieldRequired: "ce champ est obligatoire.",
  createButton: "Créer le travail",
  createExists: "Un travail de ce nom existe déjà dans ce groupe de ressources.",
  formHasErrors: "Le travail n’a pas été créé : voyez les champs signalés.",
  incomingTitle: "Colis attendus",
  incomingHelp:
    "Travaux dont le client a expédié les disques. Après {days} jours sans le colis, ses disques passent en Jamais reçu.",
  colJob: "Travail",
  colOnTheWay: "En route depuis",
  colTimeout: "Délai de livraison",
  receiveAction: "Réceptionner",
  noIncoming: "Aucun colis n’est en route.",
  receiveTitle: "Réceptionner un colis",
  findPackage: "Trouver le colis",
  packageNotFound: "Aucun travail n’attend ce colis.",
  openJob: "Ouvrir le travail",
  packageFor: "Ce colis est pour {job} ({type}, {state}).",
  serialsLabel: "Numéro de série du disque",
  serialsHelp: "Tapez ou scannez le numéro de série de chaque disque ; Entrée l’ajoute.",
  addSerial: "Ajouter",
  removeSerial: "Retirer {serial}",
  scanned: "Disques dans le colis",
  previewTitle: "Avant de confirmer",
  previewPresent: "Attendus et présents",
  previewMissing: "Manquants : passeront en Jamais reçu",
  previewExtra: "Absents du travail : disques en trop, à renvoyer",
  previewRegister: "Seront enregistrés pour le travail d’exportation",
  receiveConfirm: "Réceptionner le colis",
  receiveDone: "Colis réceptionné : {received} reçu(s), {missing} jamais reçu(s), {extra} en trop.",
  receiveHeld:
    "Le travail est encore en Création : le colis est gardé jusqu’à ce que le client indique le suivi.",
  queueTitle: "File de travail",
  waitingToCopy: "En attente de copie",
  copying: "Copie en cours",
  waitingToShip: "En attente de renvoi",
  extraToReturn: "Disques en trop à renvoyer",
  colStation: "Station",
  colLease: "Bail jusqu’à",
  shipBackButton: "Renvoyer",
  shipBackForm: "Renvoyer {name}",
  shipBackDone: "Travail {name} renvoyé.",
  stationsTitle: "Stations",
  colLastSeen: "Dernier signal",
  colCurrent: "Disque en cours",
  noStations: "Aucune station ne s’est encore enregistrée.",
  idle: "libre",
  foundTitle: "Un disque retrouvé dans un autre colis",
  foundHelp:
    "Un disque marqué Jamais reçu arrivé dans un autre colis : enregistrez-le, et son travail le reprend.",
  serial: "Numéro de série",
  foundButton: "Enregistrer le disque",
  foundDone: "Le disque {serial} est Reçu dans le travail {job}.",
  ago: "il y a {time}",
};

/** State names as the source document gives them in French; English keeps the API's names, spaced. */
const JOB_STATE_NAMES: Record<Lang, Record<string, string>> = {
  en: {
    Creating: "Creating",
    Shipping: "Shipping",
    Received: "Received",
    Transferring: "Transferring",
    Packaging: "Packaging",
    Completed: "Completed",
    Closed: "Closed",
    Canceled: "Canceled",
  },
  fr: {
    Creating: "Création",
    Shipping: "Expédition",
    Received: "Reçu",
    Transferring: "Transfert",
    Packaging: "Emballage",
    Completed: "Effectué",
    Closed: "Fermé",
    Canceled: "Annulé",
  },
};

const DRIVE_STATE_NAMES: Record<Lang, Record<string, string>> = {
  en: {
    Specified: "Specified",
    Received: "Received",
    NeverReceived: "Never received",
    Transferring: "Transferring",
    Completed: "Completed",
    CompletedMoreInfo: "Completed with more info",
    ShippedBack: "Shipped back",
  },
  fr: {
    Specified: "Spécifié",
    Received: "Reçu",
    NeverReceived: "Jamais reçu",
    Transferring: "Transfert",
    Completed: "Effectué",
    CompletedMoreInfo: "Terminé avec des informations",
    ShippedBack: "Renvoyé",
  },
};

/**
 * The API's refusals a portal user can meet, in French. In English the server's own sentence is shown:
 * it names the value and the rule, and is already meant for a person.
 */
const FRENCH_API_ERRORS: Record<string, string> = {
  InvalidJobName:
    "Nom de travail non valide : de 3 à 64 caractères parmi A-Z, a-z, 0-9, « - » et « _ », en commençant par une lettre ou un chiffre.",
  InvalidResourceGroupName:
    "Nom de groupe de ressources non valide : de 1 à 90 lettres, chiffres, « _ », « - », « . », « ( » ou « ) », sans point final.",
  InvalidDriveId:
    "Identifiant de disque non valide : le numéro de série sans espaces, de 1 à 64 caractères parmi A-Z, a-z, 0-9, « - », « _ » et « . ».",
  InvalidBitLockerKey: "Clé BitLocker non valide : 48 chiffres, en 8 groupes de 6 séparés par « - ».",
  InvalidStorageAccountId:
    "Compte de stockage non valide : donnez son nom (3 à 24 lettres minuscules et chiffres) ou son identifiant complet.",
  StorageAccountNotFound: "Ce compte de stockage n’est pas enregistré auprès du centre de données.",
  InvalidAddress: "Adresse de retour incomplète ou trop longue : vérifiez le champ signalé.",
  InvalidCarrier: "Ce transporteur n’est pas pris en charge à cet emplacement.",
  InvalidTrackingNumber: "Numéro de suivi non valide.",
  InvalidDriveList: "Liste de disques non valide : un travail d’importation en déclare de 1 à 10.",
  DuplicateDriveId: "Ce disque figure deux fois dans la liste.",
  TooManyDrives: "Trop de disques : 10 au plus par travail.",
  InvalidExport: "Liste d’objets blob à exporter non valide : donnez des chemins commençant par « / ».",
  ReturnAddressRequired: "Ajoutez d’abord une adresse de retour au travail.",
  DeliveryPackageRequired: "Indiquez le transporteur et le numéro de suivi du colis.",
  InvalidJobState: "L’état actuel du travail ne permet pas cette action.",
  PropertyChangeNotAllowed: "Ce champ ne peut plus être modifié dans l’état actuel du travail.",
  PackageNotFound: "Aucun travail n’attend ce colis (transporteur et numéro de suivi).",
  PackageAlreadyReceived: "Ce colis a déjà été réceptionné.",
  DriveNotFound: "Aucun disque « Jamais reçu » ne porte ce numéro de série.",
  LocationNotFound: "Emplacement inconnu.",
};

export type Lang = "en" | "fr";
const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { en, fr };
const LANG_KEY = "sneakernet.lang";

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  jobState(state: string): string;
  driveState(state: string): string;
  date(iso: string | undefined): string;
  number(value: number): string;
  percent(value: number | undefined): string;
  bytes(value: number | undefined): string;
  duration(ms: number): string;
  /** An API error code in this language, when the portal has its own words for it. */
  apiError(code: string): string | undefined;
}

/** The browser's language if it is French, else English; a choice made in the portal wins. */
function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === "en" || saved === "fr") {
      return saved;
    }
  } catch {
    // No storage: fall through to the browser's preference.
  }
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = tag.toLowerCase().slice(0, 2);
    if (base === "fr" || base === "en") {
      return base;
    }
  }
  return "en";
}

export function makeI18n(lang: Lang, setLang: (lang: Lang) => void): I18n {
  const dictionary = DICTIONARIES[lang];
  const locale = lang === "fr" ? "fr-FR" : "en-US";
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const numberFormat = new Intl.NumberFormat(locale);
  const percentFormat = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const t = (key: MessageKey, values: Record<string, string | number> = {}) =>
    dictionary[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in values ? String(values[name]) : whole,
    );
  // French writes bytes as octets: Go, Mo, ko.
  const units = lang === "fr" ? ["o", "ko", "Mo", "Go", "To", "Po"] : ["B", "KB", "MB", "GB", "TB", "PB"];
  return {
    lang,
    setLang,
    t,
    jobState: (state) => JOB_STATE_NAMES[lang][state] ?? state,
    driveState: (state) => DRIVE_STATE_NAMES[lang][state] ?? state,
    date: (iso) => {
      if (!iso) {
        return t("unknown");
      }
      const time = Date.parse(iso);
      return Number.isFinite(time) ? dateFormat.format(time) : iso;
    },
    number: (value) => numberFormat.format(value),
    percent: (value) => (value === undefined ? t("unknown") : percentFormat.format(value / 100)),
    bytes: (value) => {
      if (value === undefined) {
        return t("unknown");
      }
      let scaled = value;
      let unit = 0;
      while (scaled >= 1000 && unit < units.length - 1) {
        scaled /= 1000;
        unit++;
      }
      const digits = unit === 0 ? 0 : scaled < 10 ? 2 : 1;
      return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(scaled)} ${units[unit]}`;
    },
    apiError: (code) =>
      lang === "fr" && Object.hasOwn(FRENCH_API_ERRORS, code) ? FRENCH_API_ERRORS[code] : undefined,
    duration: (ms) => {
      const minutes = Math.max(0, Math.round(ms / 60_000));
      const [value, unit] =
        minutes >= 2 * 24 * 60
          ? [Math.floor(minutes / (24 * 60)), "day"]
          : minutes >= 120
            ? [Math.floor(minutes / 60), "hour"]
            : [minutes, "minute"];
      return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
    },
  };
}

const I18nContext = createContext<I18n>(makeI18n("en", () => {}));

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const value = useMemo(
    () =>
      makeI18n(lang, (next) => {
        try {
          localStorage.setItem(LANG_KEY, next);
        } catch {
          // The choice then lasts until reload only.
        }
        setLangState(next);
      }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang; // screen readers pronounce the page in its language
  }, [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

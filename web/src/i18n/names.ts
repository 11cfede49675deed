/**
 * @module Job and drive state names in each language: French as the source document gives them, English the
 * API's names, spaced.
 */

import type { DRIVE_STATES, JOB_STATES } from "../lifecycle";
import type { Lang } from "./format";

// Keyed by the state lists, so a state without a name in either language fails the type check.
type JobState = (typeof JOB_STATES)[number];
type DriveState = (typeof DRIVE_STATES)[number];

export const JOB_STATE_NAMES: Record<Lang, Record<JobState, string>> = {
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

export const DRIVE_STATE_NAMES: Record<Lang, Record<DriveState, string>> = {
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

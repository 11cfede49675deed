/**
 * @module Who is signed in, for the pages: the session App provides and the role checks. Kept out of App.tsx so
 * pages need not import the frame that imports them, and App.tsx exports components only (as Fast Refresh asks).
 */

import { createContext, useContext } from "react";

import type { WhoAmI } from "./api";

export interface Session {
  who: WhoAmI;
  signOut(): void;
}

/** Provided by App around the signed-in pages only: outside them there is no one to ask about. */
export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) {
    throw new Error("useSession outside a signed-in page");
  }
  return session;
}

/** Administrators see what operators see. */
export const isOperator = (who: Pick<WhoAmI, "role">) => who.role === "operator" || who.role === "admin";

/** @module The signed-in token: kept in sessionStorage, so it lasts as long as the browser tab and no longer. */

const KEY = "sneakernet.token";

export function sessionToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined; // Storage disabled: the user signs in again on each load.
  }
}

export function keepToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}

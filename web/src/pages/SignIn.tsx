/** @module Sign-in: one field labelled Token (Jeton), checked against the server before it is kept. */

import { type FormEvent, useState } from "react";

import { api, ApiError, type WhoAmI } from "../api";
import { Field } from "../components/ui";
import { useI18n } from "../i18n";

export function SignIn({ onSignedIn }: { onSignedIn: (token: string, who: WhoAmI) => void }) {
  const { t } = useI18n();
  const [token, setToken] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setError(t("signInEmpty"));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const who = await api.whoami(value);
      if (who.role === "station") {
        setError(t("signInStation"));
        return;
      }
      onSignedIn(value, who);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 0 ? t("errNetwork") : t("signInInvalid"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="signin">
      <h1>{t("signInTitle")}</h1>
      <form onSubmit={submit} noValidate>
        <Field label={t("tokenLabel")} help={t("tokenHint")} {...(error ? { error } : {})}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="token"
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              autoFocus
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {t("signInButton")}
        </button>
      </form>
      <div className="signin-help">
        <p>{t("signInIntro")}</p>
        <p>{t("signInHelpCustomer")}</p>
        <pre>
          <code>
            npx sneakernet token create --role customer --subscription 6f1d2a3b-0000-4000-8000-000000000001
          </code>
        </pre>
        <p>{t("signInHelpOperator")}</p>
        <pre>
          <code>npx sneakernet token create --role operator</code>
        </pre>
      </div>
    </section>
  );
}

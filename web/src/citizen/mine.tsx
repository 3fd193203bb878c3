import { useEffect, useState } from 'preact/hooks';
import { CITIZEN_PAGES } from '../../../shared/api/portal-paths';
import { api } from '../common/api';
import { currentLanguage, formatDate } from '../common/i18n';
import type { components } from '../generated/api';
import { TrackByCode } from './catalog';
import { forgetDossier, savedDossiers, type SavedDossier } from './saved-dossiers';
import { bearer, signInHere, useCitizenSession, type CitizenSession } from './session';
import { statusTag, statusText, t } from './text';
import { PrivacyLink } from './privacy';

type PublicStatus = components['schemas']['GetDossierStatusResponse200'];
type AccountDossier = components['schemas']['ListMyDossiersResponse200']['items'][number];

/**
 * `/cua-toi`: signed in, the citizen's own dossiers from the server (`GET /me/dossiers`, newest
 * first, a page at a time); and, signed in or not, the dossiers this device filed or opened (their
 * secrets kept here), each with its current status.
 */
export function MyDossiers() {
  const signIn = useCitizenSession();
  const [account, setAccount] = useState<readonly AccountDossier[]>([]);
  return (
    <>
      <h1>{t('mineTitle')}</h1>
      {!signIn.ready ? (
        <p role="status">{t('loading')}</p>
      ) : signIn.session ? (
        <AccountDossiers session={signIn.session} onLoaded={setAccount} />
      ) : signIn.config ? (
        <section class="notice" aria-labelledby="sign-in-title">
          <h2 id="sign-in-title">{t('mineAccountTitle')}</h2>
          <p>{t('mineSignInLead')}</p>
          <button type="button" class="button" onClick={() => signIn.config && void signInHere(signIn.config)}>
            {t('signInButton')}
          </button>
          <p>
            <PrivacyLink />
          </p>
        </section>
      ) : null}
      <DeviceDossiers except={account.map((dossier) => dossier.code)} />
      <TrackByCode />
    </>
  );
}

function AccountDossiers(props: { readonly session: CitizenSession; readonly onLoaded: (items: readonly AccountDossier[]) => void }) {
  const [items, setItems] = useState<readonly AccountDossier[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const load = async (after: string | null, previous: readonly AccountDossier[]) => {
    const { data } = await api.GET('/me/dossiers', { params: { query: after ? { cursor: after } : {} }, headers: bearer(props.session) });
    if (!data) return setFailed(true);
    const next = [...previous, ...data.items];
    setFailed(false);
    setItems(next);
    setCursor(data.nextCursor);
    props.onLoaded(next);
  };
  useEffect(() => void load(null, []), [props.session.idToken]);
  return (
    <section aria-labelledby="account-title">
      <h2 id="account-title">{t('mineAccountTitle')}</h2>
      {failed ? <p class="field__error">{t('mineAccountError')}</p> : null}
      {items === undefined ? (
        failed ? null : (
          <p role="status">{t('loading')}</p>
        )
      ) : items.length === 0 ? (
        <p>{t('mineAccountNone')}</p>
      ) : (
        <ul class="cards">
          {items.map((dossier) => (
            <li class="card" key={dossier.code}>
              <h3 class="card__title">
                <a href={CITIZEN_PAGES.dossier(dossier.code)}>{dossier.code}</a>
              </h3>
              <p>{dossier.procedureName}</p>
              <p class="muted">{t('mineSubmitted', { date: formatDate(dossier.submittedAt) })}</p>
              <p class={statusTag(dossier.status)}>{statusText(dossier.status, dossier.statusLabel, currentLanguage())}</p>
              {dossier.overdue ? <p class="tag tag--error">{t('overdue')}</p> : null}
            </li>
          ))}
        </ul>
      )}
      {cursor && items ? (
        <p>
          <button type="button" class="button button--secondary" onClick={() => void load(cursor, items)}>
            {t('mineMore')}
          </button>
        </p>
      ) : null}
    </section>
  );
}

function DeviceDossiers(props: { readonly except: readonly string[] }) {
  const [saved, setSaved] = useState<readonly SavedDossier[]>(() => savedDossiers());
  const [statuses, setStatuses] = useState<Readonly<Record<string, PublicStatus>>>({});
  useEffect(() => {
    for (const dossier of saved)
      void api.GET('/dossiers/{code}/status', { params: { path: { code: dossier.code } } }).then(({ data }) => {
        if (data) setStatuses((current) => ({ ...current, [dossier.code]: data }));
      });
  }, [saved]);
  const shown = saved.filter((dossier) => !props.except.includes(dossier.code));
  if (shown.length === 0 && saved.length > 0) return null;
  return (
    <section aria-labelledby="device-title">
      <h2 id="device-title">{t('mineDeviceTitle')}</h2>
      <p class="lead">{t('mineLead')}</p>
      {shown.length === 0 ? (
        <p>{t('mineNone')}</p>
      ) : (
        <ul class="cards">
          {shown.map((dossier) => {
            const status = statuses[dossier.code];
            return (
              <li class="card" key={dossier.code}>
                <h3 class="card__title">
                  <a href={CITIZEN_PAGES.dossier(dossier.code)}>{dossier.code}</a>
                </h3>
                <p>{status?.procedureName ?? dossier.procedureName}</p>
                {dossier.submittedAt ? <p class="muted">{t('mineSubmitted', { date: formatDate(dossier.submittedAt) })}</p> : null}
                {status ? <p class={statusTag(status.status)}>{statusText(status.status, status.statusLabel, currentLanguage())}</p> : null}
                <p>
                  <button
                    type="button"
                    class="link"
                    onClick={() => {
                      forgetDossier(dossier.code);
                      setSaved(savedDossiers());
                    }}
                  >
                    {t('mineForget')}
                    <span class="visually-hidden"> {dossier.code}</span>
                  </button>
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

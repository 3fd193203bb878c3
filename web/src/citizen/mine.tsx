import { useEffect, useState } from 'preact/hooks';
import { CITIZEN_PAGES } from '../../../shared/api/portal-paths';
import { api } from '../common/api';
import { currentLanguage, formatDate } from '../common/i18n';
import type { components } from '../generated/api';
import { TrackByCode } from './catalog';
import { forgetDossier, savedDossiers, type SavedDossier } from './saved-dossiers';
import { statusTag, statusText, t } from './text';

type PublicStatus = components['schemas']['GetDossierStatusResponse200'];

/** `/cua-toi`: the dossiers this device filed or opened (their secrets kept here), each with its current status. */
export function MyDossiers() {
  const [saved, setSaved] = useState<readonly SavedDossier[]>(() => savedDossiers());
  const [statuses, setStatuses] = useState<Readonly<Record<string, PublicStatus>>>({});
  useEffect(() => {
    for (const dossier of saved)
      void api.GET('/dossiers/{code}/status', { params: { path: { code: dossier.code } } }).then(({ data }) => {
        if (data) setStatuses((current) => ({ ...current, [dossier.code]: data }));
      });
  }, [saved]);
  return (
    <>
      <h1>{t('mineTitle')}</h1>
      <p class="lead">{t('mineLead')}</p>
      {saved.length === 0 ? (
        <p>{t('mineNone')}</p>
      ) : (
        <ul class="cards">
          {saved.map((dossier) => {
            const status = statuses[dossier.code];
            return (
              <li class="card" key={dossier.code}>
                <h2 class="card__title">
                  <a href={CITIZEN_PAGES.dossier(dossier.code)}>{dossier.code}</a>
                </h2>
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
      <TrackByCode />
    </>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { CITIZEN_PAGES } from '../../../shared/api/portal-paths';
import { portalConfig } from '../common/config';
import { navigate } from '../common/router';
import { t } from './text';

/** `/dang-nhap/xong`: the identity provider's redirect; checks its answer, keeps the session, goes back where the citizen was. */
export function SignInDone() {
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    void Promise.all([portalConfig(), import('../common/auth')])
      .then(([config, { completeSignIn }]) => completeSignIn(config.citizenSignIn))
      .then((returnTo) => navigate(returnTo, { replace: true }))
      .catch((error: unknown) => {
        console.error('sign-in', error);
        setFailed(true);
      });
  }, []);
  if (!failed) return <p role="status">{t('signingIn')}</p>;
  return (
    <>
      <h1>{t('signInFailedTitle')}</h1>
      <p>{t('signInFailed')}</p>
      <p>
        <a href={CITIZEN_PAGES.catalog}>{t('backToCatalog')}</a>
      </p>
    </>
  );
}

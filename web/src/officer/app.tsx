import { useEffect, useState } from 'preact/hooks';
import { OFFICER_CONSOLE_BASE, OFFICER_PAGES } from '../../../shared/api/portal-paths';
import type { PortalConfig } from '../../../shared/api/portal-config';
import type { OfficerRole } from '../../../shared/domain/status';
import { beginSignIn, completeSignIn } from '../common/auth';
import { portalConfig } from '../common/config';
import { currentLanguage, setLanguage } from '../common/i18n';
import { Layout, type NavLink } from '../common/layout';
import { interceptLinks, matchPath, navigate, useLocation } from '../common/router';
import { DossierPage } from './dossier';
import { IntakePage } from './intake';
import { KpiPage } from './kpis';
import { currentOfficer, endSession, useOfficerClient, type Officer } from './session';
import { t } from './texts';
import { WorklistPage } from './worklist';

/** Which roles use which page: the nav offers only those, and a page for other roles says so. */
const PAGE_ROLES = {
  intake: ['reception'],
  kpis: ['leader'],
} as const satisfies Record<string, readonly OfficerRole[]>;

const mayUse = (officer: Officer, roles: readonly OfficerRole[]) => officer.roles.some((role) => roles.includes(role));

/** The officer console: one page per path of OFFICER_PAGES, behind the officer's sign-in. */
export function App() {
  const [language, setLanguageState] = useState(currentLanguage());
  const location = useLocation();
  const [config, setConfig] = useState<PortalConfig | 'failed' | undefined>(undefined);
  const [officer, setOfficer] = useState<Officer | undefined>(undefined);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    setLanguage(currentLanguage());
    interceptLinks(document.body, (path) => path === OFFICER_CONSOLE_BASE || path.startsWith(`${OFFICER_CONSOLE_BASE}/`));
    portalConfig().then(
      (loaded) => {
        useOfficerClient(loaded.officerSignIn, () => {
          setOfficer(undefined);
          setExpired(true);
        });
        setOfficer(currentOfficer());
        setConfig(loaded);
      },
      () => setConfig('failed'),
    );
  }, []);

  useEffect(() => {
    document.title = `${t('consoleTitle')}`;
  }, [language]);

  const nav: NavLink[] =
    officer === undefined
      ? []
      : [
          { href: OFFICER_PAGES.worklists, label: t('navWorklists') },
          ...(mayUse(officer, PAGE_ROLES.intake) ? [{ href: OFFICER_PAGES.counterIntake, label: t('navIntake') }] : []),
          ...(mayUse(officer, PAGE_ROLES.kpis) ? [{ href: OFFICER_PAGES.kpis, label: t('navKpis') }] : []),
        ];

  return (
    <Layout title={t('consoleTitle')} homeHref={OFFICER_PAGES.worklists} nav={nav} skipLabel={t('skip')} footer={<p>{t('footer')}</p>} onLanguage={setLanguageState}>
      {officer && (
        <p class="officer-bar">
          <span>{t('signedInAs', { name: officer.name, roles: officer.roles.map(roleText).join(', ') })}</span>{' '}
          <button
            type="button"
            class="link"
            onClick={() => {
              endSession();
              setOfficer(undefined);
              setExpired(false);
            }}
          >
            {t('signOut')}
          </button>
        </p>
      )}
      {config === undefined ? (
        <p role="status">{t('loading')}</p>
      ) : config === 'failed' ? (
        <Failure title={t('signInTitle')} message={t('configFailed')} />
      ) : location.pathname === OFFICER_PAGES.signInDone ? (
        <SignInDone config={config} onSignedIn={() => setOfficer(currentOfficer())} />
      ) : officer === undefined ? (
        <SignIn config={config} expired={expired} />
      ) : (
        <Page officer={officer} path={location.pathname} search={location.search} key={language} />
      )}
    </Layout>
  );
}

const roleText = (role: OfficerRole) => t(role === 'reception' ? 'roleReception' : role === 'specialist' ? 'roleSpecialist' : 'roleLeader');

/** `/can-bo/ho-so/:code`, from the one definition of the path (which encodes its argument). */
const DOSSIER_PATTERN = decodeURIComponent(OFFICER_PAGES.dossier(':code'));

function Page(props: { officer: Officer; path: string; search: string }) {
  const { officer, path } = props;
  if (path === OFFICER_PAGES.worklists || path === OFFICER_CONSOLE_BASE) return <WorklistPage search={props.search} />;
  const dossier = matchPath(DOSSIER_PATTERN, path);
  if (dossier?.code !== undefined) return <DossierPage code={dossier.code} officer={officer} search={props.search} />;
  if (path === OFFICER_PAGES.counterIntake) return mayUse(officer, PAGE_ROLES.intake) ? <IntakePage /> : <Forbidden />;
  if (path === OFFICER_PAGES.kpis) return mayUse(officer, PAGE_ROLES.kpis) ? <KpiPage search={props.search} /> : <Forbidden />;
  return (
    <>
      <h1>{t('notFoundTitle')}</h1>
      <p>{t('notFoundBody')}</p>
      <p>
        <a href={OFFICER_PAGES.worklists}>{t('backToWorklist')}</a>
      </p>
    </>
  );
}

function Forbidden() {
  return (
    <>
      <h1>{t('forbiddenTitle')}</h1>
      <p>{t('forbiddenBody')}</p>
      <p>
        <a href={OFFICER_PAGES.worklists}>{t('backToWorklist')}</a>
      </p>
    </>
  );
}

function Failure(props: { title: string; message: string }) {
  return (
    <>
      <h1>{props.title}</h1>
      <div class="error-summary" role="alert">
        <p>{props.message}</p>
      </div>
    </>
  );
}

function SignIn(props: { config: PortalConfig; expired: boolean }) {
  return (
    <>
      <h1>{t('signInTitle')}</h1>
      {props.expired && (
        <div class="notice" role="status">
          {t('signInExpired')}
        </div>
      )}
      <p class="lead">{t('signInLead')}</p>
      <button type="button" class="button" onClick={() => void beginSignIn(props.config.officerSignIn, `${location.pathname}${location.search}`)}>
        {t('signInButton')}
      </button>
    </>
  );
}

function SignInDone(props: { config: PortalConfig; onSignedIn: () => void }) {
  const [failed, setFailed] = useState<string | undefined>(undefined);
  useEffect(() => {
    completeSignIn(props.config.officerSignIn).then(
      (returnTo) => {
        props.onSignedIn();
        navigate(returnTo.startsWith(OFFICER_CONSOLE_BASE) ? returnTo : OFFICER_PAGES.worklists, { replace: true });
      },
      (error: unknown) => setFailed(error instanceof Error ? error.message : String(error)),
    );
  }, []);
  if (failed === undefined) return <p role="status">{t('signInCompleting')}</p>;
  return (
    <>
      <h1>{t('signInTitle')}</h1>
      <div class="error-summary" role="alert">
        <p>{t('signInFailed')}</p>
        {/* What the provider or the check said, for the ward's technical support. */}
        <p class="muted">{failed}</p>
      </div>
      <button type="button" class="button" onClick={() => void beginSignIn(props.config.officerSignIn, OFFICER_PAGES.worklists)}>
        {t('signInButton')}
      </button>
    </>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { CITIZEN_PAGES, PAGE_PREFIXES } from '../../../shared/api/portal-paths';
import { currentLanguage, setLanguage } from '../common/i18n';
import { Layout } from '../common/layout';
import { interceptLinks, matchPath, useLocation } from '../common/router';
import { Catalog } from './catalog';
import { DossierPage } from './dossier';
import { FileDossier } from './file-dossier';
import { MyDossiers } from './mine';
import { NotFound } from './not-found';
import { ProcedurePage } from './procedure';
import { PrivacyLink, PrivacyNotice } from './privacy';
import { privacyNotice } from './privacy-text';
import { SignInDone } from './sign-in-done';
import { t } from './text';

/** The citizen portal: one page per path of CITIZEN_PAGES, read from the real URL (deep links survive a reload). */
export function App() {
  const [language, setLanguageState] = useState(currentLanguage());
  const location = useLocation();
  useEffect(() => {
    setLanguage(currentLanguage());
    interceptLinks(document.body, (path) => path === '/' || PAGE_PREFIXES.some((prefix) => path.startsWith(prefix)));
  }, []);
  const page = route(location);
  useEffect(() => {
    document.title = `${page.title} · ${t('siteTitle')}`;
  }, [page.title, language]);
  return (
    <Layout
      title={t('siteTitle')}
      homeHref={CITIZEN_PAGES.catalog}
      nav={[
        { href: CITIZEN_PAGES.catalog, label: t('navCatalog') },
        { href: CITIZEN_PAGES.myDossiers, label: t('navMine') },
      ]}
      skipLabel={t('skip')}
      footer={
        <>
          <p>{t('footer')}</p>
          <p>
            <PrivacyLink />
          </p>
        </>
      }
      onLanguage={setLanguageState}
    >
      <div key={`${location.pathname}|${language}`}>{page.body}</div>
    </Layout>
  );
}

function route(location: URL): { readonly title: string; readonly body: preact.ComponentChildren } {
  const path = location.pathname;
  if (path === CITIZEN_PAGES.catalog) return { title: t('catalogTitle'), body: <Catalog /> };
  const procedure = matchPath('/thu-tuc/:code', path);
  if (procedure?.code) return { title: procedure.code, body: <ProcedurePage code={procedure.code} /> };
  const filing = matchPath('/nop/:code', path);
  if (filing?.code) return { title: t('startFiling'), body: <FileDossier code={filing.code} step={location.searchParams.get('buoc')} /> };
  const dossier = matchPath('/ho-so/:code', path);
  if (dossier?.code) return { title: t('dossierTitle', { code: dossier.code }), body: <DossierPage code={dossier.code} search={location.searchParams} /> };
  if (path === CITIZEN_PAGES.signInDone) return { title: t('signingIn'), body: <SignInDone /> };
  if (matchPath(CITIZEN_PAGES.myDossiers, path)) return { title: t('mineTitle'), body: <MyDossiers /> };
  if (path === CITIZEN_PAGES.privacy) return { title: privacyNotice().title, body: <PrivacyNotice /> };
  return { title: t('notFoundTitle'), body: <NotFound /> };
}

import { useEffect, useState } from 'preact/hooks';
import { PAGE_PREFIXES } from '../../../shared/api/portal-paths';
import { api } from '../common/api';
import { currentLanguage, setLanguage } from '../common/i18n';
import { Layout } from '../common/layout';
import { interceptLinks, useLocation } from '../common/router';

type ProcedureSummary = NonNullable<Awaited<ReturnType<typeof listProcedures>>['data']>['items'][number];
const listProcedures = () => api.GET('/procedures');

/** The citizen portal: one page per path of CITIZEN_PAGES. */
export function App() {
  const [, setLanguageState] = useState(currentLanguage());
  const location = useLocation();
  useEffect(() => {
    setLanguage(currentLanguage());
    interceptLinks(document.body, (path) => path === '/' || PAGE_PREFIXES.some((prefix) => path.startsWith(prefix)));
  }, []);
  return (
    <Layout title="Dịch vụ công một cửa" homeHref="/" nav={[]} skipLabel="Bỏ qua, đến nội dung chính" footer={<p>Một Cửa Số</p>} onLanguage={setLanguageState}>
      {location.pathname === '/' ? <Catalog /> : <p>404</p>}
    </Layout>
  );
}

function Catalog() {
  const [items, setItems] = useState<readonly ProcedureSummary[]>([]);
  useEffect(() => {
    void listProcedures().then(({ data }) => setItems(data?.items ?? []));
  }, []);
  return (
    <>
      <h1>Thủ tục hành chính</h1>
      <ul>
        {items.map((item) => (
          <li key={item.code}>{item.name}</li>
        ))}
      </ul>
    </>
  );
}

import { useState } from 'preact/hooks';
import { OFFICER_PAGES } from '../../../shared/api/portal-paths';
import { currentLanguage } from '../common/i18n';
import { Layout } from '../common/layout';

/** The officer console: one page per path of OFFICER_PAGES. */
export function App() {
  const [, setLanguageState] = useState(currentLanguage());
  return (
    <Layout title="Một cửa: cán bộ" homeHref={OFFICER_PAGES.worklists} nav={[]} skipLabel="Bỏ qua, đến nội dung chính" footer={<p>Một Cửa Số</p>} onLanguage={setLanguageState}>
      <h1>Danh sách hồ sơ</h1>
    </Layout>
  );
}

import { CITIZEN_PAGES } from '../../../shared/api/portal-paths';
import { t } from './text';

export function NotFound() {
  return (
    <>
      <h1>{t('notFoundTitle')}</h1>
      <p>{t('notFoundBody')}</p>
      <p>
        <a href={CITIZEN_PAGES.catalog}>{t('backToCatalog')}</a>
      </p>
    </>
  );
}

import { useEffect, useMemo, useState } from 'preact/hooks';
import { CITIZEN_PAGES } from '../../../shared/api/portal-paths';
import { api } from '../common/api';
import { ErrorSummary, Select, TextInput, type FieldError } from '../common/forms';
import { formatVnd } from '../common/i18n';
import { navigate } from '../common/router';
import type { components } from '../generated/api';
import { t } from './text';

type ProcedureSummary = components['schemas']['ListProceduresResponse200']['items'][number];

/** Lower case, without Vietnamese marks, so that "khai sinh" finds "Đăng ký khai sinh" and "ket hon" finds "kết hôn". */
export const folded = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

export const timeLimitText = (days: number) => (days === 0 ? t('sameDay') : t('workingDays', { n: days }));
export const feeText = (vnd: number) => (vnd === 0 ? t('free') : formatVnd(vnd));

/** `/`: the published catalog, searched by words (with or without marks) and filtered by field; the query stays in the URL. */
export function Catalog() {
  const [items, setItems] = useState<readonly ProcedureSummary[]>();
  const [failed, setFailed] = useState(false);
  const params = new URLSearchParams(location.search);
  const [query, setQuery] = useState(params.get('q') ?? '');
  const [field, setField] = useState(params.get('linh-vuc') ?? '');
  useEffect(() => {
    void api.GET('/procedures').then(({ data }) => (data ? setItems(data.items) : setFailed(true)));
  }, []);
  useEffect(() => {
    const next = new URLSearchParams();
    if (query) next.set('q', query);
    if (field) next.set('linh-vuc', field);
    const search = next.toString();
    history.replaceState(null, '', search ? `/?${search}` : '/');
  }, [query, field]);
  const fields = useMemo(() => [...new Set((items ?? []).map((item) => item.field))], [items]);
  const shown = useMemo(() => {
    const words = folded(query).split(/\s+/).filter(Boolean);
    return (items ?? []).filter((item) => (field === '' || item.field === field) && words.every((word) => folded(`${item.name} ${item.code} ${item.field}`).includes(word)));
  }, [items, query, field]);
  return (
    <>
      <h1>{t('catalogTitle')}</h1>
      <p class="lead">{t('catalogLead')}</p>
      <form role="search" onSubmit={(event) => event.preventDefault()}>
        <TextInput id="tim" type="search" label={t('search')} hint={t('searchHint')} value={query} onInput={setQuery} />
        <Select
          id="linh-vuc"
          label={t('field')}
          value={field}
          onChange={setField}
          options={[{ value: '', label: t('allFields') }, ...fields.map((name) => ({ value: name, label: name }))]}
        />
      </form>
      {failed ? <p class="notice">{t('serviceError')}</p> : null}
      <p role="status" class="muted">
        {items === undefined ? t('loading') : shown.length === 0 ? t('noneFound') : t('found', { n: shown.length })}
      </p>
      <ul class="cards">
        {shown.map((item) => (
          <li class="card" key={item.code}>
            <h2 class="card__title">
              <a href={CITIZEN_PAGES.procedure(item.code)}>{item.name}</a>
            </h2>
            <p class="muted">
              {item.field} · {item.code}
            </p>
            <dl class="facts">
              <dt>{t('timeLimit')}</dt>
              <dd>{timeLimitText(item.timeLimitDays)}</dd>
              <dt>{t('fee')}</dt>
              <dd>{feeText(item.feeVnd)}</dd>
            </dl>
            <span class={item.onlineLevel === 'FULL' ? 'tag tag--done' : 'tag'}>{item.onlineLevel === 'FULL' ? t('onlineFull') : t('onlinePartial')}</span>
          </li>
        ))}
      </ul>
      <TrackByCode />
    </>
  );
}

/** "Track a dossier": the code printed on the receipt and in every SMS opens its tracking page. */
export function TrackByCode() {
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  return (
    <section aria-labelledby="track-title">
      <h2 id="track-title">{t('trackTitle')}</h2>
      <ErrorSummary title={t('errorTitle')} errors={errors} />
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const trimmed = code.trim();
          if (trimmed === '') setErrors([{ field: 'ma-ho-so', message: t('trackCodeMissing') }]);
          else navigate(CITIZEN_PAGES.dossier(trimmed));
        }}
      >
        <TextInput id="ma-ho-so" label={t('trackCode')} hint={t('trackHint')} value={code} onInput={setCode} error={errors[0]?.message} autoComplete="off" />
        <button type="submit" class="button button--secondary">
          {t('trackButton')}
        </button>
      </form>
    </section>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { OFFICER_PAGES } from '../../../shared/api/portal-paths';
import { DOSSIER_STATUSES, NATIONAL_STATUS } from '../../../shared/domain/status';
import type { paths } from '../generated/api';
import { isProblem, type Problem } from '../common/api';
import { ErrorSummary, Select, TextInput } from '../common/forms';
import { currentLanguage, formatDate } from '../common/i18n';
import { navigate } from '../common/router';
import { TableRegion } from '../common/table-region';
import { officerApi } from './session';
import { statusText, t, type TextKey } from './texts';

type WorklistQuery = NonNullable<paths['/officer/dossiers']['get']['parameters']['query']>;
type WorklistItem = NonNullable<Awaited<ReturnType<typeof listDossiers>>['data']>['items'][number];
const listDossiers = (query: WorklistQuery) => officerApi.GET('/officer/dossiers', { params: { query } });

/** The due filter as the console offers it: the API's `due` windows, or `overdue=true`. */
const DUE_CHOICES = ['', 'today', 'week', 'overdue'] as const;
type DueChoice = (typeof DUE_CHOICES)[number];
const DUE_LABELS: Readonly<Record<DueChoice, TextKey>> = { '': 'dueAll', today: 'dueToday', week: 'dueWeek', overdue: 'dueOverdue' };

/** The page's state lives in its address (`?status=…&due=…`, `?q=…`): a worklist survives a reload and can be bookmarked. */
interface Filters {
  readonly q: string;
  readonly status: string;
  readonly due: DueChoice;
  readonly cursor: string;
}

function filtersOf(search: string): Filters {
  const params = new URLSearchParams(search);
  const due = params.get('due') ?? '';
  return {
    q: params.get('q') ?? '',
    status: (DOSSIER_STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') ?? '') : '',
    due: (DUE_CHOICES as readonly string[]).includes(due) ? (due as DueChoice) : '',
    cursor: params.get('cursor') ?? '',
  };
}

function addressOf(filters: Partial<Filters>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  const query = params.toString();
  return query ? `${OFFICER_PAGES.worklists}?${query}` : OFFICER_PAGES.worklists;
}

function queryOf(filters: Filters): WorklistQuery {
  const page = filters.cursor ? { cursor: filters.cursor } : {};
  if (filters.q) return { q: filters.q, limit: 25, ...page };
  return {
    limit: 25,
    ...page,
    ...(filters.status ? { status: filters.status as WorklistQuery['status'] } : {}),
    ...(filters.due === 'overdue' ? { overdue: 'true' as const } : filters.due ? { due: filters.due } : {}),
  };
}

export function WorklistPage(props: { search: string }) {
  const filters = filtersOf(props.search);
  const [q, setQ] = useState(filters.q);
  const [status, setStatus] = useState(filters.status);
  const [due, setDue] = useState<DueChoice>(filters.due);
  const [page, setPage] = useState<{ items: readonly WorklistItem[]; nextCursor: string | null } | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | 'failed' | undefined>(undefined);

  useEffect(() => {
    setQ(filters.q);
    setStatus(filters.status);
    setDue(filters.due);
    setPage(undefined);
    setProblem(undefined);
    listDossiers(queryOf(filters)).then(
      ({ data, error }) => {
        if (data !== undefined) setPage(data);
        else setProblem(isProblem(error) ? error : 'failed');
      },
      () => setProblem('failed'),
    );
  }, [props.search]);

  const language = currentLanguage();
  const statusOptions = [{ value: '', label: t('statusAll') }, ...DOSSIER_STATUSES.map((value) => ({ value, label: statusText(value, NATIONAL_STATUS[value].label, language) }))];
  const searchError = isProblem(problem) ? problem.errors?.find((error) => error.path === 'query.q')?.message : undefined;

  return (
    <>
      <h1>{filters.q ? t('searchResults', { q: filters.q }) : t('worklistTitle')}</h1>
      <ErrorSummary title={t('errorSummaryTitle')} errors={searchError ? [{ field: 'q', message: searchError }] : []} />
      <nav aria-label={t('quickFilters')} class="quick-filters">
        <ul>
          <li>
            <a href={addressOf({ status: 'SUBMITTED' })}>{statusText('SUBMITTED', NATIONAL_STATUS.SUBMITTED.label, language)}</a>
          </li>
          <li>
            <a href={addressOf({ status: 'IN_PROGRESS' })}>{statusText('IN_PROGRESS', NATIONAL_STATUS.IN_PROGRESS.label, language)}</a>
          </li>
          <li>
            <a href={addressOf({ due: 'today' })}>{t('dueToday')}</a>
          </li>
          <li>
            <a href={addressOf({ due: 'overdue' })}>{t('dueOverdue')}</a>
          </li>
        </ul>
      </nav>
      <div class="filters">
        <form
          role="search"
          autoComplete="off"
          class="filters__search"
          onSubmit={(event) => {
            event.preventDefault();
            navigate(addressOf({ q: q.trim() }));
          }}
        >
          <TextInput id="q" type="search" label={t('searchLabel')} hint={t('searchHint')} value={q} onInput={setQ} error={searchError} maxLength={100} />
          <button type="submit" class="button">
            {t('search')}
          </button>
        </form>
        <form
          aria-label={t('filterTitle')}
          class="filters__form"
          onSubmit={(event) => {
            event.preventDefault();
            navigate(addressOf({ status, due }));
          }}
        >
          <Select id="status" label={t('statusLabel')} value={status} onChange={setStatus} options={statusOptions} />
          <Select
            id="due"
            label={t('dueLabel')}
            value={due}
            onChange={(value) => setDue(value as DueChoice)}
            options={DUE_CHOICES.map((value) => ({ value, label: t(DUE_LABELS[value]) }))}
          />
          <div class="button-group">
            <button type="submit" class="button">
              {t('applyFilter')}
            </button>
            {(filters.q || filters.status || filters.due) && <a href={OFFICER_PAGES.worklists}>{t('clearFilter')}</a>}
          </div>
        </form>
      </div>
      {problem !== undefined && !searchError ? (
        <div class="error-summary" role="alert">
          <p>{isProblem(problem) ? problem.detail : t('loadFailed')}</p>
        </div>
      ) : page === undefined ? (
        problem === undefined && <p role="status">{t('loading')}</p>
      ) : (
        <Results items={page.items} nextCursor={page.nextCursor} filters={filters} />
      )}
    </>
  );
}

function Results(props: { items: readonly WorklistItem[]; nextCursor: string | null; filters: Filters }) {
  const language = currentLanguage();
  if (props.items.length === 0) return <p role="status">{t('worklistEmpty')}</p>;
  return (
    <>
      <p role="status" class="muted">
        {t('worklistCount', { n: props.items.length })}
      </p>
      <TableRegion label={t('worklistTitle')}>
        <table class="table">
          <caption class="visually-hidden">{t('worklistTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colCode')}</th>
              <th scope="col">{t('colApplicant')}</th>
              <th scope="col">{t('colProcedure')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col">{t('colAppointment')}</th>
              <th scope="col">{t('colChannel')}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((item) => (
              <tr key={item.code}>
                <td>
                  <a href={OFFICER_PAGES.dossier(item.code)}>{item.code}</a>
                </td>
                <td>{item.applicantName}</td>
                <td>{item.procedureName}</td>
                <td>
                  <StatusTag status={item.status} label={statusText(item.status, item.statusLabel, language)} />
                </td>
                <td>
                  {item.appointmentAt ? formatDate(item.appointmentAt) : '–'} {item.overdue && <span class="tag tag--error">{t('overdueTag')}</span>}
                </td>
                <td>{channelText(item.channel)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      <nav class="button-group" aria-label={t('nextPage')}>
        {props.filters.cursor && <a href={addressOf({ ...props.filters, cursor: '' })}>{t('firstPage')}</a>}
        {props.nextCursor && <a href={addressOf({ ...props.filters, cursor: props.nextCursor })}>{t('nextPage')}</a>}
      </nav>
    </>
  );
}

export const channelText = (channel: string): string => (channel === 'ONLINE' || channel === 'COUNTER' || channel === 'POSTAL' ? t(`channel${channel}`) : channel);

const DONE: ReadonlySet<string> = new Set(['RESOLVED', 'RETURNED']);
const STOPPED: ReadonlySet<string> = new Set(['NOT_RECEIVED', 'STOPPED']);
const WAITING: ReadonlySet<string> = new Set(['SUPPLEMENT_REQUESTED', 'PAYMENT_REQUESTED', 'WITHDRAWAL_REQUESTED']);

export function StatusTag(props: { status: string; label: string }) {
  const variant = DONE.has(props.status) ? ' tag--done' : STOPPED.has(props.status) ? ' tag--error' : WAITING.has(props.status) ? ' tag--warning' : '';
  return <strong class={`tag${variant}`}>{props.label}</strong>;
}

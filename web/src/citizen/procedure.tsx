import { useEffect, useState } from 'preact/hooks';
import { CITIZEN_PAGES } from '../../../shared/api/portal-paths';
import { api } from '../common/api';
import { formatDate } from '../common/i18n';
import type { components } from '../generated/api';
import { feeText, timeLimitText } from './catalog';
import { NotFound } from './not-found';
import { t } from './text';

export type Procedure = components['schemas']['GetProcedureResponse200'];
type Document = Procedure['documents'][number];

/** The procedure document of `GET /procedures/{code}`, loaded once per code; null when there is none. */
export function useProcedure(code: string): Procedure | null | undefined {
  const [procedure, setProcedure] = useState<Procedure | null>();
  useEffect(() => {
    setProcedure(undefined);
    void api.GET('/procedures/{procedureCode}', { params: { path: { procedureCode: code } } }).then(({ data }) => setProcedure(data ?? null));
  }, [code]);
  return procedure;
}

export const documentFormText = (form: string) => (form === 'ORIGINAL' ? t('original') : form === 'COPY' ? t('copy') : t('originalOrCopy'));

/** `/thu-tuc/<code>`: what the procedure needs and costs, how long it takes, and the appointment a dossier filed now would get. */
export function ProcedurePage(props: { readonly code: string }) {
  const procedure = useProcedure(props.code);
  const [appointment, setAppointment] = useState<string>();
  useEffect(() => {
    void api.GET('/procedures/{procedureCode}/appointment', { params: { path: { procedureCode: props.code }, query: {} } }).then(({ data }) => setAppointment(data?.appointmentAt));
  }, [props.code]);
  if (procedure === undefined) return <p role="status">{t('loading')}</p>;
  if (procedure === null) return <NotFound />;
  return (
    <>
      <p class="muted">
        {procedure.field} · {procedure.code}
      </p>
      <h1>{procedure.name}</h1>
      <dl class="summary">
        <dt>{t('timeLimit')}</dt>
        <dd>{timeLimitText(procedure.timeLimitDays)}</dd>
        <dt>{t('fee')}</dt>
        <dd>
          {feeText(procedure.feeVnd)}
          {procedure.feeNote ? <span class="hint-block">{procedure.feeNote}</span> : null}
        </dd>
        <dt>{t('result')}</dt>
        <dd>{procedure.resultType}</dd>
        <dt>{t('onlineLevel')}</dt>
        <dd>{procedure.onlineLevel === 'FULL' ? t('onlineFull') : t('onlinePartial')}</dd>
      </dl>
      {appointment ? (
        <div class="notice" role="status">
          <p>
            <strong>{t('appointmentNow', { date: formatDate(appointment) })}</strong>
          </p>
          <p class="muted">{t('appointmentNote')}</p>
        </div>
      ) : null}
      <h2>{t('documents')}</h2>
      <ul class="documents">
        {procedure.documents.map((document) => (
          <DocumentItem key={document.id} document={document} />
        ))}
      </ul>
      <div class="button-group">
        <a class="button button--start" href={CITIZEN_PAGES.file(procedure.code)}>
          {t('startFiling')}
        </a>
      </div>
      <h2>{t('legalBasis')}</h2>
      <ul>
        {procedure.legalBasis.map((basis) => (
          <li key={basis}>{basis}</li>
        ))}
      </ul>
    </>
  );
}

function DocumentItem(props: { readonly document: Document }) {
  const { document } = props;
  return (
    <li>
      <strong>{document.name}</strong>
      <br />
      <span class={document.required ? 'tag tag--warning' : 'tag'}>{document.required ? t('requiredDoc') : t('optionalDoc')}</span>{' '}
      <span class="muted">
        {documentFormText(document.form)}, {t('quantity', { n: document.quantity })}
        {document.condition ? `. ${document.condition}` : ''}
      </span>
    </li>
  );
}

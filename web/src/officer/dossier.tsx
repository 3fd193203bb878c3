import { useEffect, useState } from 'preact/hooks';
import { OFFICER_PAGES } from '../../../shared/api/portal-paths';
import { NATIONAL_STATUS, type DossierStatus } from '../../../shared/domain/status';
import type { components } from '../generated/api';
import { api, isProblem } from '../common/api';
import { currentLanguage, formatDate, formatDateTime, formatVnd } from '../common/i18n';
import { navigate } from '../common/router';
import { ActionForm, type ConsoleAction, type OfficerDossier } from './actions';
import { TableRegion } from '../common/table-region';
import { officerApi, type Officer } from './session';
import { actionText, statusText, t, type TextKey } from './texts';
import { StatusTag, channelText } from './worklist';

type Procedure = components['schemas']['GetProcedureResponse200'];

/** The action being taken is part of the address (`?thao-tac=transfer`): one thing per page, and Back leaves the form. */
const ACTION_PARAM = 'thao-tac';

/** What the last action said, shown once on the dossier it changed. */
let flash: { code: string; message: string } | undefined;

export function DossierPage(props: { code: string; officer: Officer; search: string }) {
  const [dossier, setDossier] = useState<OfficerDossier | undefined>(undefined);
  const [procedure, setProcedure] = useState<Procedure | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const chosen = new URLSearchParams(props.search).get(ACTION_PARAM) ?? undefined;

  const load = async (): Promise<void> => {
    const { data, error } = await officerApi.GET('/officer/dossiers/{code}', { params: { path: { code: props.code } } });
    if (data === undefined) {
      setFailure(isProblem(error) ? error.detail : t('loadFailed'));
      return;
    }
    setFailure(undefined);
    setDossier(data);
    if (procedure?.code !== data.procedure.code) {
      const found = await api.GET('/procedures/{procedureCode}', { params: { path: { procedureCode: data.procedure.code } } });
      if (found.data !== undefined) setProcedure(found.data);
    }
  };

  useEffect(() => {
    if (flash?.code === props.code) {
      setMessage(flash.message);
      flash = undefined;
    } else setMessage(undefined);
    void load().catch(() => setFailure(t('loadFailed')));
  }, [props.code, props.search]);

  useEffect(() => {
    document.title = `${t('dossierTitle', { code: props.code })} – ${t('consoleTitle')}`;
  }, [props.code]);

  if (failure !== undefined) {
    return (
      <>
        <h1>{t('dossierTitle', { code: props.code })}</h1>
        <div class="error-summary" role="alert">
          <p>{failure}</p>
        </div>
        <p>
          <a href={OFFICER_PAGES.worklists}>{t('backToWorklist')}</a>
        </p>
      </>
    );
  }
  if (dossier === undefined) return <p role="status">{t('loading')}</p>;

  const action = chosen !== undefined && (dossier.allowedActions as readonly string[]).includes(chosen) ? (chosen as ConsoleAction) : undefined;
  const here = OFFICER_PAGES.dossier(dossier.code);
  if (action !== undefined) {
    return (
      <>
        <p>
          <a href={here}>{t('dossierTitle', { code: dossier.code })}</a>
        </p>
        <p class="muted">
          {dossier.procedure.name} · {dossier.applicant.fullName} · <StatusTag status={dossier.status} label={statusText(dossier.status, dossier.statusLabel, currentLanguage())} />
        </p>
        <ActionForm
          key={action}
          action={action}
          dossier={dossier}
          procedure={procedure}
          onReload={load}
          onCancel={() => navigate(here)}
          onDone={(outcome) => {
            if (outcome.kind === 'done') flash = { code: dossier.code, message: outcome.message };
            navigate(here);
          }}
        />
      </>
    );
  }
  return <DossierView dossier={dossier} procedure={procedure} message={message} />;
}

function DossierView(props: { dossier: OfficerDossier; procedure: Procedure | undefined; message: string | undefined }) {
  const { dossier, procedure } = props;
  const language = currentLanguage();
  const fieldLabel = (name: string) => procedure?.formFields.find((field) => field.name === name)?.label ?? name;
  const documentName = (id: string) => procedure?.documents.find((document) => document.id === id)?.name ?? id;
  const here = OFFICER_PAGES.dossier(dossier.code);
  return (
    <>
      <p>
        <a href={OFFICER_PAGES.worklists}>{t('backToWorklist')}</a>
      </p>
      {props.message && (
        <div class="notice notice--success" role="status" tabIndex={-1} ref={(element) => element?.focus()}>
          {props.message}
        </div>
      )}
      <h1>
        {t('dossierTitle', { code: dossier.code })} <StatusTag status={dossier.status} label={statusText(dossier.status, dossier.statusLabel, language)} />{' '}
        {dossier.overdue && <span class="tag tag--error">{t('overdueTag')}</span>}
      </h1>

      <section aria-labelledby="actions-title" class="actions-panel">
        <h2 id="actions-title">{t('sectionActions')}</h2>
        {dossier.allowedActions.length === 0 ? (
          <p>{t('noActions')}</p>
        ) : (
          <ul class="action-list">
            {dossier.allowedActions.map((action) => (
              <li key={action}>
                <a
                  class={action === 'refuse' || action === 'refuse-intake' || action === 'cancel-result' ? 'button button--warning' : 'button'}
                  href={`${here}?${ACTION_PARAM}=${action}`}
                >
                  {actionText(action)}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>

      <h2>{t('sectionSummary')}</h2>
      <dl class="summary">
        <dt>{t('procedure')}</dt>
        <dd>
          {dossier.procedure.name} ({dossier.procedure.code})
        </dd>
        <dt>{t('channel')}</dt>
        <dd>{channelText(dossier.channel)}</dd>
        <dt>{t('submittedAt')}</dt>
        <dd>{formatDateTime(dossier.submittedAt)}</dd>
        <dt>{t('receivedAt')}</dt>
        <dd>{dossier.receivedAt ? formatDateTime(dossier.receivedAt) : '–'}</dd>
        <dt>{t('appointmentAt')}</dt>
        <dd>{dossier.appointmentAt ? formatDate(dossier.appointmentAt) : '–'}</dd>
        {dossier.firstAppointmentAt && dossier.firstAppointmentAt !== dossier.appointmentAt && (
          <>
            <dt>{t('firstAppointmentAt')}</dt>
            <dd>{formatDate(dossier.firstAppointmentAt)}</dd>
          </>
        )}
        <dt>{t('fee')}</dt>
        <dd>{formatVnd(dossier.procedure.feeVnd)}</dd>
      </dl>

      {dossier.pending && (
        <>
          <h2>{t('sectionPending')}</h2>
          <div class="notice">
            <p>
              {actionText(dossier.pending.kind === 'PAYMENT' ? 'request-payment' : dossier.pending.kind === 'COMPLETION' ? 'request-completion' : 'request-supplement')} ·{' '}
              {formatDateTime(dossier.pending.requestedAt)}
            </p>
            {dossier.pending.items.length > 0 && (
              <ul>
                {dossier.pending.items.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            )}
            {dossier.pending.amountVnd !== null && <p>{formatVnd(dossier.pending.amountVnd)}</p>}
            {dossier.pending.note && <p>{dossier.pending.note}</p>}
          </div>
        </>
      )}

      {dossier.result && (
        <>
          <h2>{t('sectionResult')}</h2>
          <dl class="summary">
            <dt>{t('colDocument')}</dt>
            <dd>
              {dossier.result.title} · {t(dossier.result.outcome === 'APPROVED' ? 'resultOutcomeAPPROVED' : 'resultOutcomeREFUSED')}{' '}
              {dossier.result.cancelled && <span class="tag tag--error">{t('cancelledTag')}</span>}
            </dd>
            <dt>{t('colNumber')}</dt>
            <dd>{dossier.result.documentNumber}</dd>
            <dt>{t('colIssuedAt')}</dt>
            <dd>{formatDateTime(dossier.result.issuedAt)}</dd>
            {dossier.result.reason && (
              <>
                <dt>{t('fieldReason')}</dt>
                <dd>{dossier.result.reason}</dd>
              </>
            )}
          </dl>
        </>
      )}

      <h2>{t('sectionApplicant')}</h2>
      <dl class="summary">
        <dt>{t('fullName')}</dt>
        <dd>{dossier.applicant.fullName}</dd>
        <dt>{t('idNumber')}</dt>
        <dd>{dossier.applicant.idNumber}</dd>
        <dt>{t('phone')}</dt>
        <dd>{dossier.applicant.phone.replace(/^\+84/, '0')}</dd>
        <dt>{t('email')}</dt>
        <dd>{dossier.applicant.email ?? t('noneGiven')}</dd>
        <dt>{t('address')}</dt>
        <dd>{dossier.applicant.address ?? t('noneGiven')}</dd>
      </dl>

      {Object.keys(dossier.formData).length > 0 && (
        <>
          <h2>{t('sectionForm')}</h2>
          <dl class="summary">
            {Object.entries(dossier.formData).map(([name, value]) => (
              <>
                <dt key={`${name}-label`}>{fieldLabel(name)}</dt>
                <dd key={`${name}-value`}>{formValue(value)}</dd>
              </>
            ))}
          </dl>
        </>
      )}

      <h2>{t('sectionAttachments')}</h2>
      {dossier.documentsReceived.length > 0 && (
        <>
          <h3>{t('documentsReceivedOnPaper')}</h3>
          <ul>
            {dossier.documentsReceived.map((id) => (
              <li key={id}>{documentName(id)}</li>
            ))}
          </ul>
        </>
      )}
      {dossier.attachments.length === 0 ? (
        <p>{t('noAttachments')}</p>
      ) : (
        <ul class="file-list">
          {dossier.attachments.map((attachment) => (
            <li key={attachment.uploadId}>
              <LinkButton
                label={t('openFile', { name: attachment.fileName })}
                fetchUrl={() => officerApi.GET('/officer/attachments/{id}', { params: { path: { id: attachment.uploadId } } }).then(({ data }) => data?.url)}
              />{' '}
              <span class="muted">
                {documentName(attachment.documentId)} · {t('fileSize', { size: Math.max(1, Math.round(attachment.size / 1024)) })}
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2>{t('sectionDocuments')}</h2>
      {dossier.documents.length === 0 ? (
        <p>{t('noDocuments')}</p>
      ) : (
        <TableRegion label={t('sectionDocuments')}>
          <table class="table">
            <caption class="visually-hidden">{t('sectionDocuments')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colDocument')}</th>
                <th scope="col">{t('colNumber')}</th>
                <th scope="col">{t('colIssuedAt')}</th>
                <th scope="col">{t('colSigner')}</th>
              </tr>
            </thead>
            <tbody>
              {dossier.documents.map((document) => (
                <tr key={document.id}>
                  <td>
                    <LinkButton
                      label={document.title}
                      fetchUrl={() =>
                        officerApi.GET('/officer/dossiers/{code}/documents/{id}', { params: { path: { code: dossier.code, id: document.id } } }).then(({ data }) => data?.url)
                      }
                    />{' '}
                    {document.cancelled && <span class="tag tag--error">{t('cancelledTag')}</span>}
                  </td>
                  <td>{document.documentNumber}</td>
                  <td>{formatDate(document.issuedAt)}</td>
                  <td>
                    {document.signer.name}, {document.signer.position}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}

      <h2>{t('sectionHistory')}</h2>
      <TableRegion label={t('sectionHistory')}>
        <table class="table">
          <caption class="visually-hidden">{t('sectionHistory')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colWhen')}</th>
              <th scope="col">{t('colAction')}</th>
              <th scope="col">{t('colWho')}</th>
              <th scope="col">{t('colChange')}</th>
              <th scope="col">{t('colNote')}</th>
            </tr>
          </thead>
          <tbody>
            {dossier.history.map((event) => (
              <tr key={event.sequence}>
                <td>{formatDateTime(event.at)}</td>
                <td>{actionText(event.action)}</td>
                <td>{event.officerName ?? roleName(event.role)}</td>
                <td>{event.from === event.to || event.from === null ? statusName(event.to) : `${statusName(event.from)} → ${statusName(event.to)}`}</td>
                <td>{event.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </>
  );
}

const statusName = (status: DossierStatus) => statusText(status, NATIONAL_STATUS[status].label, currentLanguage());

const ROLE_NAMES: Readonly<Record<string, TextKey>> = {
  reception: 'roleReception',
  specialist: 'roleSpecialist',
  leader: 'roleLeader',
  citizen: 'roleCitizen',
  system: 'roleSystem',
};
const roleName = (role: string) => {
  const key = ROLE_NAMES[role];
  return key === undefined ? role : t(key);
};

function formValue(value: unknown): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value.split('-').reverse().join('/');
  if (typeof value === 'boolean') return value ? t('yes') : t('no');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/**
 * A file of the dossier: the link is fetched when asked for (links are short-lived), then opened
 * in a new tab, where the browser shows and prints the PDF.
 */
export function LinkButton(props: { label: string; fetchUrl: () => Promise<string | undefined> }) {
  const [failed, setFailed] = useState(false);
  return (
    <>
      <button
        type="button"
        class="link"
        onClick={() => {
          setFailed(false);
          // Opened at once, in the click (no pop-up blocker), and pointed at the link once it comes.
          const opened = window.open('', '_blank');
          void props.fetchUrl().then(
            (url) => {
              if (url === undefined) {
                opened?.close();
                setFailed(true);
              } else if (opened) {
                opened.opener = null;
                opened.location.href = url;
              } else window.location.assign(url);
            },
            () => {
              opened?.close();
              setFailed(true);
            },
          );
        }}
      >
        {props.label}
      </button>
      {failed && (
        <span class="field__error" role="alert">
          {' '}
          {t('loadFailed')}
        </span>
      )}
    </>
  );
}

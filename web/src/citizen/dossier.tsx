import { useEffect, useState } from 'preact/hooks';
import { CITIZEN_PAGES } from '../../../shared/api/portal-paths';
import { NATIONAL_STATUS } from '../../../shared/domain/status';
import { api, isProblem } from '../common/api';
import { checkFormField, shownFormValue } from '../common/field-rules';
import { ErrorSummary, Radios, TextArea, TextInput, type FieldError } from '../common/forms';
import { currentLanguage, formatDate, formatDateTime, formatVnd } from '../common/i18n';
import { QrCode } from '../common/qr';
import { navigate } from '../common/router';
import type { components } from '../generated/api';
import { useProcedure } from './procedure';
import { keyHeaders, saveDossier, savedSecret, type DossierKey } from './saved-dossiers';
import { useCitizenSession } from './session';
import { statusTag, statusText, t } from './text';
import { FileUpload, type UploadedFile } from './uploads';

type PublicStatus = components['schemas']['GetDossierStatusResponse200'];
type FullDossier = components['schemas']['GetDossierResponse200'];
type DocumentList = components['schemas']['ListDossierDocumentsResponse200'];

const FINAL = ['NOT_RECEIVED', 'STOPPED', 'RETURNED'];
const RATINGS = ['VERY_SATISFIED', 'SATISFIED', 'DISSATISFIED'] as const;

/** The dossier's own routes answer its secret or its applicant's ID token; a wrong or missing one is "not found" to them. */
async function loadFull(code: string, key: DossierKey) {
  const headers = keyHeaders(key);
  const [dossier, documents] = await Promise.all([
    api.GET('/dossiers/{code}', { params: { path: { code } }, headers }),
    api.GET('/dossiers/{code}/documents', { params: { path: { code } }, headers }),
  ]);
  return dossier.data ? { dossier: dossier.data, documents: documents.data ?? { code, items: [] } } : undefined;
}

/**
 * `/ho-so/<code>`: the tracking page every SMS links to. Anyone sees the public status; with the
 * dossier's secret (kept on this device at submission, or typed in), or signed in as its applicant
 * (the ID token stands in for the secret), the whole dossier, what it
 * waits for, and the citizen's actions: supplement, withdraw, rate, download (`?viec=…`, one per page).
 * `?moi=1` right after submission shows the receipt on top.
 */
export function DossierPage(props: { readonly code: string; readonly search: URLSearchParams }) {
  const { code } = props;
  const [status, setStatus] = useState<PublicStatus | null>();
  const [secret, setSecret] = useState(() => savedSecret(code));
  const signIn = useCitizenSession();
  const idToken = signIn.session?.idToken;
  const key: DossierKey | undefined = secret ? { secret } : idToken ? { idToken } : undefined;
  const [full, setFull] = useState<{ dossier: FullDossier; documents: DocumentList } | null>();
  const [wrongSecret, setWrongSecret] = useState(false);
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((n) => n + 1);
  useEffect(() => {
    void api.GET('/dossiers/{code}/status', { params: { path: { code } } }).then(({ data }) => setStatus(data ?? null));
    if (key) void loadFull(code, key).then((loaded) => setFull(loaded ?? null));
  }, [code, secret, idToken, version]);
  if (status === undefined || (!secret && !signIn.ready)) return <p role="status">{t('loading')}</p>;
  if (status === null)
    return (
      <>
        <h1>{t('dossierTitle', { code })}</h1>
        <p>{t('dossierNotFound', { code })}</p>
      </>
    );
  const action = props.search.get('viec');
  const done = (message: string) => {
    reload();
    navigate(`${CITIZEN_PAGES.dossier(code)}?xong=${encodeURIComponent(message)}`, { replace: true });
  };
  if (full && key && action === 'bo-sung' && full.dossier.status === 'SUPPLEMENT_REQUESTED')
    return <Supplement dossier={full.dossier} dossierKey={key} onDone={() => done('bo-sung')} />;
  if (full && key && action === 'rut' && !FINAL.includes(full.dossier.status) && full.dossier.status !== 'WITHDRAWAL_REQUESTED')
    return <Withdraw dossier={full.dossier} dossierKey={key} onDone={() => done('rut')} />;
  if (full && key && action === 'danh-gia' && canRate(full.dossier)) return <Rate dossier={full.dossier} dossierKey={key} onDone={() => done('danh-gia')} />;
  const showReceipt = props.search.get('moi') === '1' && secret !== undefined;
  const doneMessage = { 'bo-sung': t('supplementDone'), rut: t('withdrawDone'), 'danh-gia': t('rateDone') }[props.search.get('xong') ?? ''];
  return (
    <>
      {showReceipt && secret ? <Receipt status={status} secret={secret} /> : null}
      {doneMessage ? (
        <div class="notice notice--success" role="status">
          <p>{doneMessage}</p>
        </div>
      ) : null}
      {showReceipt ? <h2>{t('dossierTitle', { code })}</h2> : <h1>{t('dossierTitle', { code })}</h1>}
      <StatusSummary status={status} />
      {full && key ? <FullView dossier={full.dossier} documents={full.documents} dossierKey={key} /> : null}
      {!key || full === null ? (
        <SecretForm
          code={code}
          wrong={wrongSecret || (full === null && secret !== undefined)}
          onSecret={(typed) => {
            setFull(undefined);
            void loadFull(code, { secret: typed }).then((loaded) => {
              setWrongSecret(loaded === undefined);
              if (loaded) {
                saveDossier({ code, secret: typed, procedureName: loaded.dossier.procedure.name, submittedAt: loaded.dossier.submittedAt });
                setSecret(typed);
              }
              setFull(loaded ?? null);
            });
          }}
        />
      ) : null}
    </>
  );
}

const canRate = (dossier: FullDossier) => (dossier.status === 'RESOLVED' || dossier.status === 'RETURNED') && dossier.rating === null;

function Receipt(props: { readonly status: PublicStatus; readonly secret: string }) {
  const { status } = props;
  const procedure = useProcedure(status.procedureCode);
  const [preview, setPreview] = useState<string>();
  useEffect(() => {
    if (status.appointmentAt === null)
      void api
        .GET('/procedures/{procedureCode}/appointment', { params: { path: { procedureCode: status.procedureCode }, query: {} } })
        .then(({ data }) => setPreview(data?.appointmentAt));
  }, [status.code]);
  const appointment = status.appointmentAt ?? preview;
  return (
    <section aria-labelledby="receipt-title">
      <div class="panel-confirmation">
        <h1 id="receipt-title">{t('receiptTitle')}</h1>
        <p>
          {t('receiptCode')}
          <strong>{status.code}</strong>
        </p>
        {appointment ? <p>{t('receiptAppointment', { date: formatDate(appointment) })}</p> : null}
      </div>
      <div class="receipt">
        <QrCode text={`${location.origin}${CITIZEN_PAGES.dossier(status.code)}`} alt={t('qrAlt', { code: status.code })} />
        <div>
          <p>{t('receiptNext')}</p>
          <dl class="summary">
            <dt>{t('procedure')}</dt>
            <dd>{procedure?.name ?? status.procedureName}</dd>
            <dt>{t('receiptSecret')}</dt>
            <dd>
              <code class="secret">{props.secret}</code>
              <span class="hint-block">{t('receiptSecretHint')}</span>
            </dd>
          </dl>
          <p>
            <button type="button" class="button button--secondary" onClick={() => window.print()}>
              {t('print')}
            </button>
          </p>
        </div>
      </div>
    </section>
  );
}

function StatusSummary(props: { readonly status: PublicStatus }) {
  const { status } = props;
  return (
    <dl class="summary">
      <dt>{t('status')}</dt>
      <dd>
        <strong class={statusTag(status.status)}>{statusText(status.status, status.statusLabel, currentLanguage())}</strong>
        {status.overdue ? <strong class="tag tag--error">{t('overdue')}</strong> : null}
      </dd>
      <dt>{t('procedure')}</dt>
      <dd>
        <a href={CITIZEN_PAGES.procedure(status.procedureCode)}>{status.procedureName}</a>
      </dd>
      <dt>{t('applicant')}</dt>
      <dd>{status.applicantName}</dd>
      <dt>{t('submittedAt')}</dt>
      <dd>{formatDateTime(status.submittedAt)}</dd>
      <dt>{t('receivedAt')}</dt>
      <dd>{status.receivedAt ? formatDateTime(status.receivedAt) : t('notYet')}</dd>
      <dt>{t('appointmentAt')}</dt>
      <dd>{status.appointmentAt ? formatDate(status.appointmentAt) : t('notYet')}</dd>
    </dl>
  );
}

function SecretForm(props: { readonly code: string; readonly wrong: boolean; readonly onSecret: (secret: string) => void }) {
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  useEffect(() => {
    if (props.wrong) setErrors([{ field: 'secret', message: t('secretWrong') }]);
  }, [props.wrong]);
  return (
    <section aria-labelledby="secret-title">
      <h2 id="secret-title">{t('secretTitle')}</h2>
      <ErrorSummary title={t('errorTitle')} errors={errors} />
      <p>{t('secretLead')}</p>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (secret.trim() === '') return setErrors([{ field: 'secret', message: t('secretMissing') }]);
          setErrors([]);
          props.onSecret(secret.trim());
        }}
      >
        <TextInput id="secret" label={t('secret')} value={secret} onInput={setSecret} error={errors[0]?.message} autoComplete="off" />
        <button type="submit" class="button">
          {t('open')}
        </button>
      </form>
    </section>
  );
}

/** Opens a short-lived link the API issues (the e-result, a document): the browser shows or saves the PDF. */
async function openLink(load: () => Promise<{ data?: { url: string } | undefined }>, onError: (message: string) => void) {
  const { data } = await load();
  if (data) window.location.assign(data.url);
  else onError(t('serviceError'));
}

function FullView(props: { readonly dossier: FullDossier; readonly documents: DocumentList; readonly dossierKey: DossierKey }) {
  const { dossier } = props;
  const [linkError, setLinkError] = useState<string>();
  const page = CITIZEN_PAGES.dossier(dossier.code);
  const headers = keyHeaders(props.dossierKey);
  return (
    <>
      {dossier.pending ? (
        <div class="notice" role="region" aria-labelledby="pending-title">
          <h2 id="pending-title">{t('pendingTitle')}</h2>
          <ul>
            {dossier.pending.items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
          {dossier.pending.amountVnd ? <p>{t('pendingPayment', { amount: formatVnd(dossier.pending.amountVnd) })}</p> : null}
          {dossier.pending.note ? <p>{t('pendingNote', { note: dossier.pending.note })}</p> : null}
        </div>
      ) : null}
      {dossier.apology ? <p class="notice">{t('apologyNote', { date: formatDate(dossier.apology.newAppointmentAt), reason: dossier.apology.reason })}</p> : null}
      <div class="button-group">
        {dossier.status === 'SUPPLEMENT_REQUESTED' ? (
          <a class="button" href={`${page}?viec=bo-sung`}>
            {t('supplementStart')}
          </a>
        ) : null}
        {canRate(dossier) ? (
          <a class="button" href={`${page}?viec=danh-gia`}>
            {t('rateStart')}
          </a>
        ) : null}
        {!FINAL.includes(dossier.status) && dossier.status !== 'WITHDRAWAL_REQUESTED' ? (
          <a class="button button--warning" href={`${page}?viec=rut`}>
            {t('withdrawStart')}
          </a>
        ) : null}
      </div>
      {dossier.rating ? <p>{t('ratedAs', { rating: t(dossier.rating.overall as (typeof RATINGS)[number]) })}</p> : null}
      {dossier.result ? (
        <section aria-labelledby="result-title">
          <h2 id="result-title">{t('resultTitle')}</h2>
          <p>
            {dossier.result.outcome === 'APPROVED'
              ? t('resultApproved', { title: dossier.result.title, number: dossier.result.documentNumber, date: formatDate(dossier.result.issuedAt) })
              : t('resultRefused', { reason: dossier.result.reason ?? '' })}
          </p>
          {dossier.result.cancelled ? <p class="field__error">{t('resultCancelled')}</p> : null}
          {linkError ? <p class="field__error">{linkError}</p> : null}
          <button
            type="button"
            class="button"
            onClick={() => void openLink(() => api.GET('/dossiers/{code}/result', { params: { path: { code: dossier.code } }, headers }), setLinkError)}
          >
            {t('downloadResult')}
          </button>
        </section>
      ) : null}
      <h2>{t('documentsTitle')}</h2>
      {props.documents.items.length === 0 ? (
        <p>{t('noDocuments')}</p>
      ) : (
        <ul class="documents">
          {props.documents.items.map((document) => (
            <li key={document.id}>
              <button
                type="button"
                class="link"
                onClick={() =>
                  void openLink(() => api.GET('/dossiers/{code}/documents/{id}', { params: { path: { code: dossier.code, id: document.id } }, headers }), setLinkError)
                }
              >
                {t('download', { title: document.title })}
              </button>{' '}
              <span class="muted">
                {document.documentNumber} · {formatDate(document.issuedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('attachmentsTitle')}</h2>
      <ul>
        {dossier.attachments.map((attachment) => (
          <li key={attachment.uploadId}>{attachment.fileName}</li>
        ))}
      </ul>
      <h2>{t('historyTitle')}</h2>
      <ol class="timeline">
        {dossier.history.map((event) => (
          <li key={event.sequence}>
            <strong>{formatDateTime(event.at)}</strong> · {statusText(event.to, NATIONAL_STATUS[event.to].label, currentLanguage())}
            {event.note ? <span class="hint-block">{event.note}</span> : null}
          </li>
        ))}
      </ol>
    </>
  );
}

const problemOf = (error: unknown, fallback: string): FieldError[] => {
  if (!isProblem(error)) return [{ field: 'send', message: t('serviceError') }];
  if (error.errors && error.errors.length > 0) return error.errors.map((issue) => ({ field: fallback, message: issue.message }));
  return [{ field: fallback, message: `${error.title}: ${error.detail}` }];
};

function Supplement(props: { readonly dossier: FullDossier; readonly dossierKey: DossierKey; readonly onDone: () => void }) {
  const { dossier } = props;
  const pending = dossier.pending;
  const procedure = useProcedure(dossier.procedure.code);
  const [files, setFiles] = useState<Readonly<Record<string, UploadedFile>>>({});
  const [form, setForm] = useState<Readonly<Record<string, string>>>(() =>
    Object.fromEntries((pending?.fields ?? []).map((name) => [name, shownFormValue(dossier.formData[name])])),
  );
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(0);
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  if (procedure === undefined || pending === null) return <p role="status">{t('loading')}</p>;
  const fields = (procedure?.formFields ?? []).filter((field) => pending.fields.includes(field.name));
  const documents = (procedure?.documents ?? []).filter((document) => pending.documents.includes(document.id));
  const send = async () => {
    const found: FieldError[] = [];
    const formData: Record<string, unknown> = {};
    for (const field of fields) {
      const checked = checkFormField(field, form[field.name] ?? '');
      if (!checked.ok) found.push({ field: `form-${field.name}`, message: checked.message });
      else if (checked.value !== undefined && checked.value !== dossier.formData[field.name]) formData[field.name] = checked.value;
    }
    if (busy > 0) found.push({ field: `file-${documents[0]?.id ?? ''}`, message: t('uploadBusy') });
    const attachments = Object.entries(files).map(([documentId, file]) => ({ uploadId: file.uploadId, documentId }));
    if (found.length === 0 && attachments.length === 0 && Object.keys(formData).length === 0 && note.trim() === '') found.push({ field: 'note', message: t('supplementEmpty') });
    setErrors(found);
    if (found.length > 0) return;
    const { data, error } = await api.POST('/dossiers/{code}/supplement', {
      params: { path: { code: dossier.code } },
      headers: keyHeaders(props.dossierKey),
      body: { attachments, ...(Object.keys(formData).length > 0 ? { formData } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
    });
    if (data) props.onDone();
    else setErrors(problemOf(error, 'note'));
  };
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <p>
        <a class="back-link" href={CITIZEN_PAGES.dossier(dossier.code)}>
          {t('back')}
        </a>
      </p>
      <ErrorSummary title={t('errorTitle')} errors={errors} />
      <h1>{t('supplementTitle', { code: dossier.code })}</h1>
      <p>{t('supplementLead')}</p>
      <ul>
        {pending.items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      {pending.note ? <p>{t('pendingNote', { note: pending.note })}</p> : null}
      {documents.map((document) => (
        <FileUpload
          key={document.id}
          id={`file-${document.id}`}
          label={document.name}
          hint={t('uploadsLead')}
          error={errors.find((error) => error.field === `file-${document.id}`)?.message}
          file={files[document.id]}
          onBusy={(on) => setBusy((count) => count + (on ? 1 : -1))}
          onChange={(file) =>
            setFiles((current) => {
              const next = { ...current };
              if (file) next[document.id] = file;
              else delete next[document.id];
              return next;
            })
          }
        />
      ))}
      {fields.map((field) => (
        <TextInput
          key={field.name}
          id={`form-${field.name}`}
          label={field.label}
          hint={field.type === 'date' ? t('dateHint') : undefined}
          value={form[field.name] ?? ''}
          onInput={(value) => setForm((current) => ({ ...current, [field.name]: value }))}
          error={errors.find((error) => error.field === `form-${field.name}`)?.message}
        />
      ))}
      <TextArea id="note" label={t('supplementNote')} value={note} onInput={setNote} error={errors.find((error) => error.field === 'note')?.message} />
      <button type="submit" class="button" id="send">
        {t('supplementSend')}
      </button>
    </form>
  );
}

function Withdraw(props: { readonly dossier: FullDossier; readonly dossierKey: DossierKey; readonly onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void api
          .POST('/dossiers/{code}/withdraw', {
            params: { path: { code: props.dossier.code } },
            headers: keyHeaders(props.dossierKey),
            body: reason.trim() ? { reason: reason.trim() } : {},
          })
          .then(({ data, error }) => (data ? props.onDone() : setErrors(problemOf(error, 'reason'))));
      }}
    >
      <p>
        <a class="back-link" href={CITIZEN_PAGES.dossier(props.dossier.code)}>
          {t('back')}
        </a>
      </p>
      <ErrorSummary title={t('errorTitle')} errors={errors} />
      <h1>{t('withdrawTitle', { code: props.dossier.code })}</h1>
      <div class="notice notice--warning">
        <p>
          <strong>{t('withdrawWarning')}</strong>
        </p>
      </div>
      <TextArea id="reason" label={t('withdrawReason')} value={reason} onInput={setReason} error={errors[0]?.message} />
      <button type="submit" class="button button--warning">
        {t('withdrawConfirm')}
      </button>
    </form>
  );
}

function Rate(props: { readonly dossier: FullDossier; readonly dossierKey: DossierKey; readonly onDone: () => void }) {
  const [overall, setOverall] = useState('');
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!RATINGS.includes(overall as (typeof RATINGS)[number])) return setErrors([{ field: 'overall', message: t('rateMissing') }]);
        void api
          .POST('/dossiers/{code}/rating', {
            params: { path: { code: props.dossier.code } },
            headers: keyHeaders(props.dossierKey),
            body: { overall: overall as (typeof RATINGS)[number], ...(comment.trim() ? { comment: comment.trim() } : {}) },
          })
          .then(({ data, error }) => (data ? props.onDone() : setErrors(problemOf(error, 'overall'))));
      }}
    >
      <p>
        <a class="back-link" href={CITIZEN_PAGES.dossier(props.dossier.code)}>
          {t('back')}
        </a>
      </p>
      <ErrorSummary title={t('errorTitle')} errors={errors} />
      <h1>{t('rateTitle', { code: props.dossier.code })}</h1>
      <Radios
        id="overall"
        label={t('rateQuestion')}
        value={overall}
        onChange={setOverall}
        error={errors.find((error) => error.field === 'overall')?.message}
        options={RATINGS.map((level) => ({ value: level, label: t(level) }))}
      />
      <TextArea id="comment" label={t('rateComment')} value={comment} onInput={setComment} />
      <button type="submit" class="button">
        {t('rateSend')}
      </button>
    </form>
  );
}

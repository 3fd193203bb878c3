import { useEffect, useState } from 'preact/hooks';
import { OFFICER_PAGES } from '../../../shared/api/portal-paths';
import type { components } from '../generated/api';
import { api, isProblem } from '../common/api';
import { DateInput, ErrorSummary, Select, TextInput, type FieldError } from '../common/forms';
import { formatDate } from '../common/i18n';
import { uploadAttachment } from '../common/upload';
import { navigate } from '../common/router';
import { LinkButton } from './dossier';
import { newIdempotencyKey, officerApi } from './session';
import { t } from './texts';

type Procedure = components['schemas']['GetProcedureResponse200'];
type ProcedureSummary = components['schemas']['ListProceduresResponse200']['items'][number];
type CounterBody = components['schemas']['CreateCounterDossierRequest'];
type Receipt = components['schemas']['CreateCounterDossierResponse200'];

/** The procedure chosen is part of the address (`?thu-tuc=1.004873`): the form survives a reload of its page. */
const PROCEDURE_PARAM = 'thu-tuc';

/** The applicant's block of the counter form, as CreateCounterDossierRequest names it. */
const APPLICANT_FIELDS = [
  { name: 'fullName', label: 'fullName', required: true, maxLength: 100 },
  { name: 'idNumber', label: 'idNumber', required: true, inputMode: 'numeric', maxLength: 12 },
  { name: 'phone', label: 'phone', required: true, type: 'tel', maxLength: 15 },
  { name: 'email', label: 'email', required: false, type: 'email', maxLength: 254 },
  { name: 'address', label: 'address', required: false, maxLength: 300 },
] as const satisfies readonly {
  name: keyof CounterBody['applicant'];
  label: 'fullName' | 'idNumber' | 'phone' | 'email' | 'address';
  required: boolean;
  maxLength: number;
  inputMode?: 'numeric';
  type?: 'tel' | 'email';
}[];

/** A scan being uploaded or uploaded, for one document of the procedure. */
interface Scan {
  readonly fileName: string;
  readonly progress: number;
  readonly uploadId?: string;
  readonly failed?: boolean;
}

const idOf = (path: string) => `intake-${path.replace(/\./g, '-')}`;

export function IntakePage() {
  const chosen = new URLSearchParams(location.search).get(PROCEDURE_PARAM) ?? '';
  const [catalog, setCatalog] = useState<readonly ProcedureSummary[] | undefined>(undefined);
  const [procedure, setProcedure] = useState<Procedure | undefined>(undefined);
  const [receipt, setReceipt] = useState<Receipt | undefined>(undefined);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    document.title = `${t('intakeTitle')} – ${t('consoleTitle')}`;
    void api.GET('/procedures').then(
      ({ data }) => (data ? setCatalog(data.items) : setFailed(true)),
      () => setFailed(true),
    );
  }, []);
  useEffect(() => {
    setProcedure(undefined);
    if (chosen)
      void api.GET('/procedures/{procedureCode}', { params: { path: { procedureCode: chosen } } }).then(
        ({ data }) => (data ? setProcedure(data) : navigate(OFFICER_PAGES.counterIntake, { replace: true })),
        () => setFailed(true),
      );
  }, [chosen]);

  if (receipt) return <ReceiptView receipt={receipt} onAnother={() => (setReceipt(undefined), navigate(OFFICER_PAGES.counterIntake))} />;
  if (failed)
    return (
      <>
        <h1>{t('intakeTitle')}</h1>
        <div class="error-summary" role="alert">
          <p>{t('loadFailed')}</p>
        </div>
      </>
    );
  if (!chosen) return <ChooseProcedure catalog={catalog} />;
  if (procedure === undefined) return <p role="status">{t('loading')}</p>;
  return <IntakeForm key={procedure.code} procedure={procedure} onReceived={setReceipt} />;
}

function ChooseProcedure(props: { catalog: readonly ProcedureSummary[] | undefined }) {
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  if (props.catalog === undefined) return <p role="status">{t('loading')}</p>;
  return (
    <>
      <h1>{t('intakeTitle')}</h1>
      <p class="lead">{t('intakeLead')}</p>
      <ErrorSummary title={t('errorSummaryTitle')} errors={errors} />
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!code) setErrors([{ field: 'procedure', message: t('chooseOne', { field: t('chooseProcedure').toLowerCase() }) }]);
          else navigate(`${OFFICER_PAGES.counterIntake}?${PROCEDURE_PARAM}=${encodeURIComponent(code)}`);
        }}
      >
        <Select
          id="procedure"
          label={t('chooseProcedure')}
          hint={t('chooseProcedureHint')}
          value={code}
          onChange={setCode}
          error={errors[0]?.message}
          options={[{ value: '', label: t('chooseProcedurePlaceholder') }, ...props.catalog.map((item) => ({ value: item.code, label: `${item.name} (${item.code})` }))]}
        />
        <button type="submit" class="button">
          {t('continue')}
        </button>
      </form>
    </>
  );
}

function IntakeForm(props: { procedure: Procedure; onReceived: (receipt: Receipt) => void }) {
  const { procedure } = props;
  const [applicant, setApplicant] = useState<Readonly<Record<string, string>>>({});
  const [form, setForm] = useState<Readonly<Record<string, string>>>({});
  const [received, setReceived] = useState<readonly string[]>([]);
  const [scans, setScans] = useState<Readonly<Record<string, Scan>>>({});
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [refusal, setRefusal] = useState<string | undefined>(undefined);
  const [sending, setSending] = useState(false);
  // One key for this form: a retry after a lost answer is the same dossier, not a second one.
  const [idempotencyKey] = useState(newIdempotencyKey);

  const uploading = Object.values(scans).some((scan) => scan.uploadId === undefined && !scan.failed);

  const scan = async (documentId: string, file: File) => {
    setScans((previous) => ({ ...previous, [documentId]: { fileName: file.name, progress: 0 } }));
    const uploadId = await uploadAttachment(file, (progress) => setScans((previous) => ({ ...previous, [documentId]: { fileName: file.name, progress } }))).catch(() => undefined);
    setScans((previous) => ({
      ...previous,
      [documentId]: uploadId !== undefined ? { fileName: file.name, progress: 1, uploadId } : { fileName: file.name, progress: 0, failed: true },
    }));
    // A scanned paper is a paper received.
    if (uploadId !== undefined) setReceived((previous) => (previous.includes(documentId) ? previous : [...previous, documentId]));
  };

  const formValue = (field: Procedure['formFields'][number], value: string): unknown => (field.type === 'integer' && /^\d+$/.test(value) ? Number(value) : value);

  const submit = async (event: Event) => {
    event.preventDefault();
    setRefusal(undefined);
    const missing: FieldError[] = [
      ...APPLICANT_FIELDS.filter((field) => field.required && !applicant[field.name]?.trim()).map((field) => ({
        field: idOf(`applicant.${field.name}`),
        message: t('required', { field: t(field.label).toLowerCase() }),
      })),
      ...procedure.formFields
        .filter((field) => field.required && !form[field.name]?.trim())
        .map((field) => ({ field: idOf(`formData.${field.name}`), message: t('required', { field: field.label.toLowerCase() }) })),
    ];
    if (missing.length > 0) {
      setErrors(missing);
      return;
    }
    setErrors([]);
    const body: CounterBody = {
      procedureCode: procedure.code,
      applicant: Object.fromEntries(
        APPLICANT_FIELDS.flatMap((field) => (applicant[field.name]?.trim() ? [[field.name, applicant[field.name]?.trim()]] : [])),
      ) as CounterBody['applicant'],
      formData: Object.fromEntries(procedure.formFields.flatMap((field) => (form[field.name]?.trim() ? [[field.name, formValue(field, form[field.name]?.trim() ?? '')]] : []))),
      attachments: Object.entries(scans).flatMap(([documentId, scanned]) => (scanned.uploadId ? [{ uploadId: scanned.uploadId, documentId }] : [])),
      documentsReceived: [...received],
    };
    setSending(true);
    try {
      const { data, error } = await officerApi.POST('/officer/dossiers', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body });
      if (data !== undefined) {
        props.onReceived(data);
        return;
      }
      if (isProblem(error) && error.errors?.length) {
        setErrors(
          error.errors.map((issue) => {
            const id = idOf(issue.path.replace(/^body\./, ''));
            return { field: document.getElementById(id) ? id : idOf('applicant.fullName'), message: issue.message };
          }),
        );
      } else setRefusal(isProblem(error) ? error.detail : t('loadFailed'));
    } catch {
      setRefusal(t('loadFailed'));
    } finally {
      setSending(false);
    }
  };

  const errorOf = (id: string) => errors.find((error) => error.field === id)?.message;
  // A field corrected loses its message; the summary keeps the others until the next submission.
  const clearError = (id: string) => setErrors((previous) => (previous.some((error) => error.field === id) ? previous.filter((error) => error.field !== id) : previous));
  return (
    <>
      <p>
        <a href={OFFICER_PAGES.counterIntake}>{t('changeProcedure')}</a>
      </p>
      <h1>{t('intakeTitle')}</h1>
      <p class="lead">{procedure.name}</p>
      <ErrorSummary title={t('errorSummaryTitle')} errors={errors} detail={refusal} />
      <form noValidate autoComplete="off" onSubmit={(event) => void submit(event)}>
        <h2>{t('applicantSection')}</h2>
        {APPLICANT_FIELDS.map((field) => {
          const id = idOf(`applicant.${field.name}`);
          return (
            <TextInput
              key={field.name}
              id={id}
              label={field.required ? t(field.label) : `${t(field.label)} ${t('optionalSuffix')}`}
              required={field.required}
              type={'type' in field ? field.type : 'text'}
              inputMode={'inputMode' in field ? field.inputMode : undefined}
              maxLength={field.maxLength}
              value={applicant[field.name] ?? ''}
              onInput={(value) => {
                setApplicant((previous) => ({ ...previous, [field.name]: value }));
                clearError(id);
              }}
              error={errorOf(id)}
            />
          );
        })}
        {procedure.formFields.length > 0 && <h2>{t('formSection')}</h2>}
        {procedure.formFields.map((field) => {
          const id = idOf(`formData.${field.name}`);
          const value = form[field.name] ?? '';
          const onValue = (next: string) => {
            setForm((previous) => ({ ...previous, [field.name]: next }));
            clearError(id);
          };
          return field.type === 'enum' && field.options ? (
            <Select
              key={field.name}
              id={id}
              label={field.required ? field.label : `${field.label} ${t('optionalSuffix')}`}
              value={value}
              required={field.required}
              onChange={onValue}
              error={errorOf(id)}
              options={[{ value: '', label: '' }, ...field.options.map((option) => ({ value: option, label: option }))]}
            />
          ) : field.type === 'date' ? (
            <DateInput
              key={field.name}
              id={id}
              label={field.required ? field.label : `${field.label} ${t('optionalSuffix')}`}
              value={value}
              onChange={onValue}
              error={errorOf(id)}
            />
          ) : (
            <TextInput
              key={field.name}
              id={id}
              label={field.required ? field.label : `${field.label} ${t('optionalSuffix')}`}
              required={field.required}
              type="text"
              inputMode={field.type === 'integer' || field.type === 'idNumber' ? 'numeric' : undefined}
              maxLength={field.maxLength ?? undefined}
              value={value}
              onInput={onValue}
              error={errorOf(id)}
            />
          );
        })}
        <h2>{t('papersSection')}</h2>
        {procedure.documents.map((document) => {
          const scanned = scans[document.id];
          const inputId = idOf(`scan.${document.id}`);
          return (
            <div class="paper" key={document.id}>
              <h3>{document.name}</h3>
              <div class="choice">
                <input
                  type="checkbox"
                  id={idOf(`received.${document.id}`)}
                  checked={received.includes(document.id)}
                  onChange={(event) => {
                    const checked = event.currentTarget.checked;
                    setReceived((previous) => (checked ? [...previous.filter((id) => id !== document.id), document.id] : previous.filter((id) => id !== document.id)));
                  }}
                />
                <label for={idOf(`received.${document.id}`)}>{t('paperReceivedOf', { name: document.name })}</label>
              </div>
              <div class={scanned?.failed ? 'field field--error' : 'field'}>
                <label for={inputId}>{t('scanLabel', { name: document.name })}</label>
                {scanned?.failed && (
                  <span class="field__error" id={`${inputId}-error`} role="alert">
                    {t('uploadFailed', { name: scanned.fileName })}
                  </span>
                )}
                <input
                  type="file"
                  id={inputId}
                  accept="application/pdf,image/jpeg,image/png"
                  aria-describedby={scanned?.failed ? `${inputId}-error` : undefined}
                  onChange={(event) => {
                    const file = event.currentTarget.files?.[0];
                    if (file) void scan(document.id, file);
                  }}
                />
                {scanned && !scanned.failed && (
                  <p role="status">
                    {scanned.uploadId ? (
                      t('uploaded', { name: scanned.fileName })
                    ) : (
                      <>
                        <label for={`${inputId}-progress`}>{t('uploading', { name: scanned.fileName })}</label>{' '}
                        <progress id={`${inputId}-progress`} max={1} value={scanned.progress}>
                          {Math.round(scanned.progress * 100)}%
                        </progress>
                      </>
                    )}
                  </p>
                )}
              </div>
            </div>
          );
        })}
        <div class="button-group">
          <button type="submit" class="button" disabled={sending || uploading}>
            {sending ? t('receiving') : t('receiveButton')}
          </button>
          {uploading && <span class="muted">{t('waitUploads')}</span>}
        </div>
      </form>
    </>
  );
}

function ReceiptView(props: { receipt: Receipt; onAnother: () => void }) {
  const { receipt } = props;
  useEffect(() => {
    document.title = `${t('receiptTitle')} – ${t('consoleTitle')}`;
  }, []);
  /** The signed receipt the answer names (else the dossier's form 01, found among its documents), as a short-lived link. */
  const openReceipt = async (): Promise<string | undefined> => {
    let documentId = receipt.receipt.documentId;
    if (documentId === null) {
      const { data } = await officerApi.GET('/officer/dossiers/{code}/documents', { params: { path: { code: receipt.code } } });
      documentId = data?.items.find((document) => document.kind === 'FORM_01')?.id ?? null;
    }
    if (documentId === null) return undefined;
    const link = await officerApi.GET('/officer/dossiers/{code}/documents/{id}', { params: { path: { code: receipt.code, id: documentId } } });
    return link.data?.url;
  };
  return (
    <>
      <div class="panel-confirmation">
        <h1>{t('receiptTitle')}</h1>
        <p>
          {t('receiptCode')}
          <strong>{receipt.code}</strong>
        </p>
        <p>{t('receiptAppointment', { date: formatDate(receipt.receipt.appointmentAt) })}</p>
      </div>
      <p>{t('receiptLead')}</p>
      <dl class="summary">
        <dt>{t('procedure')}</dt>
        <dd>{receipt.receipt.procedureName}</dd>
        <dt>{t('fullName')}</dt>
        <dd>{receipt.receipt.applicantName}</dd>
        <dt>{t('secretLabel')}</dt>
        <dd>
          <code>{receipt.secret}</code>
        </dd>
      </dl>
      <p>
        <LinkButton label={t('openReceipt')} fetchUrl={openReceipt} />
      </p>
      <div class="button-group">
        <a class="button button--secondary" href={OFFICER_PAGES.dossier(receipt.code)}>
          {t('openDossier', { code: receipt.code })}
        </a>
        <button type="button" class="link" onClick={props.onAnother}>
          {t('newIntake')}
        </button>
      </div>
    </>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { CITIZEN_PAGES } from '../../../shared/api/portal-paths';
import { api, isProblem } from '../common/api';
import { APPLICANT_FIELDS, checkApplicantField, checkFormField, shownFormValue, type ApplicantField } from '../common/field-rules';
import { ErrorSummary, Radios, Select, TextInput, type FieldError } from '../common/forms';
import { navigate } from '../common/router';
import { feeText, timeLimitText } from './catalog';
import { NotFound } from './not-found';
import { documentFormText, useProcedure, type Procedure } from './procedure';
import { saveDossier } from './saved-dossiers';
import { PrivacyLink } from './privacy';
import { bearer, signInHere, signOutHere, useCitizenSession, type CitizenSession } from './session';
import { t } from './text';
import { FileUpload, type UploadedFile } from './uploads';

/**
 * `/nop/<code>?buoc=…`: filing a dossier, one thing per page — the applicant, the procedure's own
 * form (generated from its `formFields`), the documents (uploaded as they are chosen), then a
 * review and the submission. The draft lives in sessionStorage, so a reload or the back button
 * loses nothing; the step is in the URL.
 */
const STEPS = ['nguoi-nop', 'thong-tin', 'giay-to', 'kiem-tra'] as const;
type Step = (typeof STEPS)[number];

export interface Draft {
  readonly idempotencyKey: string;
  readonly applicant: Readonly<Partial<Record<ApplicantField, string>>>;
  readonly form: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, UploadedFile>>;
  /** What the server refused last time, by input id, with the step the input is on. */
  readonly serverErrors: readonly (FieldError & { readonly step: Step })[];
  /**
   * Signed in, the inputs filled from `GET /me/prefill` ("khai một lần"), by input id, each with
   * the dossier its value comes from ('' for the account and the latest dossiers). Present once asked.
   */
  readonly prefilled?: Readonly<Record<string, string>>;
}

const draftKey = (code: string) => `mcs.draft.${code}`;

function loadDraft(code: string): Draft {
  try {
    const stored = sessionStorage.getItem(draftKey(code));
    if (stored !== null) return JSON.parse(stored) as Draft;
  } catch {
    // A draft that cannot be read is started again.
  }
  return { idempotencyKey: crypto.randomUUID(), applicant: {}, form: {}, files: {}, serverErrors: [] };
}

const APPLICANT_LABELS = { fullName: 'fullName', idNumber: 'idNumber', phone: 'phone', email: 'email', address: 'address' } as const;
const applicantId = (name: string) => `applicant-${name}`;
const formId = (name: string) => `form-${name}`;
const fileId = (documentId: string) => `file-${documentId}`;

/** An input's hint, with the note that it was filled from the citizen's earlier dossiers when it was. */
function withPrefillHint(draft: Draft, id: string, hint: string | undefined): string | undefined {
  const source = draft.prefilled?.[id];
  if (source === undefined) return hint;
  const note = source === '' ? t('prefilledHint') : t('prefilledFrom', { code: source });
  return hint ? `${note} ${hint}` : note;
}

/** Says, on a step, that some of its inputs were filled in from earlier dossiers and can be changed. */
function PrefillNotice(props: { readonly draft: Draft; readonly ids: readonly string[] }) {
  if (!props.ids.some((id) => props.draft.prefilled?.[id] !== undefined)) return null;
  return (
    <div class="notice" role="note">
      <p>
        <strong>{t('prefilledTitle')}</strong> {t('prefilledLead')}
      </p>
    </div>
  );
}

/** Leaves for the identity provider from this step, when the ward's configuration is at hand. */
const signInAction = (config: Parameters<typeof signInHere>[0] | undefined) => (config ? () => void signInHere(config) : undefined);

const stepsOf = (procedure: Procedure): Step[] => STEPS.filter((step) => step !== 'thong-tin' || procedure.formFields.length > 0);

export function FileDossier(props: { readonly code: string; readonly step: string | null; readonly prefill?: Readonly<Partial<Record<ApplicantField, string>>> }) {
  const procedure = useProcedure(props.code);
  const signIn = useCitizenSession();
  const [draft, setDraftState] = useState<Draft>(() => {
    const loaded = loadDraft(props.code);
    sessionStorage.setItem(draftKey(props.code), JSON.stringify(loaded));
    return loaded;
  });
  const setDraft = (next: Draft) => {
    sessionStorage.setItem(draftKey(props.code), JSON.stringify(next));
    setDraftState(next);
  };
  const idToken = signIn.session?.idToken;
  useEffect(() => {
    if (signIn.session === undefined || draft.prefilled !== undefined) return;
    void api.GET('/me/prefill', { params: { query: { procedureCode: props.code } }, headers: bearer(signIn.session) }).then(({ data }) => {
      if (!data) return;
      const latest = loadDraft(props.code);
      const prefilled: Record<string, string> = {};
      const applicant = { ...latest.applicant };
      for (const name of ['phone', 'email', 'address'] as const) {
        const value = data.applicant[name];
        if (value && !applicant[name]) {
          applicant[name] = value;
          prefilled[applicantId(name)] = '';
        }
      }
      const form = { ...latest.form };
      for (const [name, value] of Object.entries(data.formData)) {
        const shown = shownFormValue(value);
        if (shown !== '' && !form[name]) {
          form[name] = shown;
          prefilled[formId(name)] = data.sources[name] ?? '';
        }
      }
      setDraft({ ...latest, applicant, form, prefilled });
    });
  }, [idToken]);
  useEffect(() => {
    if (props.prefill === undefined) return;
    const missing = Object.entries(props.prefill).filter(([name]) => !draft.applicant[name as ApplicantField]);
    if (missing.length > 0) setDraft({ ...draft, applicant: { ...Object.fromEntries(missing), ...draft.applicant } });
  }, [props.prefill]);
  if (procedure === undefined || !signIn.ready) return <p role="status">{t('loading')}</p>;
  if (procedure === null) return <NotFound />;
  const steps = stepsOf(procedure);
  const step: Step = steps.includes(props.step as Step) ? (props.step as Step) : 'nguoi-nop';
  const index = steps.indexOf(step);
  const go = (to: Step) => navigate(`${CITIZEN_PAGES.file(procedure.code)}?buoc=${to}`);
  const next = () => go(steps[index + 1] ?? 'kiem-tra');
  const header = (
    <>
      <p class="muted">{procedure.name}</p>
      <p class="step">{t('stepOf', { n: index + 1, total: steps.length })}</p>
    </>
  );
  const serverErrors = draft.serverErrors.filter((error) => error.step === step);
  const stepProps = { procedure, draft, setDraft, next, header, serverErrors, session: signIn.session, signInAt: signInAction(signIn.config) };
  return (
    <>
      {index > 0 ? (
        <p>
          <a class="back-link" href={`${CITIZEN_PAGES.file(procedure.code)}?buoc=${steps[index - 1] ?? 'nguoi-nop'}`}>
            {t('back')}
          </a>
        </p>
      ) : (
        <p>
          <a class="back-link" href={CITIZEN_PAGES.procedure(procedure.code)}>
            {t('back')}
          </a>
        </p>
      )}
      {step === 'nguoi-nop' ? <ApplicantStep {...stepProps} /> : null}
      {step === 'thong-tin' ? <FormStep {...stepProps} /> : null}
      {step === 'giay-to' ? <DocumentsStep {...stepProps} /> : null}
      {step === 'kiem-tra' ? <ReviewStep {...stepProps} steps={steps} go={go} /> : null}
    </>
  );
}

interface StepProps {
  readonly procedure: Procedure;
  readonly draft: Draft;
  readonly setDraft: (draft: Draft) => void;
  readonly next: () => void;
  readonly header: preact.ComponentChildren;
  readonly serverErrors: readonly FieldError[];
  /** The citizen's sign-in, when there is one: the API takes the applicant from its ID token. */
  readonly session: CitizenSession | undefined;
  readonly signInAt: (() => void) | undefined;
}

/** The applicant's details the citizen types: all of them unsigned (a ward's pilot), only the contact details once signed in. */
const typedApplicantFields = (session: CitizenSession | undefined): readonly ApplicantField[] => (session ? ['phone', 'email', 'address'] : APPLICANT_FIELDS);

/** Focuses the input a link of an error summary on another page pointed at (`#id`). */
function useFocusFromHash() {
  useEffect(() => {
    const id = location.hash.slice(1);
    if (id) document.getElementById(id)?.focus();
  }, []);
}

const errorOf = (errors: readonly FieldError[], id: string) => errors.find((error) => error.field === id)?.message;
const withoutStepErrors = (draft: Draft, ids: readonly string[]): Draft => ({ ...draft, serverErrors: draft.serverErrors.filter((error) => !ids.includes(error.field)) });

function ApplicantStep(props: StepProps) {
  const [errors, setErrors] = useState<readonly FieldError[]>(props.serverErrors);
  useFocusFromHash();
  const value = (name: ApplicantField) => props.draft.applicant[name] ?? '';
  const set = (name: ApplicantField) => (text: string) => props.setDraft({ ...props.draft, applicant: { ...props.draft.applicant, [name]: text } });
  const field = (name: ApplicantField, extra: Partial<Parameters<typeof TextInput>[0]> = {}) => (
    <TextInput
      id={applicantId(name)}
      label={t(APPLICANT_LABELS[name])}
      value={value(name)}
      onInput={set(name)}
      error={errorOf(errors, applicantId(name))}
      {...extra}
      hint={withPrefillHint(props.draft, applicantId(name), extra.hint)}
    />
  );
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const found = typedApplicantFields(props.session).flatMap((name) => {
          if (props.session && value(name).trim() === '') return [];
          const checked = checkApplicantField(name, t(APPLICANT_LABELS[name]), value(name));
          return checked.ok ? [] : [{ field: applicantId(name), message: checked.message }];
        });
        setErrors(found);
        if (found.length === 0) {
          props.setDraft(withoutStepErrors(props.draft, APPLICANT_FIELDS.map(applicantId)));
          props.next();
        }
      }}
    >
      <ErrorSummary title={t('errorTitle')} errors={errors} />
      {props.header}
      <h1>{t('applicantTitle')}</h1>
      <PrefillNotice draft={props.draft} ids={APPLICANT_FIELDS.map(applicantId)} />
      {props.session ? (
        <div class="notice notice--success">
          <p>{props.session.name ? t('signedInAs', { name: props.session.name }) : t('signedInAnonymous')}</p>
          <button type="button" class="link" onClick={() => props.session && void signOutHere(props.session.config)}>
            {t('signOut')}
          </button>
        </div>
      ) : (
        <>
          {props.signInAt ? (
            <section class="notice" aria-labelledby="sign-in-title">
              <h2 id="sign-in-title">{t('signInTitle')}</h2>
              <p>{t('signInLead')}</p>
              <button type="button" class="button" onClick={props.signInAt}>
                {t('signInButton')}
              </button>
              <p>
                <PrivacyLink />
              </p>
            </section>
          ) : null}
          <h2>{t('manualTitle')}</h2>
          <p class="muted">{t('manualLead')}</p>
          {field('fullName', { autoComplete: 'name', required: true })}
          {field('idNumber', { hint: t('idNumberHint'), inputMode: 'numeric', autoComplete: 'off', required: true })}
        </>
      )}
      {field('phone', { hint: props.session ? t('phoneSignedInHint') : t('phoneHint'), type: 'tel', autoComplete: 'tel', required: !props.session })}
      {field('email', { type: 'email', autoComplete: 'email' })}
      {field('address', { autoComplete: 'street-address' })}
      <button type="submit" class="button">
        {t('continue')}
      </button>
    </form>
  );
}

function FormStep(props: StepProps) {
  const [errors, setErrors] = useState<readonly FieldError[]>(props.serverErrors);
  useFocusFromHash();
  const fields = props.procedure.formFields;
  const set = (name: string) => (text: string) => props.setDraft({ ...props.draft, form: { ...props.draft.form, [name]: text } });
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const found = fields.flatMap((field) => {
          const checked = checkFormField(field, props.draft.form[field.name] ?? '');
          return checked.ok ? [] : [{ field: formId(field.name), message: checked.message }];
        });
        setErrors(found);
        if (found.length === 0) {
          props.setDraft(
            withoutStepErrors(
              props.draft,
              fields.map((field) => formId(field.name)),
            ),
          );
          props.next();
        }
      }}
    >
      <ErrorSummary title={t('errorTitle')} errors={errors} />
      {props.header}
      <h1>{t('formTitle')}</h1>
      <PrefillNotice draft={props.draft} ids={fields.map((field) => formId(field.name))} />
      {fields.map((field) => {
        const id = formId(field.name);
        const label = field.required ? field.label : `${field.label} ${t('optional')}`;
        const value = props.draft.form[field.name] ?? '';
        const error = errorOf(errors, id);
        const prefillHint = withPrefillHint(props.draft, id, undefined);
        if (field.type === 'enum' && (field.options ?? []).length <= 4)
          return (
            <Radios
              key={id}
              id={id}
              hint={prefillHint}
              label={label}
              value={value}
              error={error}
              onChange={set(field.name)}
              options={(field.options ?? []).map((option) => ({ value: option, label: option }))}
            />
          );
        if (field.type === 'enum')
          return (
            <Select
              key={id}
              id={id}
              hint={prefillHint}
              label={label}
              value={value}
              error={error}
              required={field.required}
              onChange={set(field.name)}
              options={[{ value: '', label: t('choose') }, ...(field.options ?? []).map((option) => ({ value: option, label: option }))]}
            />
          );
        return (
          <TextInput
            key={id}
            id={id}
            label={label}
            value={value}
            error={error}
            required={field.required}
            onInput={set(field.name)}
            hint={withPrefillHint(props.draft, id, field.type === 'date' ? t('dateHint') : field.type === 'idNumber' ? t('idNumberHint') : undefined)}
            inputMode={field.type === 'integer' || field.type === 'idNumber' ? 'numeric' : undefined}
            maxLength={field.maxLength ?? undefined}
          />
        );
      })}
      <button type="submit" class="button">
        {t('continue')}
      </button>
    </form>
  );
}

function DocumentsStep(props: StepProps) {
  const [errors, setErrors] = useState<readonly FieldError[]>(props.serverErrors);
  const [busy, setBusy] = useState(0);
  useFocusFromHash();
  const documents = props.procedure.documents;
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (busy > 0) return setErrors([{ field: fileId(documents[0]?.id ?? ''), message: t('uploadBusy') }]);
        const found = documents
          .filter((document) => document.required && !props.draft.files[document.id])
          .map((document) => ({ field: fileId(document.id), message: t('uploadMissing', { name: document.name }) }));
        setErrors(found);
        if (found.length === 0) {
          props.setDraft(
            withoutStepErrors(
              props.draft,
              documents.map((document) => fileId(document.id)),
            ),
          );
          props.next();
        }
      }}
    >
      <ErrorSummary title={t('errorTitle')} errors={errors} />
      {props.header}
      <h1>{t('uploadsTitle')}</h1>
      <p>{t('uploadsLead')}</p>
      {documents.map((document) => {
        const facts = { form: documentFormText(document.form), quantity: t('quantity', { n: document.quantity }).toLowerCase() };
        const hint = `${document.required ? t('uploadHintRequired', facts) : t('uploadHintOptional', facts)}${document.condition ? ` ${document.condition}.` : ''}`;
        return (
          <FileUpload
            key={document.id}
            id={fileId(document.id)}
            label={document.name}
            hint={hint}
            error={errorOf(errors, fileId(document.id))}
            file={props.draft.files[document.id]}
            onBusy={(on) => setBusy((count) => count + (on ? 1 : -1))}
            onChange={(file) => {
              // The stored draft, not this render's copy: two uploads may finish one after the other before a re-render.
              const latest = loadDraft(props.procedure.code);
              const files = { ...latest.files };
              if (file) files[document.id] = file;
              else delete files[document.id];
              props.setDraft({ ...latest, files });
              // The file is there now: what was said of its absence no longer holds.
              if (file) setErrors((current) => current.filter((error) => error.field !== fileId(document.id)));
            }}
          />
        );
      })}
      <button type="submit" class="button">
        {t('continue')}
      </button>
    </form>
  );
}

/** Where a path of the API's problem+json `errors` is asked, on which step of this form. */
function inputOfPath(path: string, draft: Draft, procedure: Procedure): { readonly field: string; readonly step: Step } {
  const [, area, name] = path.split('.');
  if (area === 'applicant' && name) return { field: applicantId(name), step: 'nguoi-nop' };
  if (area === 'formData' && name) return { field: formId(name), step: 'thong-tin' };
  if (area === 'attachments') {
    const attached = Object.keys(draft.files);
    const documentId = name !== undefined ? attached[Number(name)] : procedure.documents.find((document) => document.required && !draft.files[document.id])?.id;
    return { field: fileId(documentId ?? procedure.documents[0]?.id ?? ''), step: 'giay-to' };
  }
  return { field: 'submit', step: 'kiem-tra' };
}

function ReviewStep(props: StepProps & { readonly steps: readonly Step[]; readonly go: (step: Step) => void }) {
  const { procedure, draft } = props;
  const [errors, setErrors] = useState<readonly (FieldError & { readonly step?: Step })[]>(draft.serverErrors);
  const [sending, setSending] = useState(false);
  const [signInRequired, setSignInRequired] = useState(false);
  const changeHref = (step: Step, id: string) => `${CITIZEN_PAGES.file(procedure.code)}?buoc=${step}#${id}`;
  const submit = async () => {
    setSending(true);
    const formData = Object.fromEntries(
      procedure.formFields.flatMap((field) => {
        const checked = checkFormField(field, draft.form[field.name] ?? '');
        return checked.ok && checked.value !== undefined ? [[field.name, checked.value]] : [];
      }),
    );
    const applicant = Object.fromEntries(typedApplicantFields(props.session).flatMap((name) => (draft.applicant[name]?.trim() ? [[name, draft.applicant[name]?.trim()]] : [])));
    const { data, error, response } = await api.POST('/dossiers', {
      params: { header: { 'Idempotency-Key': draft.idempotencyKey } },
      headers: props.session ? bearer(props.session) : {},
      body: {
        procedureCode: procedure.code,
        applicant,
        formData,
        attachments: Object.entries(draft.files).map(([documentId, file]) => ({ uploadId: file.uploadId, documentId })),
        fullyOnline: procedure.onlineLevel === 'FULL',
      },
    });
    setSending(false);
    if (data) {
      saveDossier({ code: data.code, secret: data.secret, procedureName: procedure.name, submittedAt: data.submittedAt });
      sessionStorage.removeItem(draftKey(procedure.code));
      navigate(`${CITIZEN_PAGES.dossier(data.code)}?moi=1`, { replace: true });
      return;
    }
    const problem = isProblem(error) ? error : undefined;
    setSignInRequired(problem?.code === 'SIGN_IN_REQUIRED' || problem?.code === 'SIGN_IN_INVALID');
    const found =
      problem?.errors && problem.errors.length > 0
        ? problem.errors.map((issue) => ({ ...inputOfPath(issue.path, draft, procedure), message: issue.message }))
        : [{ field: 'submit', step: 'kiem-tra' as Step, message: problem ? `${problem.title}: ${problem.detail}` : `${t('serviceError')} (${response.status})` }];
    // A refused request was not recorded: the corrected one is a new submission, with a key of its own.
    const refused = response.status >= 400 && response.status < 500 && response.status !== 409;
    props.setDraft({ ...draft, ...(refused ? { idempotencyKey: crypto.randomUUID() } : {}), serverErrors: found.filter((issue) => issue.step !== 'kiem-tra') });
    setErrors(found.map((issue) => (issue.step === 'kiem-tra' ? issue : { ...issue, href: changeHref(issue.step, issue.field) })));
  };
  const row = (label: string, value: string, step: Step, id: string) => (
    <div class="summary__row" key={id}>
      <dt>{label}</dt>
      <dd>{value || '—'}</dd>
      <dd class="summary__action">
        <a href={changeHref(step, id)}>
          {t('change')}
          <span class="visually-hidden"> {label}</span>
        </a>
      </dd>
    </div>
  );
  return (
    <>
      <ErrorSummary title={t('errorTitle')} errors={errors} />
      {signInRequired && props.signInAt ? (
        <p>
          <button type="button" class="button" onClick={props.signInAt}>
            {t('signInButton')}
          </button>
        </p>
      ) : null}
      {props.header}
      <h1>{t('reviewTitle')}</h1>
      <h2>{t('reviewApplicant')}</h2>
      {props.session ? <p>{props.session.name ? t('signedInAs', { name: props.session.name }) : t('signedInAnonymous')}</p> : null}
      <dl class="summary summary--actions">
        {typedApplicantFields(props.session).map((name) => row(t(APPLICANT_LABELS[name]), draft.applicant[name] ?? '', 'nguoi-nop', applicantId(name)))}
      </dl>
      {procedure.formFields.length > 0 ? (
        <>
          <h2>{t('reviewForm')}</h2>
          <dl class="summary summary--actions">{procedure.formFields.map((field) => row(field.label, draft.form[field.name] ?? '', 'thong-tin', formId(field.name)))}</dl>
        </>
      ) : null}
      <h2>{t('reviewDocuments')}</h2>
      <dl class="summary summary--actions">
        {procedure.documents
          .filter((document) => document.required || draft.files[document.id])
          .map((document) => row(document.name, draft.files[document.id]?.name ?? t('noFile'), 'giay-to', fileId(document.id)))}
      </dl>
      <dl class="summary">
        <dt>{t('timeLimit')}</dt>
        <dd>{timeLimitText(procedure.timeLimitDays)}</dd>
        <dt>{t('fee')}</dt>
        <dd>{feeText(procedure.feeVnd)}</dd>
      </dl>
      <p>{procedure.onlineLevel === 'FULL' ? t('fullyOnlineNote') : t('partialNote')}</p>
      <p>{t('declaration')}</p>
      <p>
        <PrivacyLink />
      </p>
      <div class="button-group">
        <button type="button" id="submit" class="button" disabled={sending} onClick={() => void submit()}>
          {sending ? t('submitting') : t('submit')}
        </button>
      </div>
    </>
  );
}

import { useState } from 'preact/hooks';
import type { components } from '../generated/api';
import { isProblem, type Problem } from '../common/api';
import { Checkboxes, DateInput, ErrorSummary, Radios, TextArea, TextInput, type FieldError } from '../common/forms';
import { currentLanguage, formatDateTime } from '../common/i18n';
import { officerApi } from './session';
import { actionText, statusText, t, type TextKey } from './texts';

export type OfficerDossier = components['schemas']['GetOfficerDossierResponse200'];
export type ConsoleAction = OfficerDossier['allowedActions'][number];
type Procedure = components['schemas']['GetProcedureResponse200'];
type Transition = components['schemas']['TransitionDossierRequest'];
type TransitionAction = Transition['action'];
type BodyOf<A extends TransitionAction> = Omit<Extract<Transition, { action: A }>, 'action'>;
type DraftBody = components['schemas']['SaveResultDraftRequest'];
type ApologyBody = components['schemas']['IssueApologyRequest'];
type CancelBody = components['schemas']['CancelResultRequest'];

/**
 * How one field of an action's body is asked for. Every action's form is typed against its
 * request schema in the generated API types: one spec per field of the body, no more, no fewer,
 * and `required` exactly where the schema requires the field (a type error otherwise).
 */
type Kind =
  /** One line of text. */
  | 'line'
  /** Free text (a reason, a note). */
  | 'text'
  /** A list, one item per line. */
  | 'lines'
  /** Whole đồng. */
  | 'amount'
  | 'returnMethod'
  /** Online or at the counter (a fee's payment). */
  | 'paymentMethod'
  /** Form fields of the procedure the citizen may correct. */
  | 'formFields'
  /** Documents of the procedure the citizen may send files for. */
  | 'documents'
  /** A result's title, text and number (approve: the specialist's draft, editable). */
  | 'result'
  /** A day, sent as the close of office hours that day in Vietnam time. */
  | 'day';

interface Spec<Required extends boolean> {
  readonly kind: Kind;
  readonly required: Required;
  readonly label: TextKey;
  readonly hint?: TextKey;
  readonly maxLength?: number;
}
type FormOf<Body> = { readonly [K in keyof Body]-?: Spec<undefined extends Body[K] ? false : true> };

const note = { kind: 'text', required: false, label: 'fieldNote', maxLength: 1000 } as const;
const reason = { kind: 'text', required: true, label: 'fieldReason', hint: 'fieldReasonHint', maxLength: 2000 } as const;
const items = { kind: 'lines', required: true, label: 'fieldItems', hint: 'fieldItemsHint' } as const;
const requestedFields = { kind: 'formFields', required: false, label: 'fieldRequestedFields' } as const;
const requestedDocuments = { kind: 'documents', required: false, label: 'fieldRequestedDocuments' } as const;
const documentNumber = { kind: 'line', required: false, label: 'fieldDocumentNumber', hint: 'fieldDocumentNumberHint', maxLength: 50 } as const;
const signerPosition = { kind: 'line', required: false, label: 'fieldSignerPosition', hint: 'fieldSignerPositionHint', maxLength: 100 } as const;

const FORMS: { readonly [A in TransitionAction]: FormOf<BodyOf<A>> } & {
  readonly 'save-result-draft': FormOf<DraftBody>;
  readonly 'issue-apology': FormOf<ApologyBody>;
  readonly 'cancel-result': FormOf<CancelBody>;
} = {
  receive: { note },
  'refuse-intake': { reason },
  'request-completion': { items, fields: requestedFields, documents: requestedDocuments, note },
  transfer: { note },
  'request-supplement': { items, fields: requestedFields, documents: requestedDocuments, note },
  'request-payment': { amountVnd: { kind: 'amount', required: true, label: 'fieldAmount', hint: 'fieldAmountHint' }, items: { ...items, required: false }, note },
  'record-payment': {
    receiptNumber: { kind: 'line', required: true, label: 'fieldReceiptNumber', maxLength: 50 },
    amountVnd: { kind: 'amount', required: false, label: 'fieldAmount', hint: 'fieldAmountHint' },
    method: { kind: 'paymentMethod', required: true, label: 'fieldPaymentMethod' },
    note,
  },
  approve: { result: { kind: 'result', required: false, label: 'fieldResultContent' }, signerPosition },
  refuse: { reason, documentNumber, signerPosition },
  return: { method: { kind: 'returnMethod', required: true, label: 'fieldReturnMethod' }, note },
  stop: { reason: { ...reason, required: false } },
  'save-result-draft': {
    title: { kind: 'line', required: true, label: 'fieldResultTitle', maxLength: 200 },
    content: { kind: 'text', required: true, label: 'fieldResultContent', hint: 'fieldResultContentHint', maxLength: 20_000 },
    documentNumber,
  },
  'issue-apology': { reason, newAppointmentAt: { kind: 'day', required: true, label: 'fieldNewAppointment', hint: 'fieldNewAppointmentHint' } },
  'cancel-result': { reason },
};

const RETURN_METHODS = ['COUNTER', 'POSTAL', 'ONLINE'] as const satisfies readonly BodyOf<'return'>['method'][];
const PAYMENT_METHODS = ['COUNTER', 'ONLINE'] as const satisfies readonly NonNullable<BodyOf<'record-payment'>['method']>[];

type Values = Readonly<Record<string, string | readonly string[]>>;

const listOf = (value: string | readonly string[] | undefined): readonly string[] => (value === undefined || typeof value === 'string' ? [] : value);

const fieldId = (name: string) => `action-${name.replace(/\./g, '-')}`;

/** The form's first values: the result draft (saved, or the procedure's template filled from the dossier) where the action takes a result. */
function initialValues(action: ConsoleAction, dossier: OfficerDossier): Values {
  const draft = dossier.resultDraft;
  if (action === 'save-result-draft' && draft) return { title: draft.title, content: draft.content, documentNumber: draft.documentNumber ?? '' };
  if (action === 'approve' && draft) return { 'result.title': draft.title, 'result.content': draft.content, 'result.documentNumber': draft.documentNumber ?? '' };
  return {};
}

type Built = { readonly body: Record<string, unknown> } | { readonly errors: FieldError[] };

/** The request body from what was typed, or the messages of what is missing or malformed; the server checks again. */
function buildBody(action: ConsoleAction, values: Values, dossier: OfficerDossier): Built {
  const body: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  const specs = Object.entries(FORMS[action] as Readonly<Record<string, Spec<boolean>>>);
  const textOf = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value.trim() : '';
  };
  for (const [name, spec] of specs) {
    const label = t(spec.label);
    const missing = () =>
      errors.push({ field: fieldId(name), message: t(spec.kind === 'returnMethod' || spec.kind === 'paymentMethod' ? 'chooseOne' : 'required', { field: label.toLowerCase() }) });
    switch (spec.kind) {
      case 'line':
      case 'text':
      case 'returnMethod':
      case 'paymentMethod': {
        const value = textOf(name);
        if (value) body[name] = value;
        else if (spec.required) missing();
        break;
      }
      case 'day': {
        const value = textOf(name);
        if (/^\d{4}-\d{2}-\d{2}$/.test(value)) body[name] = `${value}T17:00:00+07:00`;
        else missing();
        break;
      }
      case 'lines': {
        const lines = textOf(name)
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
        if (lines.length > 0) body[name] = lines;
        else if (spec.required) missing();
        break;
      }
      case 'amount': {
        const digits = textOf(name).replace(/[.\s]/g, '');
        if (digits === '') {
          if (spec.required) missing();
        } else if (/^\d+$/.test(digits) && Number(digits) > 0) body[name] = Number(digits);
        else errors.push({ field: fieldId(name), message: t('notANumber', { field: label }) });
        break;
      }
      case 'formFields':
      case 'documents': {
        const chosen = listOf(values[name]);
        if (chosen.length > 0) body[name] = [...chosen];
        break;
      }
      case 'result': {
        const result = { title: textOf('result.title'), content: textOf('result.content'), documentNumber: textOf('result.documentNumber') };
        if (!result.title) errors.push({ field: fieldId('result.title'), message: t('required', { field: t('fieldResultTitle').toLowerCase() }) });
        if (!result.content) errors.push({ field: fieldId('result.content'), message: t('required', { field: t('fieldResultContent').toLowerCase() }) });
        const draft = dossier.resultDraft;
        // The specialist's saved draft, unchanged, is issued as it was saved: the body leaves it out.
        const unchanged = draft?.source === 'SAVED' && draft.title === result.title && draft.content === result.content && (draft.documentNumber ?? '') === result.documentNumber;
        if (!unchanged) body[name] = { title: result.title, content: result.content, ...(result.documentNumber ? { documentNumber: result.documentNumber } : {}) };
        break;
      }
    }
  }
  return errors.length > 0 ? { errors } : { body };
}

export type ActionOutcome = { readonly kind: 'done'; readonly message: string } | { readonly kind: 'conflict' };

async function send(action: ConsoleAction, code: string, version: string, body: Record<string, unknown>) {
  const params = { path: { code }, header: { 'If-Match': version } };
  switch (action) {
    case 'save-result-draft':
      return officerApi.POST('/officer/dossiers/{code}/result-draft', { params, body: body as DraftBody });
    case 'issue-apology':
      return officerApi.POST('/officer/dossiers/{code}/apology', { params, body: body as ApologyBody });
    case 'cancel-result':
      return officerApi.POST('/officer/dossiers/{code}/result/cancel', { params, body: body as CancelBody });
    default:
      return officerApi.POST('/officer/dossiers/{code}/transitions', { params, body: { ...body, action } as Transition });
  }
}

/** Server field paths (`body.reason`, `body.result.title`, `body.items.0`) to this form's inputs. */
function serverErrors(problem: Problem, action: ConsoleAction): FieldError[] {
  const names = Object.keys(FORMS[action]);
  return (problem.errors ?? []).map((error) => {
    const path = error.path.replace(/^body\./, '');
    const name = path.startsWith('result.') ? path.split('.').slice(0, 2).join('.') : (path.split('.')[0] ?? '');
    const known = names.includes(name) || (name.startsWith('result.') && names.includes('result'));
    return { field: known ? fieldId(name) : fieldId(names[0] ?? 'note'), message: error.message };
  });
}

/**
 * One action's form, with exactly its schema's fields. It is sent with `If-Match` (the version of
 * the dossier shown); if someone changed the dossier in between, the server answers 409 and the
 * form stays as typed: the officer reloads the dossier (`onReload`) and sends again.
 */
export function ActionForm(props: {
  action: ConsoleAction;
  dossier: OfficerDossier;
  procedure: Procedure | undefined;
  onDone: (outcome: ActionOutcome) => void;
  onReload: () => Promise<void>;
  onCancel: () => void;
}) {
  const { action, dossier } = props;
  const [values, setValues] = useState<Values>(() => initialValues(action, dossier));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [refusal, setRefusal] = useState<string | undefined>(undefined);
  const [conflict, setConflict] = useState(false);
  const [reloaded, setReloaded] = useState(false);
  const [sending, setSending] = useState(false);
  const set = (name: string) => (value: string | string[]) => {
    setValues((previous) => ({ ...previous, [name]: value }));
    // A field corrected loses its message; the summary keeps the others until the next submission.
    setErrors((previous) => (previous.some((error) => error.field === fieldId(name)) ? previous.filter((error) => error.field !== fieldId(name)) : previous));
  };
  const textValue = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : '';
  };
  const errorOf = (name: string) => errors.find((error) => error.field === fieldId(name))?.message;
  const title = actionText(action);

  const submit = async (event: Event) => {
    event.preventDefault();
    setRefusal(undefined);
    setConflict(false);
    setReloaded(false);
    const built = buildBody(action, values, dossier);
    if ('errors' in built) {
      setErrors(built.errors);
      return;
    }
    setErrors([]);
    setSending(true);
    try {
      const { data, error, response } = await send(action, dossier.code, `"${dossier.version}"`, built.body);
      if (data !== undefined) {
        const status = statusText(data.status, data.statusLabel, currentLanguage());
        props.onDone({ kind: 'done', message: action === 'save-result-draft' ? t('draftSaved') : t('actionDone', { action: title, status }) });
        return;
      }
      if (response.status === 409 || response.status === 412) {
        if (!isProblem(error) || error.code === 'VERSION_CONFLICT' || response.status === 412) {
          setConflict(true);
          return;
        }
      }
      if (isProblem(error)) {
        setErrors(serverErrors(error, action));
        setRefusal(error.errors?.length ? undefined : error.detail);
      } else setRefusal(t('loadFailed'));
    } catch {
      setRefusal(t('loadFailed'));
    } finally {
      setSending(false);
    }
  };

  const procedure = props.procedure;
  const specs = Object.entries(FORMS[action] as Readonly<Record<string, Spec<boolean>>>);
  return (
    <form noValidate autoComplete="off" onSubmit={(event) => void submit(event)} aria-labelledby="action-heading">
      <h2 id="action-heading">{title}</h2>
      {conflict && (
        <div class="error-summary" role="alert" tabIndex={-1} ref={(element) => element?.focus()}>
          <h2>{t('actionRefused')}</h2>
          <p>{t('conflict')}</p>
          <button
            type="button"
            class="button button--secondary"
            onClick={() =>
              void props.onReload().then(() => {
                setConflict(false);
                setReloaded(true);
              })
            }
          >
            {t('reloadDossier')}
          </button>
        </div>
      )}
      {reloaded && (
        <div class="notice" role="status">
          {t('reloaded')}
        </div>
      )}
      <ErrorSummary title={refusal ? t('actionRefused') : t('errorSummaryTitle')} errors={errors} detail={refusal} />
      {action === 'approve' && <p>{t('approveUsesDraft')}</p>}
      {(action === 'approve' || action === 'save-result-draft') && dossier.resultDraft && (
        <p class="muted">
          {dossier.resultDraft.source === 'SAVED' && dossier.resultDraft.savedBy && dossier.resultDraft.savedAt
            ? t('draftSavedBy', { name: dossier.resultDraft.savedBy.name, at: formatDateTime(dossier.resultDraft.savedAt) })
            : t('draftFromTemplate')}
        </p>
      )}
      {specs.map(([name, spec]) => {
        const id = fieldId(name);
        const common = { id, label: t(spec.label), hint: spec.hint ? t(spec.hint) : undefined, error: errorOf(name), required: spec.required };
        switch (spec.kind) {
          case 'line':
            return <TextInput key={name} {...common} value={textValue(name)} onInput={set(name)} maxLength={spec.maxLength} />;
          case 'text':
            return <TextArea key={name} {...common} value={textValue(name)} onInput={set(name)} maxLength={spec.maxLength} rows={name === 'content' ? 14 : 4} />;
          case 'lines':
            return <TextArea key={name} {...common} value={textValue(name)} onInput={set(name)} rows={4} />;
          case 'amount':
            return <TextInput key={name} {...common} value={textValue(name)} onInput={set(name)} inputMode="numeric" />;
          case 'day':
            return <DateInput key={name} {...common} value={textValue(name)} onChange={set(name)} />;
          case 'returnMethod':
            return <Radios key={name} {...common} value={textValue(name)} onChange={set(name)} options={RETURN_METHODS.map((value) => ({ value, label: t(`return${value}`) }))} />;
          case 'paymentMethod':
            return <Radios key={name} {...common} value={textValue(name)} onChange={set(name)} options={PAYMENT_METHODS.map((value) => ({ value, label: t(`paid${value}`) }))} />;
          case 'formFields':
          case 'documents': {
            const options =
              spec.kind === 'formFields'
                ? (procedure?.formFields ?? []).map((field) => ({ value: field.name, label: field.label }))
                : (procedure?.documents ?? []).map((document) => ({ value: document.id, label: document.name }));
            return options.length === 0 ? null : <Checkboxes key={name} {...common} values={listOf(values[name])} onChange={set(name)} options={options} />;
          }
          case 'result':
            return (
              <div key={name}>
                <TextInput
                  id={fieldId('result.title')}
                  label={t('fieldResultTitle')}
                  value={textValue('result.title')}
                  onInput={set('result.title')}
                  error={errorOf('result.title')}
                  maxLength={200}
                />
                <TextArea
                  id={fieldId('result.content')}
                  label={t('fieldResultContent')}
                  hint={t('fieldResultContentHint')}
                  value={textValue('result.content')}
                  onInput={set('result.content')}
                  error={errorOf('result.content')}
                  maxLength={20_000}
                  rows={14}
                />
                <TextInput
                  id={fieldId('result.documentNumber')}
                  label={t('fieldDocumentNumber')}
                  hint={t('fieldDocumentNumberHint')}
                  value={textValue('result.documentNumber')}
                  onInput={set('result.documentNumber')}
                  error={errorOf('result.documentNumber')}
                  maxLength={50}
                />
              </div>
            );
        }
      })}
      <div class="button-group">
        <button type="submit" class={action === 'refuse' || action === 'refuse-intake' || action === 'cancel-result' ? 'button button--warning' : 'button'} disabled={sending}>
          {t('submitAction', { action: title })}
        </button>
        <button type="button" class="button button--secondary" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

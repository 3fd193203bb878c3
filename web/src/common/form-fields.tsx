import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * Form parts after the GOV.UK Design System: a label that stays visible, a hint, the error above
 * the input (and linked to it with aria-describedby), and an error summary at the top of the page
 * that takes the focus and links to each field.
 */
export interface FieldError {
  /** The id of the input (or of the fieldset's first input) the message belongs to. */
  readonly id: string;
  readonly message: string;
}

/** `detail`: what refused the request as a whole (a problem's detail), above the field messages. */
export function ErrorSummary(props: { readonly title: string; readonly errors: readonly FieldError[]; readonly detail?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const shown = useRef<ReadonlySet<string>>(new Set());
  // The summary takes the focus when it shows something new (a submission refused), not when a
  // message goes away because its field was corrected: that would pull the focus out of the field.
  useEffect(() => {
    const ids = new Set(props.errors.map((error) => error.id));
    const news = [...ids].some((id) => !shown.current.has(id));
    shown.current = ids;
    if (news || props.detail !== undefined) box.current?.focus();
  }, [props.errors, props.detail]);
  if (props.errors.length === 0 && props.detail === undefined) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={box}>
      <h2 id="error-summary-title">{props.title}</h2>
      {props.detail !== undefined && <p>{props.detail}</p>}
      {props.errors.length > 0 && (
        <ul>
          {props.errors.map((error) => (
            <li key={error.id}>
              <a
                href={`#${error.id}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(error.id)?.focus();
                }}
              >
                {error.message}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface FieldFrame {
  readonly id: string;
  readonly label: string;
  readonly hint?: string;
  readonly error?: string;
}

const describedBy = (props: FieldFrame) => [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;

function Frame(props: FieldFrame & { readonly children: ComponentChildren }) {
  return (
    <div class={props.error ? 'field field--error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <span class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.error && (
        <span class="field__error" id={`${props.id}-error`}>
          {props.error}
        </span>
      )}
      {props.children}
    </div>
  );
}

export function TextInput(
  props: FieldFrame & {
    readonly value: string;
    readonly onInput: (value: string) => void;
    readonly type?: 'text' | 'email' | 'tel' | 'search' | 'date' | 'number';
    readonly required?: boolean;
    readonly maxLength?: number;
    readonly autoComplete?: string;
    readonly inputMode?: 'numeric' | 'text' | 'tel' | 'email';
  },
) {
  return (
    <Frame {...props}>
      <input
        id={props.id}
        name={props.id}
        // Preact types each input type apart (the root project's lint sees one type): these all take a text value.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        required={props.required}
        maxLength={props.maxLength}
        autoComplete={props.autoComplete ?? 'off'}
        inputMode={props.inputMode}
        aria-describedby={describedBy(props)}
        aria-invalid={props.error ? true : undefined}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </Frame>
  );
}

export function TextArea(
  props: FieldFrame & { readonly value: string; readonly onInput: (value: string) => void; readonly required?: boolean; readonly maxLength?: number; readonly rows?: number },
) {
  return (
    <Frame {...props}>
      <textarea
        id={props.id}
        name={props.id}
        value={props.value}
        required={props.required}
        maxLength={props.maxLength}
        rows={props.rows ?? 5}
        aria-describedby={describedBy(props)}
        aria-invalid={props.error ? true : undefined}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </Frame>
  );
}

export function Select(
  props: FieldFrame & {
    readonly value: string;
    readonly onChange: (value: string) => void;
    readonly options: readonly { readonly value: string; readonly label: string }[];
    readonly required?: boolean;
  },
) {
  return (
    <Frame {...props}>
      <select
        id={props.id}
        name={props.id}
        value={props.value}
        required={props.required}
        aria-describedby={describedBy(props)}
        aria-invalid={props.error ? true : undefined}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

/** Several choices of one question: a fieldset with its legend, one checkbox each. */
export function Checkboxes(
  props: FieldFrame & {
    readonly values: readonly string[];
    readonly onChange: (values: string[]) => void;
    readonly options: readonly { readonly value: string; readonly label: string }[];
  },
) {
  return (
    <div class={props.error ? 'field field--error' : 'field'}>
      <fieldset aria-describedby={describedBy(props)}>
        <legend>{props.label}</legend>
        {props.hint && (
          <span class="hint" id={`${props.id}-hint`}>
            {props.hint}
          </span>
        )}
        {props.error && (
          <span class="field__error" id={`${props.id}-error`}>
            {props.error}
          </span>
        )}
        {props.options.map((option, index) => {
          const id = index === 0 ? props.id : `${props.id}-${index}`;
          return (
            <div class="choice" key={option.value}>
              <input
                type="checkbox"
                id={id}
                name={props.id}
                value={option.value}
                checked={props.values.includes(option.value)}
                onChange={(event) => props.onChange(event.currentTarget.checked ? [...props.values, option.value] : props.values.filter((value) => value !== option.value))}
              />
              <label for={id}>{option.label}</label>
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}

/** One choice of a few: radios in a fieldset. */
export function Radios(
  props: FieldFrame & {
    readonly value: string;
    readonly onChange: (value: string) => void;
    readonly options: readonly { readonly value: string; readonly label: string }[];
  },
) {
  return (
    <div class={props.error ? 'field field--error' : 'field'}>
      <fieldset aria-describedby={describedBy(props)}>
        <legend>{props.label}</legend>
        {props.hint && (
          <span class="hint" id={`${props.id}-hint`}>
            {props.hint}
          </span>
        )}
        {props.error && (
          <span class="field__error" id={`${props.id}-error`}>
            {props.error}
          </span>
        )}
        {props.options.map((option, index) => {
          const id = index === 0 ? props.id : `${props.id}-${index}`;
          return (
            <div class="choice" key={option.value}>
              <input type="radio" id={id} name={props.id} value={option.value} checked={props.value === option.value} onChange={() => props.onChange(option.value)} />
              <label for={id}>{option.label}</label>
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}

const DATE_PARTS = { vi: { day: 'Ngày', month: 'Tháng', year: 'Năm' }, en: { day: 'Day', month: 'Month', year: 'Year' } } as const;

const splitDate = (value: string) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match ? { year: match[1] ?? '', month: String(Number(match[2])), day: String(Number(match[3])) } : { year: '', month: '', day: '' };
};

/**
 * A date as three boxes, day, month and year, in the order Vietnamese write it (dd/MM/yyyy):
 * the GOV.UK date input rather than the browser's date picker, which shows the device's own format.
 * `onChange` gets `YYYY-MM-DD` once all three are filled, '' until then.
 */
export function DateInput(props: FieldFrame & { readonly value: string; readonly onChange: (value: string) => void; readonly language: 'vi' | 'en' }) {
  const [parts, setParts] = useState(() => splitDate(props.value));
  useEffect(() => {
    if (props.value !== '') setParts(splitDate(props.value));
  }, [props.value]);
  const names = DATE_PARTS[props.language];
  const update = (part: 'day' | 'month' | 'year', text: string) => {
    const next = { ...parts, [part]: text.replace(/\D/g, '') };
    setParts(next);
    const complete = next.day !== '' && next.month !== '' && next.year.length === 4;
    props.onChange(complete ? `${next.year}-${next.month.padStart(2, '0')}-${next.day.padStart(2, '0')}` : '');
  };
  return (
    <div class={props.error ? 'field field--error' : 'field'}>
      <fieldset role="group" aria-describedby={describedBy(props)}>
        <legend>{props.label}</legend>
        {props.hint && (
          <span class="hint" id={`${props.id}-hint`}>
            {props.hint}
          </span>
        )}
        {props.error && (
          <span class="field__error" id={`${props.id}-error`}>
            {props.error}
          </span>
        )}
        <div class="date-input">
          {(['day', 'month', 'year'] as const).map((part) => {
            const id = part === 'day' ? props.id : `${props.id}-${part}`;
            return (
              <div class={`date-input__item date-input__item--${part}`} key={part}>
                <label for={id}>{names[part]}</label>
                <input
                  id={id}
                  name={id}
                  type="text"
                  inputMode="numeric"
                  maxLength={part === 'year' ? 4 : 2}
                  value={parts[part]}
                  aria-invalid={props.error ? true : undefined}
                  onInput={(event) => update(part, event.currentTarget.value)}
                />
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

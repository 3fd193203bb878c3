import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * Form parts in the GOV.UK Design System's way: a label that stays visible, a hint, the error
 * message above the input (and named by `aria-describedby`), and an error summary at the top that
 * takes the focus and links to each field.
 */
export interface FieldError {
  /** The id of the input it is about (the summary's link goes there). */
  readonly field: string;
  readonly message: string;
  /** Where the link goes when the input is on another page (`/nop/…?buoc=…#id`); the page focuses the input. */
  readonly href?: string;
}

export function ErrorSummary(props: { readonly title: string; readonly errors: readonly FieldError[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.errors.length > 0) ref.current?.focus();
  }, [props.errors]);
  if (props.errors.length === 0) return null;
  return (
    <div class="error-summary" ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{props.title}</h2>
      <ul>
        {props.errors.map((error) => (
          <li key={`${error.field}:${error.message}`}>
            <a
              href={error.href ?? `#${error.field}`}
              onClick={(event) => {
                const target = error.href === undefined ? document.getElementById(error.field) : null;
                if (target === null) return;
                event.preventDefault();
                target.scrollIntoView({ block: 'center' });
                target.focus();
              }}
            >
              {error.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldFrame {
  readonly id: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
}

const describedBy = (props: FieldFrame) => [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;

function Frame(props: FieldFrame & { readonly children: ComponentChildren }) {
  return (
    <div class={props.error ? 'field field--error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <span class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {props.error ? (
        <span class="field__error" id={`${props.id}-error`}>
          {props.error}
        </span>
      ) : null}
      {props.children}
    </div>
  );
}

export function TextField(
  props: FieldFrame & {
    readonly value: string;
    readonly onInput: (value: string) => void;
    readonly type?: 'text' | 'tel' | 'email' | 'search';
    readonly inputMode?: 'numeric' | 'tel' | 'email' | 'text';
    readonly autoComplete?: string;
    readonly required?: boolean;
    readonly maxLength?: number | undefined;
  },
) {
  return (
    <Frame {...props}>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        list={undefined}
        value={props.value}
        inputMode={props.inputMode}
        autoComplete={props.autoComplete}
        aria-describedby={describedBy(props)}
        aria-invalid={props.error ? true : undefined}
        aria-required={props.required ? true : undefined}
        spellcheck={false}
        onInput={(event) => props.onInput((event.target as HTMLInputElement).value)}
      />
    </Frame>
  );
}

export function TextArea(props: FieldFrame & { readonly value: string; readonly onInput: (value: string) => void; readonly required?: boolean }) {
  return (
    <Frame {...props}>
      <textarea
        id={props.id}
        name={props.id}
        value={props.value}
        rows={5}
        aria-describedby={describedBy(props)}
        aria-invalid={props.error ? true : undefined}
        aria-required={props.required ? true : undefined}
        onInput={(event) => props.onInput((event.target as HTMLTextAreaElement).value)}
      />
    </Frame>
  );
}

export function SelectField(
  props: FieldFrame & {
    readonly value: string;
    readonly options: readonly { readonly value: string; readonly label: string }[];
    readonly onChange: (value: string) => void;
    readonly required?: boolean;
  },
) {
  return (
    <Frame {...props}>
      <select
        id={props.id}
        name={props.id}
        value={props.value}
        aria-describedby={describedBy(props)}
        aria-invalid={props.error ? true : undefined}
        aria-required={props.required ? true : undefined}
        onChange={(event) => props.onChange((event.target as HTMLSelectElement).value)}
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

/** Radios in a fieldset whose legend is the question; the first radio carries the id the summary links to. */
export function RadioGroup(
  props: FieldFrame & {
    readonly value: string;
    readonly options: readonly { readonly value: string; readonly label: string }[];
    readonly onChange: (value: string) => void;
  },
) {
  return (
    <div class={props.error ? 'field field--error' : 'field'}>
      <fieldset aria-describedby={describedBy(props)}>
        <legend>{props.label}</legend>
        {props.hint ? (
          <span class="hint" id={`${props.id}-hint`}>
            {props.hint}
          </span>
        ) : null}
        {props.error ? (
          <span class="field__error" id={`${props.id}-error`}>
            {props.error}
          </span>
        ) : null}
        {props.options.map((option, index) => (
          <div class="choice" key={option.value}>
            <input
              type="radio"
              id={index === 0 ? props.id : `${props.id}-${index}`}
              name={props.id}
              value={option.value}
              checked={props.value === option.value}
              onChange={() => props.onChange(option.value)}
            />
            <label for={index === 0 ? props.id : `${props.id}-${index}`}>{option.label}</label>
          </div>
        ))}
      </fieldset>
    </div>
  );
}

/** Problem+json `errors` (`body.applicant.phone` …) as field errors, through a map from API paths to input ids. */
export function problemErrors(errors: readonly { readonly path: string; readonly message: string }[] | undefined, fieldOf: (path: string) => string): FieldError[] {
  return (errors ?? []).map((error) => ({ field: fieldOf(error.path), message: error.message }));
}

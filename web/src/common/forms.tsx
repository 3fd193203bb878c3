import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { translator } from './i18n';

/**
 * Form parts after the GOV.UK Design System, for both interfaces: a label that stays visible, a
 * hint, the error message above the input (and named by `aria-describedby`), and an error summary
 * at the top that takes the focus and links to each field.
 */
export interface FieldError {
  /** The id of the input (or of the fieldset's first input) the message is about: the summary's link goes there. */
  readonly field: string;
  readonly message: string;
  /** Where the link goes when the input is on another page (`/nop/…?buoc=…#id`); that page focuses the input. */
  readonly href?: string;
}

const errorKey = (error: FieldError) => `${error.field}:${error.message}`;

/** The forms submitted on the page so far: a summary tells a submission refused from a field corrected by it. */
let submissions = 0;
document.addEventListener(
  'submit',
  () => {
    submissions += 1;
  },
  { capture: true },
);

/**
 * `detail`: what refused the request as a whole (a problem's detail), above the field messages.
 * The summary takes the focus when it shows something after a submission (refused again with the
 * same messages, too) or a message it did not show before, but not when messages only go away
 * because their fields were corrected: that would pull the focus out of the field being typed in.
 */
export function ErrorSummary(props: { readonly title: string; readonly errors: readonly FieldError[]; readonly detail?: string | undefined }) {
  const box = useRef<HTMLDivElement>(null);
  const shown = useRef<readonly string[]>([]);
  const submissionsSeen = useRef(submissions);
  useEffect(() => {
    const keys = [...props.errors.map(errorKey), ...(props.detail === undefined ? [] : [`detail:${props.detail}`])];
    const news = keys.some((key) => !shown.current.includes(key));
    shown.current = keys;
    if (keys.length === 0 || (!news && submissionsSeen.current === submissions)) return;
    submissionsSeen.current = submissions;
    box.current?.focus();
  }, [props.errors, props.detail]);
  if (props.errors.length === 0 && props.detail === undefined) return null;
  return (
    <div class="error-summary" ref={box} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{props.title}</h2>
      {props.detail !== undefined && <p>{props.detail}</p>}
      {props.errors.length > 0 && (
        <ul>
          {props.errors.map((error) => (
            <li key={errorKey(error)}>
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
      )}
    </div>
  );
}

interface FieldFrame {
  readonly id: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
}

interface Option {
  readonly value: string;
  readonly label: string;
}

const describedBy = (props: FieldFrame) => [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** The hint and the error message, between the label (or legend) and the input. */
function HintAndError(props: FieldFrame) {
  return (
    <>
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
    </>
  );
}

/** One input and its label. */
function Frame(props: FieldFrame & { readonly children: ComponentChildren }) {
  return (
    <div class={props.error ? 'field field--error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      <HintAndError {...props} />
      {props.children}
    </div>
  );
}

/** Several inputs answering one question: a fieldset whose legend is the question. */
function Fieldset(props: FieldFrame & { readonly role?: 'group'; readonly children: ComponentChildren }) {
  return (
    <div class={props.error ? 'field field--error' : 'field'}>
      <fieldset role={props.role} aria-describedby={describedBy(props)}>
        <legend>{props.label}</legend>
        <HintAndError {...props} />
        {props.children}
      </fieldset>
    </div>
  );
}

/** The attributes every single input shares: its name, its description, its state. */
const inputAttributes = (props: FieldFrame & { readonly required?: boolean | undefined }) => ({
  id: props.id,
  name: props.id,
  'aria-describedby': describedBy(props),
  'aria-invalid': props.error ? true : undefined,
  // Announced as required, without the browser's own validation bubbles: the forms check themselves (noValidate).
  'aria-required': props.required ? true : undefined,
});

export function TextInput(
  props: FieldFrame & {
    readonly value: string;
    readonly onInput: (value: string) => void;
    readonly type?: 'text' | 'tel' | 'email' | 'search';
    readonly inputMode?: 'numeric' | 'tel' | 'email' | 'text' | undefined;
    readonly autoComplete?: string;
    readonly required?: boolean;
    readonly maxLength?: number | undefined;
  },
) {
  return (
    <Frame {...props}>
      <input
        {...inputAttributes(props)}
        // Preact types each input type apart (the root project's lint sees one type): these all take a text value.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        inputMode={props.inputMode}
        autoComplete={props.autoComplete}
        maxLength={props.maxLength}
        spellcheck={false}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </Frame>
  );
}

export function TextArea(
  props: FieldFrame & {
    readonly value: string;
    readonly onInput: (value: string) => void;
    readonly required?: boolean;
    readonly maxLength?: number | undefined;
    readonly rows?: number;
  },
) {
  return (
    <Frame {...props}>
      <textarea {...inputAttributes(props)} value={props.value} rows={props.rows ?? 5} maxLength={props.maxLength} onInput={(event) => props.onInput(event.currentTarget.value)} />
    </Frame>
  );
}

export function Select(
  props: FieldFrame & { readonly value: string; readonly options: readonly Option[]; readonly onChange: (value: string) => void; readonly required?: boolean },
) {
  return (
    <Frame {...props}>
      <select {...inputAttributes(props)} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

/** Radios or checkboxes in a fieldset; the first carries the field's own id, which the summary links to. */
function Choices(
  props: FieldFrame & {
    readonly type: 'radio' | 'checkbox';
    readonly options: readonly Option[];
    readonly isChecked: (value: string) => boolean;
    readonly onToggle: (value: string, checked: boolean) => void;
  },
) {
  return (
    <Fieldset {...props}>
      {props.options.map((option, index) => {
        const id = index === 0 ? props.id : `${props.id}-${index}`;
        return (
          <div class="choice" key={option.value}>
            <input
              type={props.type}
              id={id}
              name={props.id}
              value={option.value}
              checked={props.isChecked(option.value)}
              onChange={(event) => props.onToggle(option.value, event.currentTarget.checked)}
            />
            <label for={id}>{option.label}</label>
          </div>
        );
      })}
    </Fieldset>
  );
}

/** One choice of a few: radios in a fieldset. */
export function Radios(props: FieldFrame & { readonly value: string; readonly options: readonly Option[]; readonly onChange: (value: string) => void }) {
  return <Choices {...props} type="radio" isChecked={(value) => value === props.value} onToggle={(value) => props.onChange(value)} />;
}

/** Several choices of one question: a fieldset with its legend, one checkbox each. */
export function Checkboxes(props: FieldFrame & { readonly values: readonly string[]; readonly options: readonly Option[]; readonly onChange: (values: string[]) => void }) {
  return (
    <Choices
      {...props}
      type="checkbox"
      isChecked={(value) => props.values.includes(value)}
      onToggle={(value, checked) => props.onChange(checked ? [...props.values, value] : props.values.filter((other) => other !== value))}
    />
  );
}

const dateText = translator({ vi: { day: 'Ngày', month: 'Tháng', year: 'Năm' }, en: { day: 'Day', month: 'Month', year: 'Year' } });

const splitDate = (value: string) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match ? { year: match[1] ?? '', month: String(Number(match[2])), day: String(Number(match[3])) } : { year: '', month: '', day: '' };
};

/**
 * A date as three boxes, day, month and year, in the order Vietnamese write it (dd/MM/yyyy), named
 * in the interface's language: the GOV.UK date input rather than the browser's date picker, which
 * shows the device's own format. `onChange` gets `YYYY-MM-DD` once all three are filled, '' until then.
 */
export function DateInput(props: FieldFrame & { readonly value: string; readonly onChange: (value: string) => void }) {
  const [parts, setParts] = useState(() => splitDate(props.value));
  useEffect(() => {
    if (props.value !== '') setParts(splitDate(props.value));
  }, [props.value]);
  const update = (part: 'day' | 'month' | 'year', text: string) => {
    const next = { ...parts, [part]: text.replace(/\D/g, '') };
    setParts(next);
    const complete = next.day !== '' && next.month !== '' && next.year.length === 4;
    props.onChange(complete ? `${next.year}-${next.month.padStart(2, '0')}-${next.day.padStart(2, '0')}` : '');
  };
  return (
    <Fieldset {...props} role="group">
      <div class="date-input">
        {(['day', 'month', 'year'] as const).map((part) => {
          const id = part === 'day' ? props.id : `${props.id}-${part}`;
          return (
            <div class={`date-input__item date-input__item--${part}`} key={part}>
              <label for={id}>{dateText(part)}</label>
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
    </Fieldset>
  );
}

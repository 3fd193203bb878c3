import { useState } from 'preact/hooks';
import { UploadError, uploadAttachment } from '../common/upload';
import { t } from './text';

/** A file the citizen chose for one of the procedure's documents, once it is in the uploads bucket. */
export interface UploadedFile {
  readonly uploadId: string;
  readonly name: string;
  readonly size: number;
}

const ACCEPTED = ['application/pdf', 'image/jpeg', 'image/png'];
const MAX_BYTES = 10 * 1024 * 1024;

/**
 * One document's file: chosen, checked (type and size, as the bucket's policy will), uploaded at
 * once with its progress in a `<progress>` bar that stays, full, once the file is in.
 */
export function FileUpload(props: {
  readonly id: string;
  readonly label: string;
  readonly hint: string;
  readonly error?: string | undefined;
  readonly file: UploadedFile | undefined;
  readonly onChange: (file: UploadedFile | undefined) => void;
  readonly onBusy: (busy: boolean) => void;
}) {
  const [progress, setProgress] = useState<{ readonly name: string; readonly fraction: number }>();
  const [problem, setProblem] = useState<string>();
  const error = problem ?? props.error;
  const choose = async (file: File | undefined) => {
    setProblem(undefined);
    if (file === undefined) return;
    if (!ACCEPTED.includes(file.type)) return setProblem(t('fileType'));
    if (file.size > MAX_BYTES || file.size === 0) return setProblem(t('fileSize'));
    props.onChange(undefined);
    props.onBusy(true);
    setProgress({ name: file.name, fraction: 0 });
    try {
      const uploadId = await uploadAttachment(file, (fraction) => setProgress({ name: file.name, fraction }));
      props.onChange({ uploadId, name: file.name, size: file.size });
    } catch (caught) {
      setProgress(undefined);
      setProblem(caught instanceof UploadError && caught.problem ? caught.message : t('uploadFailed', { name: file.name }));
    } finally {
      props.onBusy(false);
    }
  };
  const shown = progress ?? (props.file ? { name: props.file.name, fraction: 1 } : undefined);
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      <span class="hint" id={`${props.id}-hint`}>
        {props.hint}
      </span>
      {error ? (
        <span class="field__error" id={`${props.id}-error`}>
          {error}
        </span>
      ) : null}
      <input
        type="file"
        id={props.id}
        accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
        aria-describedby={`${props.id}-hint${error ? ` ${props.id}-error` : ''}`}
        onChange={(event) => void choose((event.target as HTMLInputElement).files?.[0])}
      />
      {shown ? (
        <div class="upload">
          <label for={`${props.id}-progress`} class="upload__label">
            {shown.fraction < 1 ? t('uploading', { name: shown.name }) : t('uploaded', { name: shown.name })}
          </label>
          <progress id={`${props.id}-progress`} max={1} value={shown.fraction}>
            {Math.round(shown.fraction * 100)}%
          </progress>
          {shown.fraction >= 1 && props.file ? (
            <button
              type="button"
              class="link"
              onClick={() => {
                setProgress(undefined);
                props.onChange(undefined);
              }}
            >
              {t('removeFile', { name: props.file.name })}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

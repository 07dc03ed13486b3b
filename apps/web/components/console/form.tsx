'use client';
/**
 * What every console form shares: the API's validation errors shown beside their fields (the
 * error's `details` carry `{ path, message }` per field), submit disabled while saving, and a
 * confirmation once saved.
 */
import { useRouter } from 'next/navigation';
import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useCallback,
  useId,
  useState,
} from 'react';
import { api } from '@/lib/api/browser';
import { ApiError } from '@/lib/api/errors';
import { buttonClass, dangerButtonClass, inputClass, secondaryButtonClass, smallButtonClass } from './form-classes';

/** Field path (first segment, e.g. `credits` for `credits.2.personId`) → messages. */
export type FieldErrors = Record<string, string[]>;

export type SaveState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'saved'; message: string }
  | { status: 'error'; message: string; fieldErrors: FieldErrors };

interface ErrorDetail {
  path?: unknown;
  message?: unknown;
}

/** The API's per-field problems, keyed by the top-level field they concern. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (!(error instanceof ApiError)) return {};
  const out: FieldErrors = {};
  const add = (path: string, message: string) => {
    const key = path.split('.')[0] || '_';
    (out[key] ??= []).push(path.includes('.') ? `${path.slice(key.length + 1)}: ${message}` : message);
  };
  if (Array.isArray(error.details)) {
    for (const detail of error.details as ErrorDetail[]) {
      if (typeof detail?.message === 'string') add(typeof detail.path === 'string' ? detail.path : '', detail.message);
    }
  }
  if (error.code === 'SLUG_TAKEN') add('slug', error.message);
  return out;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/**
 * Runs one save at a time. `run` resolves to the result, or undefined when it failed (the failure
 * is then in `state`, for <FormStatus> and the fields).
 */
export function useSave() {
  const [state, setState] = useState<SaveState>({ status: 'idle' });
  const run = useCallback(async <T,>(work: () => Promise<T>, savedMessage: string): Promise<T | undefined> => {
    setState({ status: 'saving' });
    try {
      const result = await work();
      setState({ status: 'saved', message: savedMessage });
      return result;
    } catch (error) {
      setState({ status: 'error', message: messageOf(error), fieldErrors: fieldErrorsOf(error) });
      return undefined;
    }
  }, []);
  const fieldErrors = state.status === 'error' ? state.fieldErrors : {};
  return { state, run, saving: state.status === 'saving', fieldErrors, reset: () => setState({ status: 'idle' }) };
}

/** The outcome of the last save, announced to screen readers. */
export function FormStatus({ state }: { state: SaveState }) {
  return (
    <div aria-live="polite" className="min-h-6 text-sm">
      {state.status === 'saved' ? (
        <p role="status" className="font-semibold text-ok">
          {state.message}
        </p>
      ) : null}
      {state.status === 'error' ? (
        <p role="alert" className="font-semibold text-down">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}

export function SubmitButton({
  saving,
  children,
  savingText,
}: {
  saving: boolean;
  children: ReactNode;
  savingText?: string;
}) {
  return (
    <button type="submit" className={buttonClass} disabled={saving} aria-disabled={saving}>
      {saving ? (savingText ?? 'Saving…') : children}
    </button>
  );
}

interface FieldShellProps {
  label: string;
  hint?: string;
  errors?: string[];
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
  className?: string;
}

function FieldShell({ label, hint, errors, children, className }: FieldShellProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-semibold">
        {label}
      </label>
      {children({ id, describedBy, invalid: Boolean(errorId) })}
      {hint ? (
        <p id={hintId} className="mt-1 text-xs text-muted">
          {hint}
        </p>
      ) : null}
      <FieldError id={errorId} errors={errors} />
    </div>
  );
}

export function FieldError({ id, errors }: { id?: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="mt-1 text-sm text-down">
      {errors.join('; ')}
    </p>
  );
}

type TextFieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  hint?: string;
  errors?: string[];
  wrapperClassName?: string;
};

export function TextField({ label, hint, errors, wrapperClassName, className, ...input }: TextFieldProps) {
  return (
    <FieldShell label={label} hint={hint} errors={errors} className={wrapperClassName}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          className={`${inputClass} ${className ?? ''}`}
          {...input}
        />
      )}
    </FieldShell>
  );
}

type TextAreaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: string;
  hint?: string;
  errors?: string[];
  wrapperClassName?: string;
};

export function TextArea({ label, hint, errors, wrapperClassName, ...input }: TextAreaProps) {
  return (
    <FieldShell label={label} hint={hint} errors={errors} className={wrapperClassName}>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          className={`${inputClass} min-h-28`}
          {...input}
        />
      )}
    </FieldShell>
  );
}

type SelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  hint?: string;
  errors?: string[];
  wrapperClassName?: string;
  options: readonly { value: string; label: string }[];
};

export function SelectField({ label, hint, errors, wrapperClassName, options, ...select }: SelectFieldProps) {
  return (
    <FieldShell label={label} hint={hint} errors={errors} className={wrapperClassName}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          className={inputClass}
          {...select}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

/** A group of checkboxes (languages, genres, roles…) with its errors. */
export function CheckboxGroup({
  legend,
  options,
  selected,
  onChange,
  errors,
  hint,
}: {
  legend: string;
  options: readonly { value: string; label: string }[];
  selected: readonly string[];
  onChange: (next: string[]) => void;
  errors?: string[];
  hint?: string;
}) {
  const id = useId();
  const toggle = (value: string, on: boolean) =>
    onChange(on ? [...selected, value] : selected.filter((v) => v !== value));
  return (
    <fieldset
      aria-describedby={errors?.length ? `${id}-error` : undefined}
      aria-invalid={errors?.length ? true : undefined}
    >
      <legend className="mb-1 text-sm font-semibold">{legend}</legend>
      {hint ? <p className="mb-1 text-xs text-muted">{hint}</p> : null}
      {options.length === 0 ? <p className="text-sm text-muted">None defined yet.</p> : null}
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => (
          <label key={o.value} className="inline-flex min-h-9 items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="size-4 accent-gold"
              checked={selected.includes(o.value)}
              onChange={(e) => toggle(o.value, e.target.checked)}
            />
            {o.label}
          </label>
        ))}
      </div>
      <FieldError id={`${id}-error`} errors={errors} />
    </fieldset>
  );
}

/** A form's submit button and the outcome of its last save, side by side under the fields. */
export function FormActions({
  saving,
  state,
  children,
  className = 'flex flex-wrap items-center gap-3 sm:col-span-2',
}: {
  saving: boolean;
  state: SaveState;
  /** The submit button's words. */
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={className}>
      <SubmitButton saving={saving}>{children}</SubmitButton>
      <FormStatus state={state} />
    </div>
  );
}

/** `{ name, slug? }` for the API: an empty slug is left out, so the API makes one from the name. */
export function nameAndSlug(name: string, slug: string): { name: string; slug?: string } {
  return { name, ...(slug.trim() ? { slug: slug.trim() } : {}) };
}

/** The hint under Slug when adding something: the API makes the slug when none is given. */
export const SLUG_FROM_NAME_HINT = 'Leave empty to make one from the name.';

/** The state behind NameSlugFields, from the thing being edited (empty when adding one). */
export function useNameSlug(initial?: { name: string; slug: string }) {
  const [name, setName] = useState(initial?.name ?? '');
  const [slug, setSlug] = useState(initial?.slug ?? '');
  return {
    name,
    slug,
    onName: setName,
    onSlug: setSlug,
    /** Empties both fields, for the next one to add. */
    clear: () => {
      setName('');
      setSlug('');
    },
  };
}

/** The Name and Slug fields of anything with a public address (people, categories, genres). */
export function NameSlugFields({
  name,
  slug,
  onName,
  onSlug,
  fieldErrors,
  slugHint,
}: {
  name: string;
  slug: string;
  onName(value: string): void;
  onSlug(value: string): void;
  fieldErrors: FieldErrors;
  slugHint?: string;
}) {
  return (
    <>
      <TextField
        label="Name"
        value={name}
        onChange={(e) => onName(e.target.value)}
        errors={fieldErrors.name}
        required
      />
      <TextField
        label="Slug"
        value={slug}
        onChange={(e) => onSlug(e.target.value)}
        errors={fieldErrors.slug}
        hint={slugHint}
      />
    </>
  );
}

const DELETE_STYLES = {
  danger: { ask: dangerButtonClass, confirm: dangerButtonClass, cancel: secondaryButtonClass },
  small: { ask: `${smallButtonClass} text-down`, confirm: smallButtonClass, cancel: smallButtonClass },
} as const;

/**
 * A delete button that asks first ("Yes, delete" / "Cancel"), sends DELETE to `path`, then opens
 * `redirectTo` or, without it, refreshes the page.
 */
export function ConfirmDelete({
  path,
  label,
  question,
  redirectTo,
  variant = 'danger',
  className = 'flex flex-wrap items-center gap-2 text-sm',
}: {
  path: string;
  /** The first button: "Delete person". */
  label: ReactNode;
  /** Asked before deleting: "Delete Nakato and all their credits?" */
  question: ReactNode;
  redirectTo?: string;
  variant?: keyof typeof DELETE_STYLES;
  className?: string;
}) {
  const router = useRouter();
  const { state, run, saving } = useSave();
  const [confirming, setConfirming] = useState(false);
  const style = DELETE_STYLES[variant];
  async function remove() {
    const done = await run(async () => {
      await api(path, { method: 'DELETE' });
      return true;
    }, 'Deleted.');
    if (!done) return;
    if (redirectTo) router.push(redirectTo);
    else router.refresh();
  }
  return (
    <div className={className}>
      {confirming ? (
        <>
          <span>{question}</span>
          <button type="button" className={style.confirm} disabled={saving} onClick={() => void remove()}>
            Yes, delete
          </button>
          <button type="button" className={style.cancel} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className={style.ask} onClick={() => setConfirming(true)}>
          {label}
        </button>
      )}
      <FormStatus state={state} />
    </div>
  );
}

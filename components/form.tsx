import type { InputHTMLAttributes, ReactNode } from "react";
import type { ActionState } from "@/lib/accounts";

export { SubmitButton } from "./submit-button";

// The one way a form field is drawn, whoever owns the form: its label, an optional hint, and its
// error right under it, tied to the control with aria-invalid and aria-describedby. A field fed the
// form's state (`state`) shows that field's error and starts from what the person typed, so the text
// is still there after React resets the form when its action returns (React 19 resets uncontrolled
// inputs to their defaultValue, which this sets from the state first).

export const INPUT_CLASS =
  "block w-full rounded border border-slate-500 bg-white px-3 py-2 shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-200 aria-[invalid=true]:border-red-600";

/** The first message about `name` in the form's state. */
export function fieldError(state: ActionState | undefined, name: string): string | undefined {
  return state?.fieldErrors?.[name]?.[0];
}

/**
 * True when the form's error is exactly this field's message: the field's error then carries the
 * announcement (role="alert") and the form shows it nowhere else, so it is said once, next to its field.
 */
function isFormErrorOf(state: ActionState | undefined, message: string | undefined): boolean {
  return message !== undefined && state?.error === message;
}

export interface ControlOptions {
  /** The control's id; the error is `${id}-error` and the hint `${id}-hint`. Defaults to the name. */
  id?: string;
  name: string;
  state?: ActionState;
  /** This field's error when the form has no ActionState (a GET form's parsed query, say). */
  error?: string;
  /** What the control shows first; what the person typed (state.values) wins over it. */
  defaultValue?: string;
  hint?: boolean;
  /** Other ids that describe the control, kept alongside the hint and error. */
  describedBy?: string;
}

/**
 * The props that wire any control (input, select, textarea) to its label, hint and error. Use it
 * with <FieldError> for controls <Field> does not draw.
 */
export function controlProps({ id, name, state, error, defaultValue, hint, describedBy }: ControlOptions) {
  const controlId = id ?? name;
  const message = error ?? fieldError(state, name);
  const describers = [hint ? `${controlId}-hint` : undefined, message ? `${controlId}-error` : undefined, describedBy].filter(Boolean);
  return {
    id: controlId,
    name,
    defaultValue: state?.values?.[name] ?? defaultValue,
    "aria-invalid": message ? true : undefined,
    "aria-describedby": describers.length > 0 ? describers.join(" ") : undefined,
  };
}

/** A control's error, under it, with the id its aria-describedby points at. */
export function FieldError({ id, name, state, error, className = "text-sm text-red-700" }: { id?: string; name: string; state?: ActionState; error?: string; className?: string }) {
  const message = error ?? fieldError(state, name);
  if (!message) return null;
  return (
    <p id={`${id ?? name}-error`} role={isFormErrorOf(state, message) ? "alert" : undefined} className={className}>
      {message}
    </p>
  );
}

type FieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id" | "defaultValue"> &
  Omit<ControlOptions, "hint"> & {
    label: ReactNode;
    hint?: ReactNode;
    /** Classes of the wrapper, the label and the input, when the form's layout needs its own. */
    className?: string;
    labelClassName?: string;
    inputClassName?: string;
    errorClassName?: string;
  };

/** A labelled input with its hint and error. */
export function Field({ label, hint, id, name, state, error, defaultValue, describedBy, className = "space-y-1", labelClassName, inputClassName, errorClassName, ...input }: FieldProps) {
  const wiring = controlProps({ id, name, state, error, defaultValue, hint: Boolean(hint), describedBy });
  return (
    <div className={className}>
      <label htmlFor={wiring.id} className={labelClassName ?? "block text-sm font-medium text-slate-700"}>
        {label}
      </label>
      <input {...input} {...wiring} className={inputClassName ?? INPUT_CLASS} />
      {hint && (
        <p id={`${wiring.id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      )}
      <FieldError id={wiring.id} name={name} state={state} error={error} className={errorClassName} />
    </div>
  );
}

/**
 * The form's own message (role="alert"). Given the form's state, it shows state.error unless that is
 * one field's message, which the field already announces next to itself.
 */
export function FormError({ children, state }: { children?: ReactNode; state?: ActionState }) {
  const fieldMessages = Object.values(state?.fieldErrors ?? {}).flatMap((messages) => messages ?? []);
  const message = children ?? (state?.error && !fieldMessages.includes(state.error) ? state.error : undefined);
  if (!message) return null;
  return (
    <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </p>
  );
}

export function FormNotice({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p role="status" className="rounded border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
      {children}
    </p>
  );
}

export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mx-auto max-w-sm space-y-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-2xl font-semibold">{title}</h1>
      {children}
    </div>
  );
}

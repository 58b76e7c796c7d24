// The one modal pattern for small forms and confirmations: a Radix dialog with its title (and
// description), the fields, the error banner and a footer of Cancel and one primary action that
// shows a spinner and is disabled while busy. It is a <form>, so Enter in a field submits;
// Escape and Cancel close; on close focus goes back to whatever opened it (Radix only does
// that for its own Dialog.Trigger, and our dialogs open from plain buttons).
import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { useLayoutEffect, useRef, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { Spinner } from './Spinner';
import './form-dialog.css';

/** A button that shows a spinner while its action runs. */
export function BusyButton({
  busy = false,
  variant = 'default',
  type = 'button',
  children,
  ...rest
}: {
  busy?: boolean;
  variant?: 'default' | 'primary' | 'danger';
  type?: 'button' | 'submit';
} & Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'className'>): React.JSX.Element {
  return (
    <button type={type} className={variant === 'default' ? 'btn' : `btn btn-${variant}`} {...rest}>
      {busy && <Spinner size={12} />}
      {children}
    </button>
  );
}

/** One labelled field: the label wraps the control, with an optional hint under it. */
export function Field({ label, hint, hintId, children }: { label: ReactNode; hint?: ReactNode; hintId?: string; children: ReactNode }): React.JSX.Element {
  return (
    <label className="form-field">
      <span className="form-label">{label}</span>
      {children}
      {hint && (
        <span id={hintId} className="form-hint">
          {hint}
        </span>
      )}
    </label>
  );
}

/** A <select> over a fixed list of values, each shown by its label. */
export function Choice<T extends string>({
  value,
  options,
  labels,
  onChange,
  disabled,
}: {
  value: T;
  options: readonly T[];
  labels: Record<T, string>;
  onChange(value: T): void;
  disabled?: boolean;
}): React.JSX.Element {
  return (
    <select value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as T)}>
      {options.map((o) => (
        <option key={o} value={o}>
          {labels[o]}
        </option>
      ))}
    </select>
  );
}

/** What a dialog's owner controls: whether it is open, and hearing that it wants to close. */
export interface DialogState {
  open: boolean;
  onOpenChange(open: boolean): void;
}

export function FormDialog({
  open,
  onOpenChange,
  title,
  description,
  size = 'md',
  className,
  closeButton = true,
  error,
  busy = false,
  onSubmit,
  submitLabel,
  submitDisabled = false,
  danger = false,
  actions,
  cancelLabel = 'Cancel',
  children,
}: DialogState & {
  title: ReactNode;
  /** A sentence under the title; the dialog's accessible description. */
  description?: ReactNode;
  /** sm: a confirmation; md: a form; lg: a form with a table or several sections. */
  size?: 'sm' | 'md' | 'lg';
  className?: string;
  /** The × in the corner (a confirmation has only Cancel, which then takes the first focus). */
  closeButton?: boolean;
  /** Shown as an alert above the footer. */
  error?: ReactNode;
  /** The primary action is running: its spinner shows and a second submit is ignored. */
  busy?: boolean;
  /** The form's submit (the primary button, or Enter in a field). */
  onSubmit(): void;
  /** The primary button's label; without it (and without `actions`) the footer has Cancel only. */
  submitLabel?: ReactNode;
  submitDisabled?: boolean;
  danger?: boolean;
  /** Replaces the primary button when a dialog has more than one way to finish. */
  actions?: ReactNode;
  cancelLabel?: string;
  children?: ReactNode;
}): React.JSX.Element {
  // Remembered before Radix moves focus into the dialog (layout effects run before its focus
  // scope's), and given back on close, also when the owner unmounts the dialog to close it.
  const opener = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    if (open) opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }, [open]);

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content
          className={['modal', 'form-dialog', size === 'sm' ? 'modal-sm' : size === 'lg' ? 'form-dialog-lg' : '', className ?? ''].filter(Boolean).join(' ')}
          {...(description ? {} : { 'aria-describedby': undefined })}
          onCloseAutoFocus={(e) => {
            e.preventDefault();
            if (opener.current?.isConnected) opener.current.focus();
          }}
        >
          <div className="modal-head">
            <Dialog.Title className="modal-title">{title}</Dialog.Title>
            {closeButton && (
              <Dialog.Close className="icon-btn" aria-label="Close">
                <X size={16} aria-hidden="true" />
              </Dialog.Close>
            )}
          </div>
          {description && <Dialog.Description className="form-dialog-desc">{description}</Dialog.Description>}
          <form
            className="form-dialog-body"
            onSubmit={(e) => {
              e.preventDefault();
              if (!busy && !submitDisabled) onSubmit();
            }}
          >
            {children}
            {error && (
              <p className="field-error" role="alert">
                {error}
              </p>
            )}
            <div className="modal-actions">
              <Dialog.Close asChild>
                <button type="button" className="btn">
                  {cancelLabel}
                </button>
              </Dialog.Close>
              {actions ??
                (submitLabel !== undefined && (
                  <BusyButton type="submit" variant={danger ? 'danger' : 'primary'} busy={busy} disabled={busy || submitDisabled}>
                    {submitLabel}
                  </BusyButton>
                ))}
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

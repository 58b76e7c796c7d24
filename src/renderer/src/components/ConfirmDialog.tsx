// A small modal confirmation for destructive actions (e.g. removing the demo company).
import type { ReactNode } from 'react';
import { FormDialog } from './FormDialog';

export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  onConfirm,
  danger = false,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm(): void;
  danger?: boolean;
}): React.JSX.Element {
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title={title}
      description={description}
      size="sm"
      closeButton={false}
      submitLabel={confirmLabel}
      danger={danger}
      onSubmit={() => {
        onOpenChange(false);
        onConfirm();
      }}
    />
  );
}

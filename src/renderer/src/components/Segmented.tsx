// A segmented control: a row of buttons acting as one radio group (the currency shown, a draft's
// tone, a setting with a few choices). Each segment is its own Tab stop and Enter/Space picks
// it, as before this component existed; the styles are .segmented/.segment in styles.css.
import type { ReactNode } from 'react';

export interface Segment<T extends string> {
  value: T;
  label: ReactNode;
  /** A tooltip explaining the choice. */
  title?: string;
}

export function Segmented<T extends string>({
  label,
  labelledBy,
  options,
  value,
  onChange,
  disabled = false,
  className,
}: {
  /** The group's accessible name, unless `labelledBy` points at a visible label. */
  label?: string;
  labelledBy?: string;
  options: readonly Segment<T>[];
  /** The chosen value; none is checked while it is unknown. */
  value: T | null | undefined;
  onChange(value: T): void;
  disabled?: boolean;
  className?: string;
}): React.JSX.Element {
  return (
    <div className={className ? `segmented ${className}` : 'segmented'} role="radiogroup" aria-label={label} aria-labelledby={labelledBy}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={o.value === value}
          className="segment"
          disabled={disabled}
          title={o.title}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

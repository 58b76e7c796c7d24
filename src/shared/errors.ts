// One error type for the whole app. Transports turn any thrown value into {code, message};
// only SettleError and validation messages are shown as they are, anything else is generic.
import type { ErrorBody, ErrorCode } from './contract';

export class SettleError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SettleError';
  }
}

interface IssueLike {
  path: PropertyKey[];
  message: string;
}

function isZodError(err: unknown): err is { issues: IssueLike[] } {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { name?: unknown }).name === 'ZodError' &&
    Array.isArray((err as { issues?: unknown }).issues)
  );
}

export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof SettleError) return { code: err.code, message: err.message };
  if (isZodError(err)) {
    const message = err.issues
      .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
      .join('; ');
    return { code: 'invalid_input', message: message || 'Invalid input' };
  }
  return { code: 'internal', message: 'Something went wrong inside Settle; the details are in the log.' };
}

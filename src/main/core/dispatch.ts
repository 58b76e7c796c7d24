// The one entry point every transport uses: validate the input against the contract, call the
// handler, and turn any failure into {code, message}. Internal errors are logged, not leaked.
import { isMethod, methods, type Envelope, type Handlers, type Method } from '../../shared/contract';
import { SettleError, toErrorBody } from '../../shared/errors';
import type { Logger } from './ports';

export async function dispatch(
  handlers: Handlers,
  method: string,
  rawInput: unknown,
  logger?: Logger,
): Promise<Envelope<unknown>> {
  try {
    if (!isMethod(method)) throw new SettleError('not_found', `Unknown method: ${method}`);
    const input: unknown = methods[method].input.parse(rawInput);
    const handler = handlers[method] as (i: unknown) => unknown;
    const value = await handler(input);
    return { ok: true, value: value === undefined ? null : value };
  } catch (err) {
    const body = toErrorBody(err);
    if (body.code === 'internal') {
      logger?.error('handler failed', {
        method,
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      });
    }
    return { ok: false, error: body };
  }
}

export type { Method };

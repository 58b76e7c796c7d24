// Account names every SecretStore accepts: the same rule as the keychain adapter, so a name
// that works with the file or memory store also works with keytar.
import { SettleError } from '../../../shared/errors';

const ACCOUNT = /^[\w.:@-]{1,200}$/;

export function checkAccount(account: string): string {
  if (typeof account !== 'string' || !ACCOUNT.test(account)) {
    throw new SettleError('invalid_input', 'A secret account name is 1-200 letters, digits or . : @ _ -');
  }
  return account;
}

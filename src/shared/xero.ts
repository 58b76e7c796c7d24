// Xero-specific shapes of the contract (issue 4): the organisation picker after the browser
// sign-in, the per-connection API budget and Xero's own reminder setting.

export type XeroTier = 'standard' | 'starter';

/** One organisation the owner authorised in the Xero sign-in. */
export interface XeroTenantChoice {
  tenantId: string;
  name: string;
  /** Already connected (and active) in Settle: adding it again is refused. */
  connected: boolean;
}

/** connections.connectXero: the sign-in is done; the tokens wait in the core under `pendingId`. */
export interface XeroPendingConnect {
  pendingId: string;
  /** When the held sign-in is dropped (connect again after that). */
  expiresAt: string;
  tenants: XeroTenantChoice[];
}

/** A provider's daily call budget for one connection (Xero: 5,000 a day, 1,000 on Starter). */
export interface ApiBudget {
  usedToday: number;
  limit: number;
  tier: XeroTier;
  /** While the budget is spent: when syncing resumes. */
  resetsAt?: string | null;
}

/** connections.xeroReminders: whether Xero itself sends invoice reminders for this organisation. */
export interface XeroReminderInfo {
  connectionId: string;
  enabled: boolean;
  checkedAt: string;
}

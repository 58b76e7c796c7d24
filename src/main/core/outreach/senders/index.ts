// The senders as other folders see it: email settings and test sends (email.* handlers), and the
// SMTP channel the outbox sends through.
export { createEmailService, type EmailDeps } from './email.service';
export { smtpPortFrom, type SmtpPort } from './smtp-port';
export type { SmtpSenderOptions } from './smtp';
export * from './invoice-pdf';
export * from './ledger';
export * from './manual';
export * from './types';

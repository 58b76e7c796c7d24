// QBO entity JSON as the emulator stores and serves it (field names as in ledger-apis.md §1.5).
// Amounts are plain numbers here (dollars, at most 2 decimals); on the wire they are written
// with exactly two decimals.

export interface QboRef {
  value: string;
  name?: string;
}

export interface QboMetaData {
  CreateTime: string;
  LastUpdatedTime: string;
}

export interface QboAddress {
  Id?: string;
  Line1?: string;
  City?: string;
  CountrySubDivisionCode?: string;
  PostalCode?: string;
  Country?: string;
}

interface QboBase {
  Id: string;
  SyncToken: string;
  domain: 'QBO';
  sparse: boolean;
  MetaData: QboMetaData;
}

export interface QboCustomer extends QboBase {
  Active: boolean;
  Job: boolean;
  ParentRef?: QboRef;
  Level?: number;
  BillWithParent?: boolean;
  DisplayName: string;
  CompanyName?: string;
  GivenName?: string;
  FamilyName?: string;
  FullyQualifiedName: string;
  PrimaryEmailAddr?: { Address: string };
  PrimaryPhone?: { FreeFormNumber: string };
  BillAddr?: QboAddress;
  CurrencyRef: QboRef;
  SalesTermRef?: QboRef;
  PreferredDeliveryMethod?: string;
  Taxable: boolean;
  Balance: number;
  BalanceWithJobs: number;
  Notes?: string;
}

export interface QboSalesLine {
  Id?: string;
  LineNum?: number;
  Description?: string;
  Amount: number;
  DetailType: 'SalesItemLineDetail' | 'SubTotalLineDetail';
  SalesItemLineDetail?: { ItemRef: QboRef; Qty?: number; UnitPrice?: number; TaxCodeRef?: { value: string } };
  SubTotalLineDetail?: Record<string, never>;
}

export interface QboLinkedTxn {
  TxnId: string;
  TxnType: 'Invoice' | 'Payment' | 'CreditMemo';
}

export interface QboInvoice extends QboBase {
  CustomField: unknown[];
  DocNumber: string;
  TxnDate: string;
  DueDate: string;
  CurrencyRef: QboRef;
  ExchangeRate: number;
  PrivateNote?: string;
  LinkedTxn: QboLinkedTxn[];
  Line: QboSalesLine[];
  TxnTaxDetail: { TotalTax: number };
  CustomerRef: QboRef;
  CustomerMemo?: { value: string };
  BillAddr?: QboAddress;
  SalesTermRef?: QboRef;
  TotalAmt: number;
  Balance: number;
  HomeTotalAmt?: number;
  HomeBalance?: number;
  ApplyTaxAfterDiscount: boolean;
  PrintStatus: 'NotSet' | 'NeedToPrint' | 'PrintComplete';
  EmailStatus: 'NotSet' | 'NeedToSend' | 'EmailSent';
  BillEmail?: { Address: string };
  BillEmailCc?: { Address: string };
  BillEmailBcc?: { Address: string };
  DeliveryInfo?: { DeliveryType: 'Email'; DeliveryTime: string };
  AllowOnlineCreditCardPayment: boolean;
  AllowOnlineACHPayment: boolean;
  InvoiceLink?: string;
}

export interface QboPaymentLine {
  Amount: number;
  LinkedTxn: QboLinkedTxn[];
  LineEx?: { any: unknown[] };
}

export interface QboPayment extends QboBase {
  TxnDate: string;
  CurrencyRef: QboRef;
  ExchangeRate: number;
  CustomerRef: QboRef;
  TotalAmt: number;
  UnappliedAmt: number;
  DepositToAccountRef: QboRef;
  PaymentMethodRef?: QboRef;
  PaymentRefNum?: string;
  PrivateNote?: string;
  ProcessPayment: boolean;
  Line: QboPaymentLine[];
}

export interface QboCreditMemo extends QboBase {
  CustomField: unknown[];
  DocNumber: string;
  TxnDate: string;
  CurrencyRef: QboRef;
  ExchangeRate: number;
  PrivateNote?: string;
  Line: QboSalesLine[];
  TxnTaxDetail: { TotalTax: number };
  CustomerRef: QboRef;
  CustomerMemo?: { value: string };
  BillAddr?: QboAddress;
  TotalAmt: number;
  RemainingCredit: number;
  Balance: number;
  HomeTotalAmt?: number;
  HomeBalance?: number;
  ApplyTaxAfterDiscount: boolean;
  PrintStatus: 'NotSet' | 'NeedToPrint' | 'PrintComplete';
  EmailStatus: 'NotSet' | 'NeedToSend' | 'EmailSent';
}

export interface QboCompanyInfo extends QboBase {
  CompanyName: string;
  LegalName: string;
  CompanyAddr: QboAddress;
  Country: string;
  Email: { Address: string };
  WebAddr: { URI: string };
  SupportedLanguages: string;
  CompanyStartDate: string;
  FiscalYearStartMonth: string;
  NameValue: { Name: string; Value: string }[];
}

/** Entities the emulator keeps (and CDC and the query endpoint serve). */
export type QboEntityName = 'Customer' | 'Invoice' | 'Payment' | 'CreditMemo';

export interface QboEntityMap {
  Customer: QboCustomer;
  Invoice: QboInvoice;
  Payment: QboPayment;
  CreditMemo: QboCreditMemo;
}

/** The reduced form CDC gives for an object deleted in the window. */
export interface QboDeleted {
  status: 'Deleted';
  domain: 'QBO';
  Id: string;
  MetaData: { LastUpdatedTime: string };
}

export interface QboTombstone {
  entity: QboEntityName;
  Id: string;
  deletedMs: number;
  deletedAt: string;
}

/** Everything in the company, copied (so callers can't mutate the emulator by accident). */
export interface QboSnapshot {
  now: string;
  today: string;
  customers: QboCustomer[];
  invoices: QboInvoice[];
  payments: QboPayment[];
  creditMemos: QboCreditMemo[];
  deleted: QboTombstone[];
}

/** OAuth token endpoint success body. */
export interface QboTokenResponse {
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
  x_refresh_token_expires_in: number;
  access_token: string;
  id_token?: string;
  x_refresh_token_hard_expires_in?: number;
}

/** Keys whose numbers QBO writes as money (two decimals). */
export const MONEY_KEYS: ReadonlySet<string> = new Set([
  'Amount',
  'TotalAmt',
  'Balance',
  'BalanceWithJobs',
  'UnappliedAmt',
  'RemainingCredit',
  'HomeBalance',
  'HomeTotalAmt',
]);

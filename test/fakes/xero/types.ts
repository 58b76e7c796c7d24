// Xero Accounting JSON as the emulator serves it (field names as in ledger-apis.md §2 and the
// examples/xero-*.json samples). These are the WIRE shapes: dates are MS-JSON strings
// ("/Date(1539993600000+0000)/"), amounts are JSON numbers (dollars, at most 2 decimals).

/** "/Date(<ms>+0000)/" */
export type MsDate = string;

export type XeroInvoiceStatus = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';
export type XeroCreditNoteStatus = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';
export type XeroPaymentStatus = 'AUTHORISED' | 'DELETED';
export type XeroContactStatus = 'ACTIVE' | 'ARCHIVED' | 'GDPRREQUEST';

export interface XeroContactRef {
  ContactID: string;
  Name: string;
  Addresses?: unknown[];
  Phones?: unknown[];
  ContactGroups?: unknown[];
  ContactPersons?: unknown[];
  HasValidationErrors?: boolean;
}

export interface XeroLineItem {
  LineItemID: string;
  Description: string;
  Quantity: number;
  UnitAmount: number;
  AccountCode: string;
  TaxType: string;
  TaxAmount: number;
  LineAmount: number;
}

/** An entry of Invoice.Payments[]. */
export interface XeroInvoicePayment {
  PaymentID: string;
  Date: MsDate;
  Amount: number;
  Reference?: string;
  CurrencyRate: number;
  HasAccount: boolean;
  HasValidationErrors: boolean;
}

/** An entry of Invoice.CreditNotes[]. */
export interface XeroInvoiceCreditNote {
  CreditNoteID: string;
  CreditNoteNumber: string;
  Date: MsDate;
  DateString: string;
  Total: number;
  AppliedAmount: number;
  HasErrors: boolean;
}

export interface XeroInvoice {
  Type: 'ACCREC' | 'ACCPAY';
  InvoiceID: string;
  InvoiceNumber: string;
  Reference: string;
  Payments: XeroInvoicePayment[];
  CreditNotes: XeroInvoiceCreditNote[];
  Prepayments: unknown[];
  Overpayments: unknown[];
  AmountDue: number;
  AmountPaid: number;
  AmountCredited: number;
  SentToContact: boolean;
  CurrencyRate: number;
  HasErrors: boolean;
  IsDiscounted: boolean;
  HasAttachments: boolean;
  Contact: XeroContactRef;
  DateString: string;
  Date: MsDate;
  DueDateString?: string;
  DueDate?: MsDate;
  Status: XeroInvoiceStatus;
  LineAmountTypes: 'Exclusive' | 'Inclusive' | 'NoTax';
  /** Omitted when listing without `page` and with summaryOnly=true (see the server header). */
  LineItems?: XeroLineItem[];
  SubTotal: number;
  TotalTax: number;
  Total: number;
  UpdatedDateUTC: MsDate;
  UpdatedDateUTCString: string;
  CurrencyCode: string;
  FullyPaidOnDate?: MsDate;
  Url?: string;
}

export interface XeroAddress {
  AddressType: 'STREET' | 'POBOX';
  AddressLine1?: string;
  AddressLine2?: string;
  AddressLine3?: string;
  AddressLine4?: string;
  City: string;
  Region: string;
  PostalCode: string;
  Country: string;
}

export interface XeroPhone {
  PhoneType: 'DDI' | 'DEFAULT' | 'FAX' | 'MOBILE';
  PhoneNumber: string;
  PhoneAreaCode: string;
  PhoneCountryCode: string;
}

export interface XeroContactPerson {
  FirstName: string;
  LastName: string;
  EmailAddress: string;
  IncludeInEmails: boolean;
}

export type XeroPaymentTermType = 'DAYSAFTERBILLDATE' | 'DAYSAFTERBILLMONTH' | 'OFCURRENTMONTH' | 'OFFOLLOWINGMONTH';

export interface XeroContact {
  ContactID: string;
  ContactNumber?: string;
  AccountNumber?: string;
  ContactStatus: XeroContactStatus;
  Name: string;
  FirstName?: string;
  LastName?: string;
  EmailAddress?: string;
  BankAccountDetails: string;
  Addresses: XeroAddress[];
  Phones: XeroPhone[];
  UpdatedDateUTC: MsDate;
  ContactGroups: unknown[];
  IsSupplier: boolean;
  IsCustomer: boolean;
  DefaultCurrency?: string;
  PaymentTerms?: { Sales?: { Day: number; Type: XeroPaymentTermType } };
  /** Omitted with summaryOnly=true. */
  Balances?: {
    AccountsReceivable: { Outstanding: number; Overdue: number };
    AccountsPayable: { Outstanding: number; Overdue: number };
  };
  ContactPersons: XeroContactPerson[];
  HasAttachments: boolean;
  HasValidationErrors: boolean;
  MergedToContactID?: string;
}

export interface XeroPayment {
  PaymentID: string;
  Date: MsDate;
  BankAmount: number;
  Amount: number;
  Reference: string;
  CurrencyRate: number;
  PaymentType: 'ACCRECPAYMENT';
  Status: XeroPaymentStatus;
  UpdatedDateUTC: MsDate;
  HasAccount: boolean;
  IsReconciled: boolean;
  Account: { AccountID: string; Code: string };
  Invoice: {
    Type: 'ACCREC';
    InvoiceID: string;
    InvoiceNumber: string;
    Contact: XeroContactRef;
    CurrencyCode: string;
  };
  BatchPaymentID?: string;
  HasValidationErrors: boolean;
}

export interface XeroAllocation {
  AllocationID: string;
  Amount: number;
  Date: MsDate;
  Invoice: { InvoiceID: string; InvoiceNumber: string };
  IsDeleted: boolean;
}

export interface XeroCreditNote {
  CreditNoteID: string;
  CreditNoteNumber: string;
  Type: 'ACCRECCREDIT';
  Reference: string;
  Contact: XeroContactRef;
  DateString: string;
  Date: MsDate;
  Status: XeroCreditNoteStatus;
  LineAmountTypes: 'Exclusive';
  LineItems?: XeroLineItem[];
  SubTotal: number;
  TotalTax: number;
  Total: number;
  UpdatedDateUTC: MsDate;
  CurrencyCode: string;
  CurrencyRate: number;
  RemainingCredit: number;
  Allocations: XeroAllocation[];
  FullyPaidOnDate?: MsDate;
  HasAttachments: boolean;
  HasErrors: boolean;
}

export interface XeroHistoryRecord {
  Changes: string;
  DateUTCString: string;
  DateUTC: MsDate;
  User: string;
  Details: string;
}

export interface XeroConnection {
  id: string;
  authEventId: string;
  tenantId: string;
  tenantType: 'ORGANISATION';
  tenantName: string;
  createdDateUtc: string;
  updatedDateUtc: string;
}

/** Token endpoint success body. `refresh_token` only with offline_access, `id_token` only with openid. */
export interface XeroTokenResponse {
  id_token?: string;
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  refresh_token?: string;
  scope: string;
}

export interface XeroSnapshot {
  /** ISO instant of the emulator clock. */
  now: string;
  today: string;
  tenantId: string;
  tenantName: string;
  contacts: XeroContact[];
  invoices: XeroInvoice[];
  payments: XeroPayment[];
  creditNotes: XeroCreditNote[];
}

// The invoice PDF for a company without a ledger to print it (the demo company): one plain A4
// page with the invoice's figures from the local ledger, so "Attach PDF" works the same there as
// with QuickBooks (GET /invoice/{id}/pdf) and Xero (Accept: application/pdf). A few dozen lines
// of PDF 1.4 by hand rather than a PDF library: the page is text only, in the standard Helvetica.
import { formatMoney } from '../../../../shared/money';

export interface PdfInvoice {
  company: string;
  customer: string;
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  totalCents: number;
  balanceCents: number;
  locale?: string;
}

/** Latin-1 text in a PDF string literal (WinAnsi covers it); anything else becomes '?'. */
function pdfString(text: string): string {
  const winAnsi = text.replace(/[\u00a0\u202f\u2009]/g, ' ').replace(/€/g, '\x80').replace(/[–—]/g, '-');
  const latin1 = [...winAnsi].map((ch) => (ch.length === 1 && ch.charCodeAt(0) <= 0xff ? ch : '?')).join('');
  return `(${latin1.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')})`;
}

export function invoicePdf(inv: PdfInvoice): Uint8Array {
  const money = (c: number): string => formatMoney(c, inv.currency, inv.locale);
  const lines: [number, string][] = [
    [20, `Invoice ${inv.number}`],
    [11, inv.company],
    [11, ''],
    [11, `Bill to: ${inv.customer}`],
    [11, `Issued: ${inv.issueDate}`],
    [11, `Due: ${inv.dueDate}`],
    [11, ''],
    [11, `Total: ${money(inv.totalCents)}`],
    [11, `Paid or credited: ${money(inv.totalCents - inv.balanceCents)}`],
    [13, `Balance due: ${money(inv.balanceCents)}`],
  ];
  let y = 780;
  const ops = ['BT'];
  for (const [size, text] of lines) {
    ops.push(`/F1 ${size} Tf 1 0 0 1 56 ${y} Tm ${pdfString(text)} Tj`);
    y -= size + 10;
  }
  ops.push('ET');
  const content = ops.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

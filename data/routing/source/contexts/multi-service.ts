// File: src/billing/invoiceService.ts
import { db } from '../db/client';
import { sendEmail } from '../notifications/mailer';
import { TaxCalculator } from './taxCalculator';

export class InvoiceService {
  constructor(private readonly tax = new TaxCalculator()) {}

  async issue(orderId: string): Promise<string> {
    const order = await db.orders.find(orderId);
    const lines = order.items.map((i) => ({ ...i, tax: this.tax.forItem(i, order.country) }));
    const invoice = await db.invoices.insert({ orderId, lines, total: lines.reduce((s, l) => s + l.price + l.tax, 0) });
    await sendEmail(order.customerEmail, 'invoice', { invoiceId: invoice.id });
    return invoice.id;
  }
}

// File: src/billing/taxCalculator.ts
import { rates } from '../config/taxRates';
export class TaxCalculator {
  forItem(item: { price: number; category: string }, country: string): number {
    const rate = rates[country]?.[item.category] ?? rates[country]?.default ?? 0;
    return Math.round(item.price * rate);
  }
}

// File: src/notifications/mailer.ts
import { db } from '../db/client';
export async function sendEmail(to: string, template: string, data: Record<string, unknown>) {
  const tpl = await db.templates.find(template);
  await fetch(process.env.MAIL_URL!, { method: 'POST', body: JSON.stringify({ to, html: tpl.render(data) }) });
}

// File: src/db/client.ts
export const db = createClient(process.env.DATABASE_URL!);

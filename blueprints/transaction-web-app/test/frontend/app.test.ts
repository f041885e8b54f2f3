import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { parseTransactionInput } from '../../src/app/transaction-input';

const FRONTEND = path.join(__dirname, '..', '..', 'src', 'frontend');
const html = fs.readFileSync(path.join(FRONTEND, 'index.html'), 'utf-8');

describe('index.html', () => {
  test('has no inline script, style or event handler, so a Content-Security-Policy of \'self\' only allows the page', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  test('loads only files of its own origin that exist beside it', () => {
    const references = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map(m => m[1]);
    expect(references).toEqual(['/styles.css', '/app.js']);
    for (const reference of references) expect(fs.existsSync(path.join(FRONTEND, reference))).toBe(true);
  });

  test('has the form fields and the elements app.js uses', () => {
    for (const id of ['transaction-form', 'status', 'recent']) expect(html).toContain(`id="${id}"`);
    for (const name of ['amount', 'currency', 'reference']) expect(html).toContain(`name="${name}"`);
  });
});

/** Just enough of a DOM element for app.js. */
class FakeElement {
  public textContent = '';
  public className = '';
  public disabled = false;
  public children: FakeElement[] = [];
  public readonly listeners: { [type: string]: (event: unknown) => unknown } = {};
  public values: Record<string, string> = {};
  public readonly button?: FakeElement;
  constructor(public readonly tagName: string) {
    if (tagName === 'form') this.button = new FakeElement('button');
  }
  public addEventListener(type: string, listener: (event: unknown) => unknown) { this.listeners[type] = listener; }
  public append(...children: FakeElement[]) { this.children.push(...children); }
  public replaceChildren(...children: FakeElement[]) { this.children = children; }
  public querySelector(selector: string) { return selector === 'button' ? this.button : undefined; }
  public reset() { this.values = {}; }
}

/** Runs app.js against fake elements and a fake fetch that answers from `answers`, in order. */
function load(answers: Array<{ status: number; body: unknown }>) {
  const elements: Record<string, FakeElement> = { 'transaction-form': new FakeElement('form'), 'status': new FakeElement('p'), 'recent': new FakeElement('tbody') };
  const requests: Array<{ url: string; init?: { method?: string; headers?: Record<string, string>; body?: string } }> = [];
  let uuid = 0;
  const sandbox = {
    document: { getElementById: (id: string) => elements[id], createElement: (tag: string) => new FakeElement(tag) },
    crypto: { randomUUID: () => `00000000-0000-4000-8000-00000000000${++uuid}` },
    FormData: class { constructor(private readonly form: FakeElement) {} get(name: string) { return this.form.values[name] ?? ''; } },
    fetch: async (url: string, init?: { method?: string; body?: string }) => {
      requests.push({ url, init });
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected request ${url}`);
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    },
    Date,
  };
  vm.runInNewContext(fs.readFileSync(path.join(FRONTEND, 'app.js'), 'utf-8'), sandbox);
  const submit = (values: Record<string, string>) => {
    elements['transaction-form'].values = values;
    return elements['transaction-form'].listeners.submit({ preventDefault: () => undefined }) as Promise<void>;
  };
  return { elements, requests, submit };
}

const flush = () => new Promise(resolve => setTimeout(resolve, 0));
const TRANSACTION = { id: 'a2b9c7f4-0e1d-4c55-9a51-1f0c5d8e7b21', amount: '12.50', amountMinor: 1250, currency: 'EUR', reference: '<img src=x onerror=alert(1)>', createdAt: '2026-12-03T10:00:00.000Z' };

describe('app.js', () => {
  test('lists recent transactions as text, never as markup', async () => {
    const { elements, requests } = load([{ status: 200, body: { transactions: [TRANSACTION] } }]);
    await flush();
    expect(requests.map(r => r.url)).toEqual(['/api/transactions?limit=20']);
    const [row] = elements.recent.children;
    expect(row.children.map(cell => cell.textContent)).toEqual([expect.any(String), '12.50 EUR', '<img src=x onerror=alert(1)>', TRANSACTION.id]);
  });

  test('posts what the API accepts, with an idempotency key kept for a retry and renewed after a success', async () => {
    const { elements, requests, submit } = load([
      { status: 200, body: { transactions: [] } },
      { status: 400, body: { error: 'invalid transaction', details: ['reference must be a string of 1 to 140 characters'] } },
      { status: 201, body: TRANSACTION },
      { status: 200, body: { transactions: [TRANSACTION] } },
      { status: 201, body: TRANSACTION },
      { status: 200, body: { transactions: [TRANSACTION] } },
    ]);
    await flush();

    await submit({ amount: ' 12.50 ', currency: 'eur', reference: '' });
    expect(elements.status).toMatchObject({ textContent: 'reference must be a string of 1 to 140 characters', className: 'error' });
    expect(elements['transaction-form'].button!.disabled).toBe(false);

    await submit({ amount: '12.50', currency: 'EUR', reference: 'Invoice 42' });
    expect(elements.status).toMatchObject({ textContent: `Recorded 12.50 EUR (${TRANSACTION.id}).`, className: '' });
    await submit({ amount: '3.00', currency: 'EUR', reference: 'Invoice 43' });

    const posts = requests.filter(r => r.init?.method === 'POST');
    expect(posts.map(p => p.url)).toEqual(['/api/transactions', '/api/transactions', '/api/transactions']);
    expect(posts[0].init!.headers).toMatchObject({ 'content-type': 'application/json' });
    const bodies = posts.map(p => JSON.parse(p.init!.body!));
    expect(bodies[0]).toEqual({ amount: '12.50', currency: 'EUR', reference: '', idempotencyKey: '00000000-0000-4000-8000-000000000001' });
    // The retry after the refusal keeps the key; the next transaction gets a new one.
    expect(bodies.map(b => b.idempotencyKey)).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']);
    // What the form sends is what the API validates.
    expect(parseTransactionInput(bodies[1])).toEqual({ amountMinor: 1250, currency: 'EUR', reference: 'Invoice 42', idempotencyKey: '00000000-0000-4000-8000-000000000001' });
  });

  test('a failed listing is shown as an error', async () => {
    const { elements } = load([{ status: 503, body: { status: 'unavailable' } }]);
    await flush();
    await flush();
    expect(elements.status).toMatchObject({ textContent: 'listing failed with HTTP 503', className: 'error' });
  });
});

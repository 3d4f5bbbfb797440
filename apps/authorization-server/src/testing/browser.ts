/**
 * A scripted browser for the sign-in pages: follows redirects by hand, keeps cookies, reads
 * the CSRF field from forms. Stops at the client's redirect URI and returns that URL.
 */
export class ScriptedBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

  async get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  async post(url: string, form: Record<string, string>): Promise<Response> {
    return this.send(url, { method: 'POST', body: new URLSearchParams(form) });
  }

  /** Follows redirects on the server's origin; returns the final response, or the off-site Location. */
  async follow(res: Response): Promise<{ page?: string; status: number; location?: string; url: string }> {
    let current = res;
    for (let hops = 0; hops < 10; hops++) {
      const location = current.headers.get('location');
      if (current.status < 300 || current.status >= 400 || !location) {
        return { page: await current.text(), status: current.status, url: current.url };
      }
      const next = new URL(location, this.origin);
      if (next.origin !== this.origin) return { status: current.status, location: next.href, url: current.url };
      current = await this.get(next.href);
    }
    throw new Error('too many redirects');
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(new URL(url, this.origin), {
      ...init,
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
    });
    for (const line of res.headers.getSetCookie()) {
      // split() always yields a first element; the defaults only satisfy the type checker.
      const [pair = '', ...attributes] = line.split(';');
      const [name = '', ...value] = pair.split('=');
      const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a) || /max-age=0/i.test(a.trim()));
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join('='));
    }
    Object.defineProperty(res, 'url', { value: new URL(url, this.origin).href });
    return res;
  }
}

export function formField(page: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (match?.[1] === undefined) throw new Error(`no ${name} field on the page`);
  return match[1];
}

export function formAction(page: string, suffix: string): string {
  const match = new RegExp(`action="([^"]*/${suffix})"`).exec(page);
  if (match?.[1] === undefined) throw new Error(`no form posting to ${suffix}`);
  return match[1];
}

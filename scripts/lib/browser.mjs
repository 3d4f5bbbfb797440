// A scripted browser for black-box tests: keeps cookies (per host, as browsers do: the gateway
// and the authorization server both live on 127.0.0.1), follows redirects by hand and can stop
// at a client's redirect URI. No app code is imported: everything goes over real HTTP.
export class Browser {
  cookies = new Map();

  async request(url, { method = 'GET', headers = {}, form, json } = {}) {
    const cookie = [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
    const init = { method, redirect: 'manual', headers: { ...headers, ...(cookie ? { cookie } : {}) } };
    if (form) init.body = new URLSearchParams(form);
    if (json !== undefined) {
      init.body = JSON.stringify(json);
      init.headers['content-type'] = 'application/json';
    }
    const res = await fetch(url, init);
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair.split('=');
      const gone = attributes.some((a) => /max-age=0/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (gone) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join('='));
    }
    return res;
  }

  /** Follows redirects until a page, or until a Location starting with `stopAt` (returned, not fetched). */
  async follow(res, stopAt) {
    let current = res;
    for (let hop = 0; hop < 12; hop++) {
      const location = current.headers.get('location');
      if (current.status < 300 || current.status >= 400 || !location)
        return { status: current.status, page: await current.text(), url: current.url };
      const next = new URL(location, current.url || stopAt).href;
      if (stopAt && next.startsWith(stopAt)) return { status: current.status, location: next };
      current = await this.request(next);
      Object.defineProperty(current, 'url', { value: next });
    }
    throw new Error('too many redirects');
  }
}

export function formField(page, name) {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (!match) throw new Error(`no ${name} field on the page: ${page.slice(0, 200)}`);
  return match[1];
}

export function formAction(page, suffix) {
  const match = new RegExp(`action="([^"]*/${suffix})"`).exec(page);
  if (!match) throw new Error(`no form posting to ${suffix}: ${page.slice(0, 200)}`);
  return match[1];
}

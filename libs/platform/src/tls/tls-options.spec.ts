import tls, { createServer } from 'node:tls';
import { legacyTlsHandshake } from '../testing/tls-client';
import { createTlsTestPki, TlsTestPki } from '../testing/tls-test-pki';
import { serverTlsOptions } from './tls-options';

/**
 * The protocol floor on its own. OpenSSL 3's default security level and the AEAD-only cipher list
 * each refuse TLS 1.1 as well, so the listener tests cannot tell which rule held: here the cipher
 * list is widened to everything OpenSSL has and Node's own default floor is lowered (as
 * `--tls-min-v1.0` in NODE_OPTIONS would): the platform's explicit minVersion must still refuse.
 */
describe('the TLS 1.2 floor', () => {
  let pki: TlsTestPki;
  beforeAll(async () => (pki = await createTlsTestPki(['payments', 'accounts'])));
  afterAll(() => pki.remove());

  const nodeDefault = tls.DEFAULT_MIN_VERSION;
  beforeEach(() => (tls.DEFAULT_MIN_VERSION = 'TLSv1'));
  afterEach(() => (tls.DEFAULT_MIN_VERSION = nodeDefault));

  it('refuses TLS 1.1 even with every cipher allowed and a lower Node default', async () => {
    const server = createServer({
      ...serverTlsOptions(pki.pem('payments'), 'internal'),
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const outcome = await legacyTlsHandshake(port, pki.pem('accounts'));
    server.close();
    expect(outcome).toMatch(/^refused: .*protocol version/i);
  });
});

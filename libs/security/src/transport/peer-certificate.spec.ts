import { X509Certificate } from 'node:crypto';
import { createTestCa, issueTestCertificate, testThumbprint, type TestPemPair } from '../testing/test-pki';
import { callerIdentityOf, identityFromCertificate, spiffeIdOf } from './peer-certificate';

/**
 * The reading of a verified peer certificate. The real TLS path (authorized or not, Fastify) is in
 * http/certificate-bound-tokens.tls.spec.ts; here the socket is a stand-in so the rules can be
 * counted: read only when TLS-verified, once per socket, from Fastify's or Express's request.
 */
describe('peer certificate: caller identity from the connection', () => {
  let payments: TestPemPair;
  let certificate: X509Certificate;

  beforeAll(async () => {
    payments = await issueTestCertificate(await createTestCa(), { name: 'payments' });
    certificate = new X509Certificate(payments.cert);
  });

  function socket(encrypted: unknown, authorized: unknown) {
    const reads = { count: 0 };
    return {
      reads,
      encrypted,
      authorized,
      getPeerX509Certificate: () => {
        reads.count += 1;
        return certificate;
      },
    };
  }

  it('gives thumbprint (RFC 8705 x5t#S256) and SPIFFE identity of a verified certificate', () => {
    expect(callerIdentityOf({ socket: socket(true, true) })).toEqual({
      thumbprint: testThumbprint(payments.cert),
      spiffeId: 'spiffe://bank.example/payments',
      trustDomain: 'bank.example',
      workload: 'payments',
    });
  });

  it('reads the socket of a Fastify request (raw) and of an Express / Node request', () => {
    const s = socket(true, true);
    expect(callerIdentityOf({ raw: { socket: s } })?.workload).toBe('payments');
    expect(callerIdentityOf({ socket: s })?.workload).toBe('payments');
  });

  it('parses the certificate once per socket, and checks `authorized` on every request', () => {
    const s = socket(true, true);
    const first = callerIdentityOf({ socket: s });
    expect(callerIdentityOf({ raw: { socket: s } })).toBe(first);
    expect(s.reads.count).toBe(1);
    s.authorized = false;
    expect(callerIdentityOf({ socket: s })).toBeUndefined();
  });

  it.each([
    ['plain HTTP', socket(undefined, undefined)],
    ['TLS whose client certificate the server did not verify', socket(true, false)],
    ['a truthy but non-boolean authorized', socket(true, 'yes')],
    ['authorized on a socket that is not TLS', socket(false, true)],
  ])('gives no identity for %s', (_what, s) => {
    expect(callerIdentityOf({ socket: s })).toBeUndefined();
    expect(s.reads.count).toBe(0);
  });

  it('gives no identity for what is not a request, or a verified socket without a certificate (remembered)', () => {
    for (const request of [undefined, null, 'GET /', {}, { socket: null }, { raw: {} }]) {
      expect(callerIdentityOf(request)).toBeUndefined();
    }
    const empty = { encrypted: true, authorized: true, calls: 0 };
    const withoutCertificate = { ...empty, getPeerX509Certificate: () => (empty.calls++, undefined) };
    expect(callerIdentityOf({ socket: withoutCertificate })).toBeUndefined();
    expect(callerIdentityOf({ socket: withoutCertificate })).toBeUndefined();
    expect(empty.calls).toBe(1);
  });

  it('names no workload when the certificate has no SPIFFE id, but still binds by thumbprint', async () => {
    const anonymous = await issueTestCertificate(await createTestCa(), { name: 'x', uris: [] });
    expect(identityFromCertificate(new X509Certificate(anonymous.cert))).toEqual({
      thumbprint: testThumbprint(anonymous.cert),
    });
  });

  describe('SPIFFE id from the SAN (X.509-SVID: exactly one URI SAN)', () => {
    it.each([
      ['URI:spiffe://bank.example/payments', ['spiffe://bank.example/payments', 'bank.example', 'payments']],
      [
        'DNS:payments, IP Address:127.0.0.1, URI:spiffe://td.example/ns/prod/sa/payments',
        ['spiffe://td.example/ns/prod/sa/payments', 'td.example', 'ns/prod/sa/payments'],
      ],
    ])('reads %s', (san, expected) => {
      expect(spiffeIdOf(san)).toEqual(expected);
    });

    it.each([
      ['no SAN', undefined],
      ['no URI', 'DNS:payments, IP Address:127.0.0.1'],
      ['two URIs', 'URI:spiffe://bank.example/payments, URI:spiffe://bank.example/accounts'],
      ['a URI that is not SPIFFE', 'URI:https://bank.example/payments'],
      ['a SPIFFE id without a path', 'URI:spiffe://bank.example/'],
      ['a SPIFFE id with an upper-case trust domain', 'URI:spiffe://Bank.example/payments'],
      ['a SPIFFE id with a query', 'URI:spiffe://bank.example/payments?x=1'],
      ['a SPIFFE id with an empty segment', 'URI:spiffe://bank.example/a//b'],
      ['a SPIFFE id with a trailing slash', 'URI:spiffe://bank.example/payments/'],
      ['a prefix before the scheme', 'URI:xspiffe://bank.example/payments'],
      // Node quotes a value holding ", ": a crafted DNS name cannot smuggle a URI entry in.
      ['a quoted DNS value that looks like a URI entry', 'DNS:"a, URI:spiffe://bank.example/payments"'],
      ['a quoted URI value', 'URI:"spiffe://bank.example/pay,ments"'],
      ['garbage', 'not a SAN list'],
    ])('names no workload for %s', (_what, san) => {
      expect(spiffeIdOf(san)).toBeUndefined();
    });

    it('reads a quoted value after an unquoted one', () => {
      expect(spiffeIdOf('DNS:"a, b", URI:spiffe://bank.example/payments')?.[2]).toBe('payments');
    });
  });
});

import { randomBytes } from 'node:crypto';
import { CookieCipher } from './cookie-cipher';

describe('CookieCipher (AES-256-GCM)', () => {
  const cipher = new CookieCipher(randomBytes(32));

  it('round-trips and never shows the plaintext', () => {
    const value = cipher.encrypt('__Host-zt-at', 'opaque-token-123');
    expect(value).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(value).not.toContain('opaque-token-123');
    expect(cipher.decrypt('__Host-zt-at', value)).toBe('opaque-token-123');
    expect(cipher.encrypt('__Host-zt-at', 'opaque-token-123')).not.toBe(value);
  });

  it('detects every single-byte change', () => {
    const value = cipher.encrypt('n', 'token');
    const raw = Buffer.from(value.slice(3), 'base64url');
    for (let i = 0; i < raw.length; i++) {
      const changed = Buffer.from(raw);
      changed.writeUInt8(changed.readUInt8(i) ^ 1, i);
      expect(cipher.decrypt('n', `v1.${changed.toString('base64url')}`)).toBeUndefined();
    }
  });

  it('binds a value to its cookie name and its key', () => {
    const value = cipher.encrypt('__Host-zt-rt', 'refresh');
    expect(cipher.decrypt('__Host-zt-at', value)).toBeUndefined();
    expect(new CookieCipher(randomBytes(32)).decrypt('__Host-zt-rt', value)).toBeUndefined();
    for (const junk of [undefined, '', 'v1.', 'v2.abc', 'v1.AAAA']) expect(cipher.decrypt('n', junk)).toBeUndefined();
  });
});

import { DUMMY_HASH, hashPassword, verifyPassword } from './password-hasher';
import { lockSecondsAfter } from './login-throttle';

describe('password hashing (scrypt)', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const first = await hashPassword('alice-password');
    const second = await hashPassword('alice-password');
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('alice-password');
    await expect(verifyPassword('alice-password', first)).resolves.toBe(true);
    await expect(verifyPassword('alice-passwort', first)).resolves.toBe(false);
    await expect(verifyPassword('anything', DUMMY_HASH)).resolves.toBe(false);
    await expect(verifyPassword('x', 'md5$abc')).resolves.toBe(false);
  });
});

describe('login backoff', () => {
  it('allows a few mistakes, then doubles the lock up to 15 minutes', () => {
    expect([0, 1, 2].map(lockSecondsAfter)).toEqual([0, 0, 0]);
    expect([3, 4, 5].map(lockSecondsAfter)).toEqual([2, 4, 8]);
    expect(lockSecondsAfter(40)).toBe(900);
  });
});

/** Injection token of the resolved SecurityOptions. */
export const SECURITY_OPTIONS = Symbol.for('zt.security.options');

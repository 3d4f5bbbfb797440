/** The parts of an injected (light-my-request) answer a problem check reads. */
interface InjectedAnswer {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): unknown;
}

/**
 * Asserts an RFC 9457 problem answer exactly as the platform writes it: the status, the
 * problem+json type, and a body of type, title, status and detail with nothing else (no stack,
 * no internals). `detail` may be an asymmetric matcher such as `expect.any(String)`.
 */
export function expectProblem(res: InjectedAnswer, status: number, title: string, detail: unknown): void {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json()).toEqual({ type: 'about:blank', title, status, detail });
}

import { STATUS_CODES } from 'node:http';

/** RFC 9457 problem+json straight on the reply, for answers given outside Nest's exception filters. */
/** The part of a Fastify reply used here (any server type). */
export interface ProblemReply {
  code(status: number): ProblemReply;
  header(name: string, value: string): ProblemReply;
  send(body: string): unknown;
}

export function sendProblem(
  reply: ProblemReply,
  status: number,
  detail: string,
  extra: Record<string, string> = {},
): void {
  for (const [name, value] of Object.entries(extra)) reply.header(name, value);
  reply
    .code(status)
    .header('content-type', 'application/problem+json')
    .header('cache-control', 'no-store')
    .send(JSON.stringify({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail }));
}

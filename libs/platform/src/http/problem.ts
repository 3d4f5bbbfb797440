import { HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/** An RFC 9457 problem body: what every error answer of the platform looks like. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: string[];
}

/** "Unprocessable entity" for 422: the reason phrase, from the status code alone. */
export function problemTitle(status: number): string {
  return (
    HttpStatus[status]
      ?.replace(/_/g, ' ')
      .toLowerCase()
      .replace(/^./, (c) => c.toUpperCase()) ?? 'Error'
  );
}

export function problem(status: number, fields: Partial<Omit<Problem, 'status'>> = {}): Problem {
  return { type: 'about:blank', title: problemTitle(status), status, ...fields };
}

export function sendProblem(reply: FastifyReply, body: Problem): void {
  reply.status(body.status).header('content-type', 'application/problem+json').send(body);
}

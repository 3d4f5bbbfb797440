import { AccessLog } from '../audit/access-log';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestIssuer } from '@zt/security/testing';
import { type ByteUpstream, startByteUpstream } from './byte-upstream';
import { type EchoUpstream, startEchoUpstream } from './echo-upstream';
import { startGateway } from './start-gateway';

/**
 * What a gateway spec starts (test issuer, echo upstreams, gateways, anything else it hands over),
 * stopped newest first in one `afterAll` registered here. A spec names only what it needs, and
 * what a failed `beforeAll` had already started is stopped too. Call it inside a `describe`.
 */
export function gatewayTestBed() {
  const stops: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    const failures: unknown[] = [];
    for (const stop of stops.splice(0).reverse()) await stop().catch((error: unknown) => failures.push(error));
    if (failures.length) throw failures[0];
  });
  const started = <T>(value: T, stop: () => Promise<unknown>): T => {
    stops.push(stop);
    return value;
  };

  return {
    async issuer(audience: string): Promise<TestIssuer> {
      const issuer = await TestIssuer.start({ audience });
      return started(issuer, () => issuer.stop());
    },
    async upstream(name: string): Promise<EchoUpstream> {
      const upstream = await startEchoUpstream(name);
      return started(upstream, () => upstream.close());
    },
    /** An upstream that answers with exact bytes and framings (see byte-upstream.ts). */
    async byteUpstream(): Promise<ByteUpstream> {
      const upstream = await startByteUpstream();
      return started(upstream, () => upstream.close());
    },
    async gateway(env: Record<string, string>, options: { listen?: boolean } = {}): Promise<NestFastifyApplication> {
      const { app } = await startGateway(env, options);
      return started(app, () => app.close());
    },
    /** A gateway listening on 127.0.0.1, for tests that need real HTTP framing (not `inject`). */
    async listeningGateway(env: Record<string, string>): Promise<{ app: NestFastifyApplication; url: string }> {
      const gateway = await startGateway(env, { listen: true });
      return started(gateway, () => gateway.app.close());
    },
    /**
     * The common audit fixture: a test issuer for users-api, an echo users upstream, and a gateway
     * in front of it that accepts client JWTs and writes its access audit into `audit`.
     */
    async auditedUsersGateway(): Promise<{
      issuer: TestIssuer;
      users: EchoUpstream;
      gateway: NestFastifyApplication;
      audit: string[];
    }> {
      const issuer = await this.issuer('users-api');
      const users = await this.upstream('users');
      const gateway = await this.gateway({
        OAUTH_ISSUER: issuer.issuer,
        OAUTH_JWKS_URI: issuer.jwksUri,
        GATEWAY_ACCEPT_CLIENT_JWTS: 'true',
        USERS_API_URL: users.url,
      });
      const audit: string[] = [];
      gateway.get(AccessLog).useDestination({ write: (line: string) => audit.push(line) });
      return { issuer, users, gateway, audit };
    },
    /** Something else the spec started (e.g. the real authorization server), stopped with the rest. */
    stopAfterAll<T>(value: T, stop: () => Promise<unknown>): T {
      return started(value, stop);
    },
  };
}

import { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestIssuer } from '@zt/security/testing';
import { KafkaConsumerOptions } from '../kafka/connect-kafka-consumer';
import { startAppForTest } from './start-app-for-test';

export interface SecuredTestApp {
  app: NestFastifyApplication;
  /** Mints tokens for the app's audience and serves the JWKS it trusts. */
  issuer: TestIssuer;
  close(): Promise<void>;
}

/**
 * The usual setup of an API's tests: a TestIssuer for the API's audience, and the app started
 * against it (plus whatever else `env` sets, e.g. its test database). `close()` stops both.
 */
export async function startSecuredAppForTest(options: {
  name: string;
  audience: string;
  loadModule: () => Promise<Type<unknown>>;
  env?: Record<string, string | undefined>;
  kafkaConsumer?: KafkaConsumerOptions;
}): Promise<SecuredTestApp> {
  const issuer = await TestIssuer.start({ audience: options.audience });
  try {
    const app = await startAppForTest({
      name: options.name,
      loadModule: options.loadModule,
      env: { ...issuer.env(), ...options.env },
      kafkaConsumer: options.kafkaConsumer,
    });
    return {
      app,
      issuer,
      close: async () => {
        await app.close();
        await issuer.stop();
      },
    };
  } catch (error) {
    await issuer.stop();
    throw error;
  }
}

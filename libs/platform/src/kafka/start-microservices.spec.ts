import { Logger } from '@nestjs/common';
import { startMicroservices } from './start-microservices';

function fakeApp(failures: number) {
  const microservice = { close: jest.fn().mockResolvedValue(undefined) };
  let calls = 0;
  const app = {
    startAllMicroservices: jest.fn(async () => {
      calls += 1;
      if (calls <= failures) throw new Error('This server does not host this topic-partition');
    }),
    getMicroservices: () => [microservice],
  };
  return { app: app as never, microservice, starts: () => calls };
}

describe('startMicroservices', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('retries a transient start failure, closing the half-started consumer each time', async () => {
    const { app, microservice, starts } = fakeApp(2);
    await startMicroservices(app, 5, 1);
    expect(starts()).toBe(3);
    expect(microservice.close).toHaveBeenCalledTimes(2);
  });

  it('gives up after the last attempt with the broker error', async () => {
    const { app, starts } = fakeApp(10);
    await expect(startMicroservices(app, 3, 1)).rejects.toThrow('does not host this topic-partition');
    expect(starts()).toBe(3);
  });
});

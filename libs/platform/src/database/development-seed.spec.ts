import type { DataSource } from 'typeorm';
import type { PlatformConfig } from '../config/platform-config';
import { developmentSeed } from './development-seed';

class Row {
  id!: string;
}

/** A DataSource that records the rows it is asked to insert. */
function recordingDataSource() {
  const inserted: unknown[] = [];
  const builder = {
    insert: () => builder,
    values: (values: unknown[]) => {
      inserted.push(...values);
      return builder;
    },
    orIgnore: () => builder,
    execute: async () => ({ identifiers: inserted.map(() => ({ id: 'x' })) }),
  };
  const db = { getRepository: () => ({ createQueryBuilder: () => builder }) } as unknown as DataSource;
  return { db, inserted };
}

const config = (mode: PlatformConfig['mode']): PlatformConfig =>
  ({
    service: 'accounts',
    mode,
    production: mode === 'production',
    host: '127.0.0.1',
    port: 3002,
    logLevel: 'silent',
  }) as PlatformConfig;

describe('developmentSeed', () => {
  const Seed = developmentSeed(Row, [{ id: 'acc_alice' }, { id: 'acc_bob' }], 'accounts');

  it.each(['development', 'test'] as const)('inserts the development rows in %s mode', async (mode) => {
    const { db, inserted } = recordingDataSource();
    await new Seed(config(mode), db).onApplicationBootstrap();
    expect(inserted).toEqual([{ id: 'acc_alice' }, { id: 'acc_bob' }]);
  });

  it('inserts nothing in production mode (NODE_ENV unset or production)', async () => {
    const { db, inserted } = recordingDataSource();
    await new Seed(config('production'), db).onApplicationBootstrap();
    expect(inserted).toEqual([]);
  });
});

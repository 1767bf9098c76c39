import { MongoClient } from 'mongodb';

import { isolatedInfra, mongoUriWithDatabase } from '../src';

describe('isolatedInfra', () => {
  it('gives each call its own database and topic prefix', () => {
    const a = isolatedInfra('orders api');
    const b = isolatedInfra('orders api');
    expect(a.dbName).toMatch(/^t_orders_api_[0-9a-f]{8}$/);
    expect(a.dbName).not.toBe(b.dbName);
    expect(a.topicPrefix).toMatch(/^t[0-9a-f]{8}\.$/);
    expect(a.topicPrefix).not.toBe(b.topicPrefix);
    expect(a.groupIdPrefix).not.toBe(b.groupIdPrefix);
    expect(a.mongoUri).toBe(`${process.env.MONGODB_URI}/${a.dbName}`);
    expect(a.kafkaBrokers).toEqual(process.env.KAFKA_BROKERS?.split(','));
  });

  it('cleanup drops the test database', async () => {
    const infra = isolatedInfra('cleanup');
    const client = new MongoClient(infra.mongoUri);
    try {
      await client
        .db()
        .collection('things')
        .insertOne({ name: 'kept until cleanup' });
      const listed = async () =>
        (await client.db().admin().listDatabases()).databases.map(
          (d) => d.name,
        );
      expect(await listed()).toContain(infra.dbName);
      await infra.cleanup();
      expect(await listed()).not.toContain(infra.dbName);
    } finally {
      await client.close();
    }
  });

  it('refuses to run without the endpoints the global setup exports', () => {
    expect(() => isolatedInfra('x', {})).toThrow(/jest-global-setup/);
  });
});

describe('mongoUriWithDatabase', () => {
  it('adds the database to a URI without one', () => {
    expect(mongoUriWithDatabase('mongodb://127.0.0.1:27017', 'db1')).toBe(
      'mongodb://127.0.0.1:27017/db1',
    );
  });

  it('replaces the database and keeps the query string', () => {
    expect(
      mongoUriWithDatabase(
        'mongodb://h1:1,h2:2/old?replicaSet=rs0&w=majority',
        'db1',
      ),
    ).toBe('mongodb://h1:1,h2:2/db1?replicaSet=rs0&w=majority');
    expect(
      mongoUriWithDatabase('mongodb://h/?directConnection=true', 'db1'),
    ).toBe('mongodb://h/db1?directConnection=true');
  });

  it('keeps authenticating against the original database when credentials are given', () => {
    expect(mongoUriWithDatabase('mongodb://u:p@h/admin', 'db1')).toBe(
      'mongodb://u:p@h/db1?authSource=admin',
    );
    expect(
      mongoUriWithDatabase('mongodb+srv://u:p@cluster.example', 'db1'),
    ).toBe('mongodb+srv://u:p@cluster.example/db1?authSource=admin');
    expect(
      mongoUriWithDatabase('mongodb://u:p@h/app?authSource=x', 'db1'),
    ).toBe('mongodb://u:p@h/db1?authSource=x');
  });
});

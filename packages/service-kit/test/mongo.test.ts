import { isolatedInfra } from '@conecta/devstack';
import type { IsolatedInfra } from '@conecta/devstack';
import { Schema } from 'mongoose';
import { createLogger, createMongo } from '../src/index';
import { logSink } from './fixtures/log-sink';

describe('createMongo against the devstack MongoDB', () => {
  let infra: IsolatedInfra;

  beforeAll(() => {
    infra = isolatedInfra('service_kit_mongo');
  });

  afterAll(async () => {
    await infra.cleanup();
  });

  it('connects, pings, stores a document, and fails readiness after stop', async () => {
    const sink = logSink();
    const mongo = createMongo({
      uri: infra.mongoUri,
      logger: createLogger({ name: 'mongo-test', destination: sink }),
    });
    // Registering a model before start() must not connect.
    const Widget = mongo.connection.model(
      'Widget',
      new Schema({ _id: String, name: String }),
    );
    await expect(mongo.readiness()).rejects.toThrow('not connected');

    await mongo.start();
    await expect(mongo.readiness()).resolves.toBeUndefined();
    await Widget.create({ _id: 'w-1', name: 'first' });
    expect(await Widget.findById('w-1').lean()).toEqual({
      _id: 'w-1',
      name: 'first',
      __v: 0,
    });
    expect(mongo.connection.name).toBe(infra.dbName);

    await mongo.stop();
    await expect(mongo.readiness()).rejects.toThrow();
    expect(sink.lines().map((line) => line['msg'])).toEqual(
      expect.arrayContaining(['connecting to MongoDB', 'connected to MongoDB']),
    );
  });

  it('retries with backoff and gives up after the given attempts', async () => {
    const sink = logSink();
    const mongo = createMongo({
      // Nothing listens on port 1: each attempt fails fast.
      uri: 'mongodb://127.0.0.1:1/nowhere',
      logger: createLogger({ name: 'mongo-test', destination: sink }),
      retries: 3,
      retryDelayMs: 10,
      connectOptions: { serverSelectionTimeoutMS: 200 },
    });
    await expect(mongo.start()).rejects.toThrow();
    const attempts = sink
      .lines()
      .filter((line) => line['msg'] === 'connecting to MongoDB')
      .map((line) => line['attempt']);
    expect(attempts).toEqual([1, 2, 3]);
    await mongo.stop();
  });
});

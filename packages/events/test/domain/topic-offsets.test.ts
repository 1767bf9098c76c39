import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { topicOffsets } from '../../src';

// The retry rule only: which answers of the broker are asked again. The real
// broker's side (a lag read right after topics are created) is exercised by
// the consumers' lag tests.
function adminAnswering(
  ...answers: (
    Error | { partition: number; offset: string; high: string; low: string }[]
  )[]
): { admin: Admin; calls: () => number } {
  let calls = 0;
  const admin = {
    fetchTopicOffsets: async () => {
      const answer = answers[Math.min(calls, answers.length - 1)];
      calls += 1;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as Admin;
  return { admin, calls: () => calls };
}

const notLeader = (): Error =>
  new KafkaJSProtocolError(
    Object.assign(
      new Error('This server is not the leader for that topic-partition'),
      { type: 'NOT_LEADER_FOR_PARTITION', code: 6, retriable: true },
    ),
  );

const offsets = [{ partition: 0, offset: '7', high: '7', low: '2' }];

describe('topicOffsets', () => {
  it('asks again when the broker is not yet the leader of a partition', async () => {
    const { admin, calls } = adminAnswering(notLeader(), notLeader(), offsets);
    await expect(topicOffsets(admin, 'conecta.training')).resolves.toEqual(
      offsets,
    );
    expect(calls()).toBe(3);
  });

  it('gives up at once on an error that asking again cannot cure', async () => {
    const { admin, calls } = adminAnswering(
      new KafkaJSNonRetriableError('Invalid topic'),
    );
    await expect(topicOffsets(admin, '')).rejects.toThrow('Invalid topic');
    expect(calls()).toBe(1);
  });
});

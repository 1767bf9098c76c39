import { gunzipSync } from 'node:zlib';
import { STATUS_LIST_SIZE } from '../../src/domain/certificate';
import {
  MESSAGE_STATUS,
  STATUS_MESSAGES,
  messageStatusOf,
  messageStatuses,
  statusSizeOf,
} from '../../src/domain/status-slots';
import {
  emptyStatusBits,
  encodeStatusList,
  encodeStatuses,
  isSetInStatusList,
  readStatus,
  statusInList,
  writeStatus,
} from '../../src/credentials/status-list';

// The 2-bit message entries credentials name since Open Badges 3.0
// conformance (README: Suspension), as W3C Bitstring Status List v1.0 lays
// them out: entry i is bits [2i, 2i + 2), counted from the left-most bit of
// the first byte, its value those two bits read big-endian.

const SIZE = STATUS_LIST_SIZE;

describe('the 2-bit entries of a message list', () => {
  it('writes entry i into bits 2i and 2i + 1, most significant first', () => {
    const bits = emptyStatusBits(2);
    writeStatus(bits, 0, 2, MESSAGE_STATUS.revoked); // 10 in bits 0–1
    writeStatus(bits, 1, 2, MESSAGE_STATUS.suspended); // 01 in bits 2–3
    writeStatus(bits, 3, 2, 3); // 11 in bits 6–7
    writeStatus(bits, 4, 2, MESSAGE_STATUS.revoked); // 10 in bits 8–9: byte 1
    expect(Array.from(bits.subarray(0, 3))).toEqual([
      0b1001_0011, 0b1000_0000, 0,
    ]);
    expect([0, 1, 2, 3, 4, 5].map((i) => readStatus(bits, i, 2))).toEqual([
      2, 1, 0, 3, 2, 0,
    ]);
  });

  it('overwrites an entry without touching its neighbours', () => {
    const bits = emptyStatusBits(2);
    for (const i of [9, 10, 11]) writeStatus(bits, i, 2, 3);
    writeStatus(bits, 10, 2, MESSAGE_STATUS.suspended);
    expect(readStatus(bits, 10, 2)).toBe(MESSAGE_STATUS.suspended);
    writeStatus(bits, 10, 2, MESSAGE_STATUS.valid);
    expect([9, 10, 11].map((i) => readStatus(bits, i, 2))).toEqual([3, 0, 3]);
  });

  it('holds 131,072 entries: the last is readable, anything past it or not an index is refused, and so is a value wider than 2 bits', () => {
    const bits = emptyStatusBits(2);
    expect(bits.length).toBe((SIZE * 2) / 8);
    writeStatus(bits, SIZE - 1, 2, MESSAGE_STATUS.revoked);
    expect(readStatus(bits, SIZE - 1, 2)).toBe(MESSAGE_STATUS.revoked);
    expect(bits[bits.length - 1]).toBe(0b0000_0010);
    for (const index of [SIZE, -1, 1.5, Number.NaN]) {
      expect(() => readStatus(bits, index, 2)).toThrow(RangeError);
      expect(() => writeStatus(bits, index, 2, 1)).toThrow(RangeError);
    }
    for (const value of [4, -1, 0.5])
      expect(() => writeStatus(bits, 0, 2, value)).toThrow(RangeError);
    expect(() => emptyStatusBits(0)).toThrow(RangeError);
  });

  it('encodes a GZIP, multibase base64url list of 131,072 two-bit entries that reads back what was set', () => {
    const encoded = encodeStatuses(
      [
        [0, MESSAGE_STATUS.suspended],
        [77_001, MESSAGE_STATUS.revoked],
        [SIZE - 1, MESSAGE_STATUS.suspended],
      ],
      2,
    );
    expect(encoded.startsWith('u')).toBe(true);
    const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(bytes.length).toBe(32_768);
    expect(statusInList(encoded, 0, 2)).toBe(MESSAGE_STATUS.suspended);
    expect(statusInList(encoded, 77_001, 2)).toBe(MESSAGE_STATUS.revoked);
    expect(statusInList(encoded, SIZE - 1, 2)).toBe(MESSAGE_STATUS.suspended);
    expect(statusInList(encoded, 1, 2)).toBe(MESSAGE_STATUS.valid);
    expect(() => statusInList(encoded, SIZE, 2)).toThrow(RangeError);
    expect(() => encodeStatuses([[SIZE, 1]], 2)).toThrow(RangeError);
    expect(() => statusInList(encoded.slice(1), 0, 2)).toThrow(/multibase/);
  });

  it('keeps the 1-bit lists older credentials name as they were: index 0 the left-most bit', () => {
    const list = encodeStatusList([0, 9, SIZE - 1]);
    expect(gunzipSync(Buffer.from(list.slice(1), 'base64url')).length).toBe(
      SIZE / 8,
    );
    for (const i of [0, 9, SIZE - 1])
      expect(isSetInStatusList(list, i)).toBe(true);
    for (const i of [1, 8, 10, SIZE - 2])
      expect(isSetInStatusList(list, i)).toBe(false);
  });
});

describe('what a message entry says', () => {
  it('names valid, suspended and revoked in the entry’s statusMessage, one per value, in hexadecimal', () => {
    expect(statusSizeOf('message')).toBe(2);
    expect(statusSizeOf('revocation')).toBe(1);
    expect(statusSizeOf('suspension')).toBe(1);
    expect(STATUS_MESSAGES).toEqual([
      { status: '0x0', message: 'valid' },
      { status: '0x1', message: 'suspended' },
      { status: '0x2', message: 'revoked' },
    ]);
    for (const { status, message } of STATUS_MESSAGES)
      expect(messageStatusOf(Number.parseInt(status, 16))).toBe(message);
    // 0x3 names nothing: a verifier cannot take it for valid.
    expect(messageStatusOf(3)).toBe('unknown');
  });

  it('sets a list’s revoked certificates to revoked and its suspended ones to suspended; revoked wins over suspended', () => {
    const statuses = messageStatuses([5, 9], [7, 9]);
    expect(Object.fromEntries(statuses)).toEqual({
      5: MESSAGE_STATUS.revoked,
      7: MESSAGE_STATUS.suspended,
      9: MESSAGE_STATUS.revoked,
    });
    const encoded = encodeStatuses(statuses, 2);
    expect(messageStatusOf(statusInList(encoded, 9, 2))).toBe('revoked');
    expect(messageStatusOf(statusInList(encoded, 7, 2))).toBe('suspended');
    expect(messageStatusOf(statusInList(encoded, 6, 2))).toBe('valid');
    expect(messageStatuses([], []).size).toBe(0);
  });
});

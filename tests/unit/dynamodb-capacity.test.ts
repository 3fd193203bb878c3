import { describe, expect, it } from 'vitest';
import { itemSize, readUnits, valueSize, writeUnits } from '../../shared/adapters/dynamodb/capacity.js';

describe('DynamoDB capacity by AWS billing rules', () => {
  it('sizes an item from attribute names and values', () => {
    expect(itemSize({ id: 'abc' })).toBe(5);
    expect(valueSize(true)).toBe(1);
    expect(valueSize(12345)).toBe(4);
  });
  it('rounds writes up per 1 KB, counts index entries and doubles in a transaction', () => {
    expect(writeUnits(500)).toBe(1);
    expect(writeUnits(3.5 * 1024)).toBe(4);
    expect(writeUnits(500, { indexWrites: 2 })).toBe(3);
    expect(writeUnits(500, { transactional: true })).toBe(2);
  });
  it('rounds reads up per 4 KB, halves eventually consistent, sums a query before rounding', () => {
    expect(readUnits([3.5 * 1024], { consistent: true })).toBe(1);
    expect(readUnits([3.5 * 1024])).toBe(0.5);
    expect(readUnits([1024, 1024, 1024, 1024, 1024], { consistent: true })).toBe(2);
    expect(readUnits([100], { transactional: true })).toBe(2);
  });
});

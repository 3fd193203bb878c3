import { describe, expect, it } from 'vitest';
import { clientAddress, windowEnd } from '../../shared/use-cases/request-limits';

describe('the address a per-client limit counts by', () => {
  it('is an IPv4 address as it is, also when IPv4-mapped', () => {
    expect(clientAddress('203.0.113.10')).toBe('203.0.113.10');
    expect(clientAddress('::ffff:203.0.113.10')).toBe('203.0.113.10');
    expect(clientAddress('::FFFF:203.0.113.10')).toBe('203.0.113.10');
  });

  it('is the /64 of an IPv6 address, however it is written', () => {
    const prefix = clientAddress('2001:db8:85a3:12::1');
    expect(prefix).toBe('2001:db8:85a3:12::/64');
    for (const same of ['2001:0db8:85a3:0012:ffff:ffff:ffff:ffff', '2001:DB8:85A3:12:0:0:0:2', '2001:db8:85a3:12::8a2e:370:7334', '2001:db8:85a3:12::1%eth0']) {
      expect(clientAddress(same), same).toBe(prefix);
    }
    expect(clientAddress('2001:db8:85a3:13::1')).not.toBe(prefix);
    expect(clientAddress('::1')).toBe('0:0:0:0::/64');
    expect(clientAddress('2001:db8::')).toBe('2001:db8:0:0::/64');
  });

  it('keeps anything else apart from every address', () => {
    expect(clientAddress('not an address')).toBe('unparsed:not an address');
    expect(clientAddress('')).toBe('unparsed:');
  });
});

describe('the window of a counter', () => {
  it('ends at the next Vietnam midnight for a day, at the next full hour for an hour', () => {
    expect(windowEnd({ kind: 'SUBMISSIONS_PER_ID_NUMBER', idNumberKey: 'k', day: '2026-01-31' }).toISOString()).toBe('2026-01-31T17:00:00.000Z');
    expect(windowEnd({ kind: 'SUBMISSIONS_PER_SOURCE', sourceKey: 'k', hour: '2026-12-31T23' }).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(windowEnd({ kind: 'UPLOADS_PER_SOURCE', sourceKey: 'k', hour: '2026-03-10T02' }).toISOString()).toBe('2026-03-10T03:00:00.000Z');
  });
});

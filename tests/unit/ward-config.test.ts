import { describe, expect, it } from 'vitest';
import { WARDS, wardBySlug } from '../../infra/config/wards';
import { WardConfigSchema } from '../../shared/domain/ward-config';

describe('ward configurations', () => {
  it.each(WARDS.map((w) => [w.slug, w] as const))('%s passes the ward configuration schema', (_slug, ward) => {
    const result = WardConfigSchema.safeParse(ward);

    expect(result.success, result.error?.message).toBe(true);
  });

  it('configures the wards the project is deployed for', () => {
    const slugs = WARDS.map((w) => w.slug);

    expect(slugs).toEqual(expect.arrayContaining(['hoan-kiem', 'cua-nam', 'hoang-mai', 'hai-ba-trung', 'ha-dong', 'long-bien']));
  });

  it('has unique slugs, names and agency codes', () => {
    const unique = (values: string[]) => new Set(values).size === values.length;

    expect(unique(WARDS.map((w) => w.slug))).toBe(true);
    expect(unique(WARDS.map((w) => w.name))).toBe(true);
    expect(unique(WARDS.map((w) => w.agencyCode))).toBe(true);
  });

  it('uses Hanoi agency codes in the national format', () => {
    const malformed = WARDS.filter((w) => !/^\d{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.H26$/.test(w.agencyCode));

    expect(malformed.map((w) => w.slug)).toEqual([]);
  });

  it('uses SMS sender names of at most 11 letters and digits', () => {
    const unfit = WARDS.filter((w) => !/^[A-Za-z0-9]{3,11}$/.test(w.smsSenderName));

    expect(unfit.map((w) => w.slug)).toEqual([]);
    expect(new Set(WARDS.map((w) => w.smsSenderName)).size).toBe(WARDS.length);
  });

  it('writes ward names in NFC with the province', () => {
    for (const ward of WARDS) {
      expect(ward.name, ward.slug).toBe(ward.name.normalize('NFC'));
      expect(ward.name.startsWith('Phường '), ward.slug).toBe(true);
      expect(ward.province).toBe('Thành phố Hà Nội');
    }
  });

  it("holds each ward to Hanoi's targets, office hours, SMS limits and request limits", () => {
    for (const ward of WARDS) {
      expect(ward.targets).toEqual({ onlineShare: 0.6, fullyOnlineShare: 0.2, onTimeShare: 1, eCopyShare: 1, satisfiedShare: 0.85 });
      expect(ward.officeHours).toEqual({ open: '08:00', close: '17:00', cutoff: '15:00' });
      expect(ward.sms).toEqual({ maxPriceUsd: 0.05, perPhonePerDay: 10, perWardPerDay: 2_000, perWardPerMonth: 20_000 });
      expect(ward.limits).toEqual({
        submissionsPerIdNumberPerDay: 10,
        submissionsPerSourcePerHour: 60,
        uploadsPerSourcePerHour: 600,
        firewallPer5Minutes: { submissions: 100, uploads: 600, otherWrites: 300 },
      });
      expect(ward.api).toEqual({ rateLimit: 50, burstLimit: 100 });
      expect(ward.env.region).toBe('ap-southeast-1');
      expect(ward.retentionYears).toBeGreaterThanOrEqual(20);
    }
  });

  it('refuses a sender name longer than an SMS sender id allows', () => {
    const [first] = WARDS;
    if (first === undefined) throw new Error('no ward configured');

    expect(WardConfigSchema.safeParse({ ...first, smsSenderName: 'HOANKIEMHANOI' }).success).toBe(false);
  });
});

describe('wardBySlug', () => {
  it('returns the configuration of a known ward', () => {
    const ward = wardBySlug('hoan-kiem');

    expect(ward.name).toBe('Phường Hoàn Kiếm');
    expect(ward.smsSenderName).toBe('HOANKIEM');
  });

  it('refuses an unknown slug and lists the valid ones', () => {
    expect(() => wardBySlug('quan-hoan-kiem')).toThrow(/Unknown ward 'quan-hoan-kiem'.*hoan-kiem.*cua-nam/);
  });

  it('does not match slugs loosely', () => {
    expect(() => wardBySlug('Hoan-Kiem')).toThrow(/Unknown ward/);
    expect(() => wardBySlug('')).toThrow(/Unknown ward/);
  });
});

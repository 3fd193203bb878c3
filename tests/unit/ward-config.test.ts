import { describe, expect, it } from 'vitest';
import { WARDS, placeholderAgencyCode, wardBySlug } from '../../infra/config/wards';
import { wardDirectoryEntry } from '../../shared/domain/city';
import { issuesDossierCodes, WardConfigSchema } from '../../shared/domain/ward-config';

describe('ward configurations', () => {
  it.each(WARDS.map((w) => [w.slug, w] as const))('%s passes the ward configuration schema', (_slug, ward) => {
    const result = WardConfigSchema.safeParse(ward);

    expect(result.success, result.error?.message).toBe(true);
  });

  it("configures all 126 of Hanoi's commune-level units: 51 wards and 75 communes, Hoàn Kiếm first", () => {
    expect(WARDS).toHaveLength(126);
    expect(WARDS.filter((w) => w.unitType === 'ward')).toHaveLength(51);
    expect(WARDS.filter((w) => w.unitType === 'commune')).toHaveLength(75);
    expect(WARDS[0]?.slug).toBe('hoan-kiem');
  });

  it('keeps the slugs and agency codes of the wards configured before the data file', () => {
    const before = {
      'hoan-kiem': '000.00.70.H26',
      'cua-nam': '000.00.82.H26',
      'ba-dinh': '000.00.04.H26',
      'tay-ho': '000.01.03.H26',
      'hai-ba-trung': '000.02.56.H26',
      'hoang-mai': '000.03.31.H26',
      'long-bien': '000.01.45.H26',
      'ha-dong': '000.95.56.H26',
    };

    expect(Object.fromEntries(Object.keys(before).map((slug) => [slug, wardBySlug(slug).agencyCode]))).toEqual(before);
  });

  it('has unique slugs, names, unit codes and agency codes', () => {
    const unique = (values: (string | undefined)[]) => new Set(values).size === values.length;

    expect(unique(WARDS.map((w) => w.slug))).toBe(true);
    expect(unique(WARDS.map((w) => w.name))).toBe(true);
    expect(unique(WARDS.map((w) => w.unitCode))).toBe(true);
    expect(unique(WARDS.map((w) => w.agencyCode))).toBe(true);
  });

  it('marks every placeholder agency code unconfirmed, without the override', () => {
    for (const ward of WARDS) {
      expect(ward.agencyCodeConfirmed, ward.slug).toBe(false);
      expect(ward.allowUnconfirmedAgencyCode, ward.slug).toBe(false);
      expect(ward.agencyCode, ward.slug).toBe(placeholderAgencyCode(ward.unitCode ?? ''));
      expect(issuesDossierCodes(ward), ward.slug).toBe(false);
    }
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
      expect(ward.name.startsWith(ward.unitType === 'ward' ? 'Phường ' : 'Xã '), ward.slug).toBe(true);
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

describe("the city's ward directory", () => {
  it('says of each ward whether it is a ward or a commune, its unit code and whether its agency code is confirmed', () => {
    expect(wardDirectoryEntry(wardBySlug('hoan-kiem'))).toMatchObject({
      name: 'Phường Hoàn Kiếm',
      type: 'ward',
      unitCode: '00070',
      agencyCode: '000.00.70.H26',
      agencyCodeConfirmed: false,
    });
    expect(wardDirectoryEntry(wardBySlug('soc-son'))).toMatchObject({ name: 'Xã Sóc Sơn', type: 'commune', unitCode: '00376' });
  });
});

describe('issuesDossierCodes', () => {
  it('lets a ward issue dossier codes when its agency code is confirmed, or on the explicit override', () => {
    expect(issuesDossierCodes({ agencyCodeConfirmed: true, allowUnconfirmedAgencyCode: false })).toBe(true);
    expect(issuesDossierCodes({ agencyCodeConfirmed: false, allowUnconfirmedAgencyCode: true })).toBe(true);
    expect(issuesDossierCodes({ agencyCodeConfirmed: false, allowUnconfirmedAgencyCode: false })).toBe(false);
  });

  it('defaults a configuration without either field to refusing', () => {
    const [first] = WARDS;
    if (first === undefined) throw new Error('no ward configured');
    const { agencyCodeConfirmed: _confirmed, allowUnconfirmedAgencyCode: _override, ...older } = first;

    expect(issuesDossierCodes(WardConfigSchema.parse(older))).toBe(false);
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

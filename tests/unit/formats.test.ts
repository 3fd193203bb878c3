import { describe, expect, it } from 'vitest';
import { WARDS } from '../../infra/config/wards';
import { checkIdNumber, formatDossierCode, isDossierCode, isWellFormedText, maskName, normalizeText, toE164Mobile } from '../../shared/domain/formats';

const TODAY = new Date('2026-01-05T03:00:00Z');

describe('checkIdNumber', () => {
  it.each([
    ['001190012345', 'a Hanoi woman born in 1990'],
    ['079085123456', 'a Ho Chi Minh City man born in 1985'],
    ['048305000001', 'a Da Nang woman born in 2005'],
    ['096226999999', 'a Ca Mau boy born this year (2026)'],
    ['001000000000', 'a Hanoi man born in 1900'],
  ])('accepts %s (%s)', (idNumber) => {
    expect(checkIdNumber(idNumber, TODAY)).toBeUndefined();
  });

  it.each([
    ['0011900123', 'ten digits'],
    ['0011900123456', 'thirteen digits'],
    ['00119001234A', 'a letter'],
    ['001 190 012 345', 'spaces'],
    ['', 'nothing'],
  ])('refuses %j as a FORMAT problem (%s)', (idNumber) => {
    expect(checkIdNumber(idNumber, TODAY)).toBe('FORMAT');
  });

  it.each([
    ['000190012345', '000 is no province'],
    ['003190012345', '003 was never assigned'],
    ['097190012345', 'codes stop at 096'],
    ['999190012345', 'far out of range'],
  ])('refuses %s as a PROVINCE problem (%s)', (idNumber) => {
    expect(checkIdNumber(idNumber, TODAY)).toBe('PROVINCE');
  });

  it.each([
    ['001227012345', 'born in 2027, next year'],
    ['001499012345', 'the 2100s'],
    ['001890012345', 'born in 1890, 136 years ago'],
  ])('refuses %s as a BIRTH_YEAR problem (%s)', (idNumber) => {
    expect(checkIdNumber(idNumber, TODAY)).toBe('BIRTH_YEAR');
  });

  it('judges the birth year against the day it is asked, not a fixed year', () => {
    const bornIn2027 = '001227012345';

    expect(checkIdNumber(bornIn2027, new Date('2026-12-31T12:00:00Z'))).toBe('BIRTH_YEAR');
    expect(checkIdNumber(bornIn2027, new Date('2027-01-02T00:00:00Z'))).toBeUndefined();
  });
});

describe('toE164Mobile', () => {
  it.each([
    ['0912345678', '+84912345678'],
    ['+84912345678', '+84912345678'],
    ['0912 345 678', '+84912345678'],
    ['0912.345.678', '+84912345678'],
    ['0912-345-678', '+84912345678'],
    ['+84 912 345 678', '+84912345678'],
    // Without the "+": 11 digits starting 84 cannot be a 0-prefixed number, so it is read as +84.
    ['84 912 345 678', '+84912345678'],
    ['0321234567', '+84321234567'],
    ['0561234567', '+84561234567'],
    ['0761234567', '+84761234567'],
    ['0861234567', '+84861234567'],
  ])('stores the mobile number %j as %s', (input, e164) => {
    expect(toE164Mobile(input)).toBe(e164);
  });

  it.each([
    ['0212345678', 'a landline (area code 02x)'],
    ['091234567', 'one digit short'],
    ['09123456789', 'one digit too many'],
    ['+840912345678', 'a trunk 0 after +84'],
    ['+85212345678', 'another country'],
    ['0912345abc', 'letters'],
    ['', 'nothing'],
  ])('refuses %j (%s)', (input) => {
    expect(toE164Mobile(input)).toBeUndefined();
  });
});

describe('normalizeText', () => {
  it('composes NFD input into NFC', () => {
    const decomposed = 'Nguye\u0302\u0303n';

    const normalized = normalizeText(decomposed);

    expect(normalized).toBe('Nguy\u1EC5n');
    expect(normalized).toHaveLength(6);
  });

  it('trims and folds every run of white space into one space', () => {
    expect(normalizeText('  Nguyễn \t Thị\n\nHoa\u00A0 ')).toBe('Nguyễn Thị Hoa');
  });

  it('leaves text that is already clean unchanged', () => {
    expect(normalizeText('Phường Hoàn Kiếm')).toBe('Phường Hoàn Kiếm');
  });
});

describe('maskName', () => {
  it('keeps the family name and reduces every other word to its initial', () => {
    expect(maskName('Nguyễn Thị Hoa')).toBe('Nguyễn T. H.');
  });

  it('masks a four-word name word by word', () => {
    expect(maskName('Nguyễn Thị Minh Khai')).toBe('Nguyễn T. M. K.');
  });

  it('keeps the diacritics of initials', () => {
    expect(maskName('Lê Ánh Dương')).toBe('Lê Á. D.');
    expect(maskName('Phạm Đức Ông')).toBe('Phạm Đ. Ô.');
  });

  it('masks NFD input into the same NFC text as NFC input', () => {
    const decomposed = 'Nguye\u0302\u0303n Thi\u0323 Hoa';

    const masked = maskName(decomposed);

    expect(masked).toBe('Nguyễn T. H.'.normalize('NFC'));
  });

  it('masks an initial typed in NFD as one composed letter', () => {
    const decomposed = 'Le\u0302 A\u0301nh';

    expect(maskName(decomposed)).toBe('Lê \u00C1.');
  });

  it('writes initials of a name typed in lower case in upper case', () => {
    const words = maskName('đặng văn an').split(' ');

    expect(words.slice(1)).toEqual(['V.', 'A.']);
  });

  it('ignores extra white space around and between words', () => {
    expect(maskName('  Nguyễn   Thị \t Hoa ')).toBe('Nguyễn T. H.');
  });

  it('masks a one-word name to its initial', () => {
    expect(maskName('Hoa')).toBe('H.');
    expect(maskName('  h\u0301oa ')).toBe('H\u0301.'.normalize('NFC'));
  });

  it('capitalises the family name of a name typed in lower or upper case', () => {
    expect(maskName('đặng văn an')).toBe('Đặng V. A.');
    expect(maskName('NGUYỄN THỊ HOA')).toBe('Nguyễn T. H.');
  });

  it.each([
    ['Nguyễn-Thị-Hoa', 'hyphens'],
    ['Nguyễn.Thị.Hoa', 'dots'],
    ['Nguyễn\u200BThị\u200BHoa', 'zero-width spaces'],
    ['Nguyễn\u00A0Thị\u2003Hoa', 'non-breaking and em spaces'],
    ['Nguyễn\u202EThị Hoa', 'a bidi override'],
    ["Nguyễn 'Thị' Hoa", 'quotes'],
  ])('separates words at %s (%s) rather than show them whole', (name) => {
    expect(maskName(name)).toBe('Nguyễn T. H.');
  });

  it('shows nothing for an empty name', () => {
    expect(maskName('   ')).toBe('');
  });

  it('reveals no given name in full', () => {
    const masked = maskName('Nguyễn Thị Hoa');

    expect(masked).not.toContain('Thị');
    expect(masked).not.toContain('Hoa');
  });
});

describe('formatDossierCode', () => {
  it('joins the agency code, the local date as YYMMDD and a four-digit sequence', () => {
    expect(formatDossierCode('000.A0.01.H26', '2026-01-05', 1)).toBe('000.A0.01.H26-260105-0001');
  });

  it('pads the sequence to four digits and no further', () => {
    expect(formatDossierCode('000.A0.01.H26', '2026-12-31', 42)).toBe('000.A0.01.H26-261231-0042');
    expect(formatDossierCode('000.A0.01.H26', '2026-12-31', 9999)).toBe('000.A0.01.H26-261231-9999');
  });

  it('lets the sequence grow past four digits rather than wrap', () => {
    expect(formatDossierCode('000.A0.01.H26', '2026-01-05', 12345)).toBe('000.A0.01.H26-260105-12345');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the sequence %s', (sequence) => {
    expect(() => formatDossierCode('000.A0.01.H26', '2026-01-05', sequence)).toThrow(RangeError);
  });
});

describe('isDossierCode', () => {
  it.each(['000.A0.01.H26-260105-0001', '000.A0.01.H26-260105-12345', '000.00.70.H26-261231-9999'])('recognises %s', (code) => {
    expect(isDossierCode(code)).toBe(true);
  });

  it.each([
    ['000.A0.01.H26-260105-001', 'a three-digit sequence'],
    ['000.A0.01.H26-2601050-0001', 'a seven-digit date'],
    ['000.a0.01.h26-260105-0001', 'lower case'],
    ['000.A0.01-260105-0001', 'a short agency code'],
    [' 000.A0.01.H26-260105-0001', 'a leading space'],
    ['000.A0.01.H26-260105-0001/status', 'a trailing path'],
    ['', 'nothing'],
  ])('refuses %j (%s)', (code) => {
    expect(isDossierCode(code)).toBe(false);
  });

  it.each(WARDS.map((w) => [w.slug, w.agencyCode] as const))('recognises the codes the %s ward issues', (_slug, agencyCode) => {
    expect(isDossierCode(formatDossierCode(agencyCode, '2026-01-05', 1))).toBe(true);
  });
});

describe('isWellFormedText', () => {
  it('refuses half a surrogate pair, alone or unmatched, and accepts whole pairs', () => {
    expect(isWellFormedText('Nguyễn 😀 Hoa')).toBe(true);
    expect(isWellFormedText('a\ud800b')).toBe(false);
    expect(isWellFormedText('\udfff')).toBe(false);
    expect(isWellFormedText('\ud83d')).toBe(false);
  });
});

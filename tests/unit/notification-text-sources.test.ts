import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WARDS } from '../../infra/config/wards';
import { CATALOG } from '../../shared/catalog/procedures';
import type { DomainEventType } from '../../shared/domain/events';
import { formatDossierCode } from '../../shared/domain/formats';
import { citizenSms, notificationFacts, officerAlert, toSmsText, type NotificationContext, type NotificationEvent } from '../../shared/domain/notifications';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';

/**
 * Every message the notifier sends, rendered from events whose every free-text field holds text
 * an attacker chose: none of it may reach an SMS or an alert, in any form (as typed, NFC, or as
 * the SMS would have transliterated it).
 */

const NOTIFIER_EVENTS: readonly DomainEventType[] = STREAM_CONSUMERS.find((consumer) => consumer.id === 'Notifier')?.events ?? [];

/** Tokens no template, code, date, catalog or ward name holds: finding one in a message means outside text got in. */
const MARKERS = ['evil.example', 'bit.ly', 'Goi ngay', '0900', 'LUADAO', 'Nguyen Van Lua', 'javascript:', 'https://x', 'otp', 'OTP'];

const HOSTILE_TEXTS: readonly string[] = [
  'Goi ngay 0900 123 456 de nhan tien: https://evil.example/otp',
  'Tài khoản bị khóa, truy cập bit.ly/LUADAO ngay',
  // Vietnamese in NFD, with a link.
  'Nguyễn Văn Lừa: nhận thưởng tại https://evil.example'.normalize('NFD'),
  // Control and bidi characters around a link (an RLO turns what follows around on screen).
  '\u202Eelpmaxe.live//:sptth\u202C \u0000\u0007\r\nGoi ngay 0900\u200B123\u2066LUADAO\u2069',
  'javascript:alert(1) <a href="https://x.evil.example">OTP</a>',
  // Very long: a shortened copy must not slip in either.
  `LUADAO ${'https://evil.example/'.repeat(400)}`,
  `${'Goi ngay 0900 '.repeat(2_000)}`,
];

/** Every field a producer writes, or a citizen or officer types, that is not a code, a date, a number or a catalog name. */
function hostileData(hostile: string): Record<string, unknown> {
  return {
    reason: hostile,
    note: hostile,
    comment: hostile,
    items: [hostile, hostile.toUpperCase(), hostile],
    formData: { purpose: hostile, fullName: hostile },
    fileName: `${hostile}.pdf`,
    attachments: [{ fileName: hostile, documentId: 'to-khai' }],
    fullName: hostile,
    applicantName: hostile,
    officerName: hostile,
    signerName: hostile,
    address: hostile,
    email: `${hostile}@evil.example`,
    receiptNumber: hostile,
    documentId: hostile,
    method: hostile,
    status: hostile,
    title: hostile,
    content: hostile,
    url: hostile,
    link: hostile,
    // A procedure code that is not one: left out, not repeated.
    procedureCode: hostile,
    // The name of a ward's catalog entry is the ward's text.
    procedureName: CATALOG[0]?.name,
    phone: '+84912345678',
    fullyOnline: true,
    appointmentAt: '2026-12-24T10:00:00.000Z',
    amountVnd: 1_500_000,
  };
}

const event = (type: DomainEventType, data: Record<string, unknown>, code: string): NotificationEvent & { readonly id: string } => ({
  id: '6f1c2d3e-0000-4000-8000-000000000001',
  type,
  dossierCode: code,
  at: new Date('2026-11-22T02:15:00Z'),
  data,
});

/** The first ward and the one with the longest name: what a message's text depends on of the ward. */
const SAMPLE_WARDS = [
  WARDS[0],
  WARDS.reduce<(typeof WARDS)[number] | undefined>((longest, ward) => (ward.name.length > (longest?.name.length ?? 0) ? ward : longest), undefined),
].filter((ward) => ward !== undefined);

/** Every message of every notifier event, for sample wards, with and without a tracking link. */
function messagesFrom(data: Record<string, unknown>): { label: string; text: string }[] {
  return NOTIFIER_EVENTS.flatMap((type) =>
    SAMPLE_WARDS.flatMap((ward) =>
      ['https://hk.vn', ''].flatMap((publicBaseUrl) => {
        const context: NotificationContext = { ward, publicBaseUrl };
        const facts = notificationFacts(event(type, data, formatDossierCode(ward.agencyCode, '2026-11-22', 7)));
        const sms = citizenSms(facts, context);
        const alert = officerAlert(facts, context);
        return [
          ...(sms === undefined ? [] : [{ label: `${type} SMS, ${ward.slug}`, text: sms }]),
          ...(alert === undefined
            ? []
            : [
                { label: `${type} alert subject, ${ward.slug}`, text: alert.subject },
                { label: `${type} alert body, ${ward.slug}`, text: alert.body },
              ]),
        ];
      }),
    ),
  );
}

/** Pieces of a hostile text that would be recognisable in a message: each line and word of 6+ characters, as typed, NFC and as an SMS writes it. */
function fragmentsOf(hostile: string): string[] {
  const forms = [hostile, hostile.normalize('NFC'), toSmsText(hostile)];
  const words = forms.flatMap((form) => form.split(/[\s\p{Cc}\p{Cf}]+/u)).filter((word) => word.length >= 6);
  return [...new Set([...forms.filter((form) => form.length >= 6), ...words])];
}

describe('messages carry only what the ward wrote', () => {
  it('renders every event the notifier handles, SMS and alerts', () => {
    const rendered = messagesFrom(hostileData(HOSTILE_TEXTS[0] ?? ''));

    expect(NOTIFIER_EVENTS.length).toBeGreaterThan(10);
    expect(rendered.filter((message) => message.label.includes('SMS')).length).toBeGreaterThan(0);
    expect(rendered.filter((message) => message.label.includes('alert')).length).toBeGreaterThan(0);
  });

  it.each(HOSTILE_TEXTS.map((hostile) => ({ hostile, shown: JSON.stringify(hostile.slice(0, 40)) })))('leaves out $shown from every free-text field', ({ hostile }) => {
    const fragments = fragmentsOf(hostile);

    for (const { label, text } of messagesFrom(hostileData(hostile))) {
      for (const marker of MARKERS) expect(text, `${label}: ${marker}`).not.toContain(marker);
      for (const fragment of fragments) expect(text, `${label}: ${fragment}`).not.toContain(fragment);
      // Line breaks only, between an alert's lines: no other control character and no format (bidi) one.
      expect(text.replace(/\n/g, ''), label).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    }
  });

  it('leaves out any text at all, whatever a field holds (generated)', () => {
    const marked = fc
      .tuple(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.constantFrom(...MARKERS), fc.string({ unit: 'binary', maxLength: 60 }))
      .map(([before, marker, after]) => `${before}${marker}${after}`);

    fc.assert(
      fc.property(marked, fc.constantFrom(...NOTIFIER_EVENTS), fc.boolean(), (hostile, type, normalized) => {
        const text = normalized ? hostile.normalize('NFD') : hostile;
        const facts = notificationFacts(event(type, hostileData(text), formatDossierCode('000.00.70.H26', '2026-11-22', 7)));
        const context: NotificationContext = { ward: WARDS[0] ?? { name: 'Phường Hoàn Kiếm', smsSenderName: 'HOANKIEM' }, publicBaseUrl: 'https://hk.vn' };
        const alert = officerAlert(facts, context);
        for (const message of [citizenSms(facts, context), alert?.subject, alert?.body]) {
          if (message === undefined) continue;
          for (const marker of MARKERS) expect(message).not.toContain(marker);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses to make facts of an event about something that is no dossier code of the ward', () => {
    expect(() => notificationFacts(event('DOSSIER_SUBMITTED', {}, 'Goi ngay 0900 https://evil.example'))).toThrow(RangeError);
  });

  it('strips control and bidi characters from the catalog name it repeats', () => {
    const facts = notificationFacts(event('DOSSIER_SUBMITTED', { procedureName: 'Đăng ký\u202E khai\u0000 sinh\n' }, formatDossierCode('000.00.70.H26', '2026-11-22', 7)));

    expect(facts.procedureName).toBe('Đăng ký khai sinh');
  });
});

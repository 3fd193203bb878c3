import { describe, expect, it } from 'vitest';
import { SubmissionSchema } from '../../shared/domain/dossier';
import { CityEventSchema, DomainEventSchema } from '../../shared/domain/events';
import { handOverProblem, handOverSummary, HandOverRequestSchema, isHandedAway, isHandedIn, isNewerCopy, type HandOver } from '../../shared/domain/handover';
import { cityMessageOfDelivery, MalformedCityMessageError } from '../../shared/adapters/eventbridge/city-bus';

const HAND_OVER: HandOver = { receivingWard: 'hoan-kiem', competentWard: 'cua-nam', resultReturn: 'RECEIVING_WARD', requestedAt: new Date('2026-03-02T02:00:00Z') };
const CITY = new Set(['hoan-kiem', 'cua-nam', 'ba-dinh']);

describe('reception without boundaries: the domain rules', () => {
  it('tells the receiving ward (a read-only copy) from the competent ward (resolves it)', () => {
    expect(isHandedAway({ handOver: HAND_OVER }, 'hoan-kiem')).toBe(true);
    expect(isHandedIn({ handOver: HAND_OVER }, 'hoan-kiem')).toBe(false);
    expect(isHandedIn({ handOver: HAND_OVER }, 'cua-nam')).toBe(true);
    expect(isHandedAway({ handOver: HAND_OVER }, 'cua-nam')).toBe(false);
    // A third ward, and a dossier with no hand-over, are neither.
    expect([isHandedAway({ handOver: HAND_OVER }, 'ba-dinh'), isHandedIn({ handOver: HAND_OVER }, 'ba-dinh')]).toEqual([false, false]);
    expect([isHandedAway({}, 'hoan-kiem'), isHandedIn({}, 'cua-nam')]).toEqual([false, false]);
  });

  it('takes only a later version of the competent ward into the copy', () => {
    expect(isNewerCopy({ version: 3 }, { version: 4 })).toBe(true);
    expect(isNewerCopy({ version: 4 }, { version: 4 })).toBe(false);
    expect(isNewerCopy({ version: 5 }, { version: 4 })).toBe(false);
  });

  it('asks for another ward of the city', () => {
    const request = HandOverRequestSchema.parse({ competentWard: 'cua-nam' });
    expect(request.resultReturn).toBe('RECEIVING_WARD');
    expect(handOverProblem(request, 'hoan-kiem', CITY)).toBeUndefined();
    expect(handOverProblem(request, 'cua-nam', CITY)).toBe('SAME_WARD');
    expect(handOverProblem({ ...request, competentWard: 'xa-khong-co' }, 'hoan-kiem', CITY)).toBe('UNKNOWN_WARD');
    expect(HandOverRequestSchema.safeParse({ competentWard: 'Cua Nam' }).success).toBe(false);
    expect(HandOverRequestSchema.safeParse({ competentWard: 'cua-nam', resultReturn: 'EMAIL' }).success).toBe(false);
    expect(HandOverRequestSchema.safeParse({ competentWard: 'cua-nam', receivingWard: 'x' }).success).toBe(false);
    // The citizen chooses where the result is returned, as part of the submission.
    const submission = SubmissionSchema.parse({
      procedureCode: '1.004873',
      applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: '001190012345', phone: '0912345678' },
      handOver: { competentWard: 'cua-nam', resultReturn: 'POST' },
    });
    expect(submission.handOver).toEqual({ competentWard: 'cua-nam', resultReturn: 'POST' });
  });

  it('says where the dossier is: being handed over, then acknowledged at a time', () => {
    expect(handOverSummary(HAND_OVER, (slug) => slug).en).toBe('Received at hoan-kiem, being handed over to cua-nam');
    expect(handOverSummary({ ...HAND_OVER, acknowledgedAt: new Date('2026-03-02T02:00:05Z') }, (slug) => slug).en).toBe(
      'Received at hoan-kiem, handed over to cua-nam, acknowledged at 2026-03-02T02:00:05.000Z',
    );
  });

  it('has one schema per event: the outbox event of a filed dossier, and each city bus message', () => {
    const filed = {
      id: 'e1',
      type: 'DOSSIER_FILED_FOR_WARD',
      dossierCode: 'X-1',
      at: new Date(),
      data: { phone: '+84912345678', procedureName: 'Thủ tục', procedureCode: '1.004873' },
    };
    expect(DomainEventSchema.safeParse(filed).success).toBe(false);
    expect(DomainEventSchema.safeParse({ ...filed, data: { ...filed.data, competentWard: 'cua-nam' } }).success).toBe(true);
    const ack = { type: 'HANDOVER_ACKNOWLEDGED', id: 'm1', toWard: 'hoan-kiem', fromWard: 'cua-nam', dossierCode: 'X-1', acknowledgedAt: '2026-03-02T02:00:05.000Z' };
    expect(CityEventSchema.safeParse(ack).success).toBe(true);
    expect(CityEventSchema.safeParse({ ...ack, toWard: undefined }).success).toBe(false);
    expect(CityEventSchema.safeParse({ ...ack, type: 'DOSSIER_HANDED_OVER' }).success).toBe(false);
  });

  it("refuses a delivered message whose source is not its sender ward's", () => {
    const ack = { type: 'HANDOVER_ACKNOWLEDGED', id: 'm1', toWard: 'hoan-kiem', fromWard: 'cua-nam', dossierCode: 'X-1', acknowledgedAt: '2026-03-02T02:00:05.000Z' };
    const delivered = (source: string) => JSON.stringify({ version: '0', id: 'e', 'detail-type': ack.type, source, detail: ack });
    expect(cityMessageOfDelivery(delivered('mot-cua-so.ward.cua-nam'))).toMatchObject({ type: 'HANDOVER_ACKNOWLEDGED', acknowledgedAt: new Date(ack.acknowledgedAt) });
    expect(() => cityMessageOfDelivery(delivered('mot-cua-so.ward.ba-dinh'))).toThrow(MalformedCityMessageError);
    expect(() => cityMessageOfDelivery('not json')).toThrow(MalformedCityMessageError);
  });
});

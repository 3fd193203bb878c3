import { describe, it, expect } from 'vitest';
import { addWorkingMinutes, computeAppointment, dueReminderAt, resumeAppointment, workingMinutesBetween } from '../../shared/domain/calendar';
import type { OfficeHours } from '../../shared/domain/ward-config';
import { toVietnamIso } from '../../shared/domain/time';

// Every expected date is worked out by hand from the decisions (2025: Notice 6150/TB-BLĐTBXH;
// 2026: Notice 9441/TB-BNV and letter 12729/VPCP-KGVX), not taken from the code's output.

const OFFICE_HOURS: OfficeHours = { open: '08:00', close: '17:00', cutoff: '15:00' };

const at = (isoWithOffset: string): Date => new Date(isoWithOffset);

function appointmentFor(receivedAt: string, timeLimitDays: number, worksOnHolidays = false): { clockStartsAt: string; appointmentAt: string } {
  const { clockStartsAt, appointmentAt } = computeAppointment({ receivedAt: at(receivedAt), timeLimitDays, officeHours: OFFICE_HOURS, worksOnHolidays });
  return { clockStartsAt: toVietnamIso(clockStartsAt), appointmentAt: toVietnamIso(appointmentAt) };
}

describe('computeAppointment around the decided holidays', () => {
  it('sets a 1-day dossier received the Friday before Tết 2025 for the Monday after it', () => {
    expect(appointmentFor('2025-01-24T10:00:00+07:00', 1)).toEqual({
      clockStartsAt: '2025-01-24T10:00:00+07:00',
      appointmentAt: '2025-02-03T17:00:00+07:00',
    });
  });

  it('starts the clock on Monday 3/2/2025 for a dossier received after the cut-off on the Friday before Tết', () => {
    expect(appointmentFor('2025-01-24T15:30:00+07:00', 0)).toEqual({
      clockStartsAt: '2025-02-03T08:00:00+07:00',
      appointmentAt: '2025-02-03T17:00:00+07:00',
    });
  });

  it('starts the clock after the break for a dossier submitted online on mùng 1 Tết 2025', () => {
    expect(appointmentFor('2025-01-29T09:00:00+07:00', 2)).toEqual({
      clockStartsAt: '2025-02-03T08:00:00+07:00',
      appointmentAt: '2025-02-05T17:00:00+07:00',
    });
  });

  it('sets a 1-day dossier received Friday 13/2/2026 for Monday 23/2/2026, after Tết Bính Ngọ', () => {
    expect(appointmentFor('2026-02-13T10:00:00+07:00', 1).appointmentAt).toBe('2026-02-23T17:00:00+07:00');
    expect(appointmentFor('2026-02-17T10:00:00+07:00', 0).clockStartsAt).toBe('2026-02-23T08:00:00+07:00');
  });

  it('counts the make-up Saturday 26/4/2025 as a working day and skips 30/4 – 4/5/2025', () => {
    expect(appointmentFor('2025-04-25T10:00:00+07:00', 1).appointmentAt).toBe('2025-04-26T17:00:00+07:00');
    // Sat 26/4 (make-up), Mon 28/4, Tue 29/4, then nothing until Mon 5/5.
    expect(appointmentFor('2025-04-25T10:00:00+07:00', 2).appointmentAt).toBe('2025-04-28T17:00:00+07:00');
    expect(appointmentFor('2025-04-25T10:00:00+07:00', 3).appointmentAt).toBe('2025-04-29T17:00:00+07:00');
    expect(appointmentFor('2025-04-25T10:00:00+07:00', 4).appointmentAt).toBe('2025-05-05T17:00:00+07:00');
  });

  it('returns a same-day dossier received on the make-up Saturday 26/4/2025 that same evening', () => {
    expect(appointmentFor('2025-04-26T10:00:00+07:00', 0)).toEqual({
      clockStartsAt: '2025-04-26T10:00:00+07:00',
      appointmentAt: '2025-04-26T17:00:00+07:00',
    });
  });

  it('moves a dossier received after the cut-off on Tuesday 29/4/2025 to Monday 5/5/2025', () => {
    expect(appointmentFor('2025-04-29T15:30:00+07:00', 0)).toEqual({
      clockStartsAt: '2025-05-05T08:00:00+07:00',
      appointmentAt: '2025-05-05T17:00:00+07:00',
    });
  });

  it('skips Quốc khánh 1–2/9/2025', () => {
    expect(appointmentFor('2025-08-29T10:00:00+07:00', 1).appointmentAt).toBe('2025-09-03T17:00:00+07:00');
  });

  it("skips Hùng Kings' day, Monday 7/4/2025", () => {
    expect(appointmentFor('2025-04-04T10:00:00+07:00', 1).appointmentAt).toBe('2025-04-08T17:00:00+07:00');
  });

  it("skips the substitute Monday 27/4/2026 for Hùng Kings' day and then 30/4 – 1/5/2026", () => {
    expect(appointmentFor('2026-04-24T10:00:00+07:00', 1).appointmentAt).toBe('2026-04-28T17:00:00+07:00');
    expect(appointmentFor('2026-04-24T10:00:00+07:00', 3).appointmentAt).toBe('2026-05-04T17:00:00+07:00');
  });

  it('skips 1–2/1/2026 across the year end and counts the make-up Saturday 10/1/2026', () => {
    expect(appointmentFor('2025-12-31T10:00:00+07:00', 1).appointmentAt).toBe('2026-01-05T17:00:00+07:00');
    expect(appointmentFor('2026-01-09T10:00:00+07:00', 1).appointmentAt).toBe('2026-01-10T17:00:00+07:00');
  });

  it('counts the make-up Saturday 22/8/2026 and skips 31/8 – 2/9/2026', () => {
    expect(appointmentFor('2026-08-21T10:00:00+07:00', 1).appointmentAt).toBe('2026-08-22T17:00:00+07:00');
    expect(appointmentFor('2026-08-28T10:00:00+07:00', 1).appointmentAt).toBe('2026-09-03T17:00:00+07:00');
  });
});

describe('computeAppointment cut-off and office hours', () => {
  it('counts a dossier received at 14:59 the same day', () => {
    expect(appointmentFor('2025-06-03T14:59:00+07:00', 0)).toEqual({
      clockStartsAt: '2025-06-03T14:59:00+07:00',
      appointmentAt: '2025-06-03T17:00:00+07:00',
    });
  });

  it('counts a dossier received at exactly 15:00:00 the same day, since it is not after the cut-off', () => {
    expect(appointmentFor('2025-06-03T15:00:00+07:00', 0).appointmentAt).toBe('2025-06-03T17:00:00+07:00');
  });

  it('counts a dossier received at 15:00:30 or 15:01 from the next working day', () => {
    for (const receivedAt of ['2025-06-03T15:00:30+07:00', '2025-06-03T15:01:00+07:00']) {
      expect(appointmentFor(receivedAt, 0)).toEqual({
        clockStartsAt: '2025-06-04T08:00:00+07:00',
        appointmentAt: '2025-06-04T17:00:00+07:00',
      });
    }
  });

  it('counts a dossier submitted before opening on a working day that day, from opening time', () => {
    expect(appointmentFor('2025-06-03T06:30:00+07:00', 0)).toEqual({
      clockStartsAt: '2025-06-03T08:00:00+07:00',
      appointmentAt: '2025-06-03T17:00:00+07:00',
    });
  });

  it('counts a same-day dossier received on a Saturday from Monday', () => {
    expect(appointmentFor('2025-06-07T10:00:00+07:00', 0)).toEqual({
      clockStartsAt: '2025-06-09T08:00:00+07:00',
      appointmentAt: '2025-06-09T17:00:00+07:00',
    });
  });

  it('refuses a time limit that is negative or not a whole number of days', () => {
    expect(() => appointmentFor('2025-06-03T10:00:00+07:00', -1)).toThrow(RangeError);
    expect(() => appointmentFor('2025-06-03T10:00:00+07:00', 1.5)).toThrow(RangeError);
  });
});

describe('computeAppointment for a procedure that works on holidays', () => {
  it('returns a same-day dossier received on a Sunday that Sunday', () => {
    expect(appointmentFor('2025-06-08T10:00:00+07:00', 0, true)).toEqual({
      clockStartsAt: '2025-06-08T10:00:00+07:00',
      appointmentAt: '2025-06-08T17:00:00+07:00',
    });
  });

  it('returns a same-day dossier received on mùng 1 Tết 2025 that day', () => {
    expect(appointmentFor('2025-01-29T09:00:00+07:00', 0, true).appointmentAt).toBe('2025-01-29T17:00:00+07:00');
  });

  it('still applies the cut-off, moving to the next calendar day even when it is a holiday', () => {
    expect(appointmentFor('2025-01-26T16:00:00+07:00', 0, true)).toEqual({
      clockStartsAt: '2025-01-27T08:00:00+07:00',
      appointmentAt: '2025-01-27T17:00:00+07:00',
    });
  });

  it('counts the weekend before Tết as working days', () => {
    expect(appointmentFor('2025-01-24T10:00:00+07:00', 1, true).appointmentAt).toBe('2025-01-25T17:00:00+07:00');
  });
});

describe('computeAppointment in a year without a decision (statutory rules)', () => {
  // Tết 2030: mùng 1 = Saturday 2/2/2030 in Vietnam (Hồ Ngọc Đức, informatik.uni-leipzig.de/~duc/amlich/calrules_en.html;
  // China's is 3/2). Days off: Fri 1/2 – Tue 5/2, plus Wed 6/2 and Thu 7/2 given back for Saturday and Sunday.
  it('sets a 1-day dossier received Thursday 31/1/2030 for Friday 8/2/2030', () => {
    expect(appointmentFor('2030-01-31T10:00:00+07:00', 1).appointmentAt).toBe('2030-02-08T17:00:00+07:00');
  });
});

describe('resumeAppointment across the 30/4 – 1/5/2025 break', () => {
  // Received Mon 14/4/2025 09:00, 5 working days → due Mon 21/4/2025 17:00. The specialist asks for
  // a supplement on Thu 17/4 at 10:00; the citizen completes it on Tue 29/4 at 14:00. The wait covers
  // 17/4 (7 h), 18, 21, 22, 23, 24, 25/4, Saturday 26/4 (make-up) and 28/4 (8 full days of 9 h) and
  // 29/4 (6 h): 420 + 8 × 540 + 360 = 5100 working minutes.
  const supplement = {
    timeLimitDays: 5,
    officeHours: OFFICE_HOURS,
    worksOnHolidays: false,
    stoppedAt: at('2025-04-17T10:00:00+07:00'),
    completedAt: at('2025-04-29T14:00:00+07:00'),
    previousAppointmentAt: at('2025-04-21T17:00:00+07:00'),
  };

  it('sets the first appointment on Monday 21/4/2025', () => {
    expect(appointmentFor('2025-04-14T09:00:00+07:00', 5).appointmentAt).toBe('2025-04-21T17:00:00+07:00');
  });

  it('measures the wait as 5100 working minutes', () => {
    expect(workingMinutesBetween(supplement.stoppedAt, supplement.completedAt, OFFICE_HOURS, false)).toBe(5100);
  });

  it('RESTART counts five full working days again from 29/4, skipping the break: Friday 9/5/2025', () => {
    const resumed = resumeAppointment({ ...supplement, mode: 'RESTART' });
    expect(toVietnamIso(resumed.clockStartsAt)).toBe('2025-04-29T14:00:00+07:00');
    expect(toVietnamIso(resumed.appointmentAt)).toBe('2025-05-09T17:00:00+07:00');
  });

  it('RESTART applies the cut-off to the completion like a new receipt: Monday 12/5/2025', () => {
    const resumed = resumeAppointment({ ...supplement, mode: 'RESTART', completedAt: at('2025-04-29T15:30:00+07:00') });
    expect(toVietnamIso(resumed.clockStartsAt)).toBe('2025-05-05T08:00:00+07:00');
    expect(toVietnamIso(resumed.appointmentAt)).toBe('2025-05-12T17:00:00+07:00');
  });

  it('SUBTRACT gives back only the 1500 working minutes left at the stop: Wednesday 7/5/2025 at 12:00', () => {
    // Left at the stop: 17/4 10:00–17:00, 18/4 and 21/4 = 420 + 540 + 540. After 29/4 14:00: 180 on
    // 29/4, 540 on 5/5, 540 on 6/5, and the last 240 run out on 7/5 at 12:00.
    const resumed = resumeAppointment({ ...supplement, mode: 'SUBTRACT' });
    expect(toVietnamIso(resumed.clockStartsAt)).toBe('2025-04-29T14:00:00+07:00');
    expect(toVietnamIso(resumed.appointmentAt)).toBe('2025-05-07T12:00:00+07:00');
  });

  it('SUBTRACT resumes at the next opening when the supplement arrives during the break', () => {
    // Completed Sat 3/5: the wait gains the rest of 29/4 (540 in all that day) → 5280; 1500 left from Mon 5/5 08:00.
    const resumed = resumeAppointment({ ...supplement, mode: 'SUBTRACT', completedAt: at('2025-05-03T10:00:00+07:00') });
    expect(toVietnamIso(resumed.clockStartsAt)).toBe('2025-05-05T08:00:00+07:00');
    expect(toVietnamIso(resumed.appointmentAt)).toBe('2025-05-07T15:00:00+07:00');
  });

  it('SUBTRACT refuses a completion before the request', () => {
    expect(() => resumeAppointment({ ...supplement, mode: 'SUBTRACT', completedAt: at('2025-04-16T10:00:00+07:00') })).toThrow(RangeError);
  });
});

describe('working time', () => {
  it('counts the make-up Saturday 26/4/2025 as nine working hours', () => {
    expect(workingMinutesBetween(at('2025-04-25T16:00:00+07:00'), at('2025-04-28T09:00:00+07:00'), OFFICE_HOURS, false)).toBe(60 + 540 + 60);
  });

  it('counts nothing for the Tết 2025 break', () => {
    expect(workingMinutesBetween(at('2025-01-24T16:00:00+07:00'), at('2025-02-03T09:00:00+07:00'), OFFICE_HOURS, false)).toBe(120);
  });

  it('counts zero when the end is not after the start, and drops a partial minute', () => {
    expect(workingMinutesBetween(at('2025-06-03T10:00:00+07:00'), at('2025-06-03T09:00:00+07:00'), OFFICE_HOURS, false)).toBe(0);
    expect(workingMinutesBetween(at('2025-06-03T10:00:00+07:00'), at('2025-06-03T10:00:59+07:00'), OFFICE_HOURS, false)).toBe(0);
    expect(workingMinutesBetween(at('2025-06-03T10:00:00+07:00'), at('2025-06-03T10:01:30+07:00'), OFFICE_HOURS, false)).toBe(1);
  });

  it('carries minutes over the Tết 2025 break', () => {
    expect(toVietnamIso(addWorkingMinutes(at('2025-01-24T16:30:00+07:00'), 60, OFFICE_HOURS, false))).toBe('2025-02-03T08:30:00+07:00');
  });

  it('lands on closing time when the minutes run out exactly then, and on the next opening one minute later', () => {
    expect(toVietnamIso(addWorkingMinutes(at('2025-04-29T16:00:00+07:00'), 60, OFFICE_HOURS, false))).toBe('2025-04-29T17:00:00+07:00');
    expect(toVietnamIso(addWorkingMinutes(at('2025-04-29T16:00:00+07:00'), 61, OFFICE_HOURS, false))).toBe('2025-05-05T08:01:00+07:00');
  });

  it('moves an instant outside office hours to the next opening even when adding nothing', () => {
    expect(toVietnamIso(addWorkingMinutes(at('2025-06-08T10:00:00+07:00'), 0, OFFICE_HOURS, false))).toBe('2025-06-09T08:00:00+07:00');
  });

  it('refuses a negative amount', () => {
    expect(() => addWorkingMinutes(at('2025-06-03T10:00:00+07:00'), -1, OFFICE_HOURS, false)).toThrow(RangeError);
  });
});

describe('dueReminderAt', () => {
  const reminderFor = (appointmentAt: string, worksOnHolidays = false): string => toVietnamIso(dueReminderAt(at(appointmentAt), OFFICE_HOURS, worksOnHolidays));

  it('warns on the Friday before Tết 2025 for an appointment on the Monday after it', () => {
    expect(reminderFor('2025-02-03T17:00:00+07:00')).toBe('2025-01-24T17:00:00+07:00');
  });

  it('warns on Tuesday 29/4/2025 for an appointment on Monday 5/5/2025', () => {
    expect(reminderFor('2025-05-05T17:00:00+07:00')).toBe('2025-04-29T17:00:00+07:00');
  });

  it('warns on the make-up Saturday 26/4/2025 for an appointment on Monday 28/4/2025', () => {
    expect(reminderFor('2025-04-28T17:00:00+07:00')).toBe('2025-04-26T17:00:00+07:00');
  });

  it('keeps the time of day of a mid-day appointment', () => {
    expect(reminderFor('2025-05-07T12:00:00+07:00')).toBe('2025-05-06T12:00:00+07:00');
  });

  it('warns on the Friday before Tết 2026 for an appointment on Monday 23/2/2026', () => {
    expect(reminderFor('2026-02-23T17:00:00+07:00')).toBe('2026-02-13T17:00:00+07:00');
  });

  it('warns on Saturday for a Sunday appointment of a procedure that works on holidays', () => {
    expect(reminderFor('2025-06-08T17:00:00+07:00', true)).toBe('2025-06-07T17:00:00+07:00');
  });

  it('brings an appointment time outside office hours back to closing time', () => {
    expect(reminderFor('2025-06-04T19:30:00+07:00')).toBe('2025-06-03T17:00:00+07:00');
  });
});

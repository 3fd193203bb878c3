import { describe, it, expect } from 'vitest';
import Holidays from 'date-holidays';
import { CalendarOutOfRangeError, holidaysOf, isWorkingDay, nextWorkingDay, previousWorkingDay } from '../../shared/domain/calendar';
import type { CalendarEntryKind } from '../../shared/domain/calendar';
import { LUNAR_DATES, LUNAR_TABLE_FIRST_YEAR, LUNAR_TABLE_LAST_YEAR } from '../../shared/domain/calendar/lunar-dates';
import { lunarHolidaysOf } from '../../shared/domain/calendar/lunar';
import { statutoryCalendarOf } from '../../shared/domain/calendar/statutory-holidays';

// Expected dates below are copied from the decisions, not from the code:
// - 2025: Notice 6150/TB-BLĐTBXH of 03/12/2024 (after Government Office letter 8726/VPCP-KGVX);
// - 2026: Notice 9441/TB-BNV of 16/10/2025 (after 9859/VPCP-KGVX) and letter 12729/VPCP-KGVX of 25/12/2025.

const daysOfKind = (year: number, kind: CalendarEntryKind): string[] =>
  holidaysOf(year)
    .filter((entry) => entry.kind === kind)
    .map((entry) => entry.date);

describe('official calendar 2025', () => {
  it('takes Mon 27 – Fri 31/1/2025 off for Tết and works again on Mon 3/2', () => {
    for (const day of ['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31']) expect(isWorkingDay(day)).toBe(false);
    expect(isWorkingDay('2025-01-24')).toBe(true);
    expect(isWorkingDay('2025-02-03')).toBe(true);
  });

  it('makes Saturday 26/4/2025 a working day in exchange for Friday 2/5/2025', () => {
    expect(isWorkingDay('2025-04-26')).toBe(true);
    expect(isWorkingDay('2025-05-02')).toBe(false);
  });

  it('takes 30/4 and 1/5/2025 off and works again on Mon 5/5', () => {
    expect(isWorkingDay('2025-04-30')).toBe(false);
    expect(isWorkingDay('2025-05-01')).toBe(false);
    expect(isWorkingDay('2025-05-05')).toBe(true);
  });

  it("takes Hùng Kings' day off on Monday 7/4/2025", () => {
    expect(isWorkingDay('2025-04-07')).toBe(false);
    expect(isWorkingDay('2025-04-08')).toBe(true);
  });

  it('takes Mon 1/9 and Tue 2/9/2025 off for Quốc khánh and works on Wed 3/9', () => {
    expect(isWorkingDay('2025-09-01')).toBe(false);
    expect(isWorkingDay('2025-09-02')).toBe(false);
    expect(isWorkingDay('2025-09-03')).toBe(true);
  });

  it('lists the eleven statutory days, one swapped Friday and one make-up Saturday, each with its source', () => {
    expect(daysOfKind(2025, 'holiday')).toEqual([
      '2025-01-01',
      '2025-01-27',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-04-07',
      '2025-04-30',
      '2025-05-01',
      '2025-09-01',
      '2025-09-02',
    ]);
    expect(daysOfKind(2025, 'substitute')).toEqual(['2025-05-02']);
    expect(daysOfKind(2025, 'make-up-working-day')).toEqual(['2025-04-26']);
    const tet = holidaysOf(2025).find((entry) => entry.date === '2025-01-29');
    expect(tet?.source).toContain('6150/TB-BLĐTBXH');
    expect(tet?.source).toContain('8726/VPCP-KGVX');
  });
});

describe('official calendar 2026', () => {
  it('takes Thu 1/1 and the swapped Fri 2/1/2026 off, and works on Saturday 10/1/2026', () => {
    expect(isWorkingDay('2026-01-01')).toBe(false);
    expect(isWorkingDay('2026-01-02')).toBe(false);
    expect(isWorkingDay('2026-01-05')).toBe(true);
    expect(isWorkingDay('2026-01-10')).toBe(true);
  });

  it('takes Mon 16 – Fri 20/2/2026 off for Tết and works again on Mon 23/2', () => {
    for (const day of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']) expect(isWorkingDay(day)).toBe(false);
    expect(isWorkingDay('2026-02-13')).toBe(true);
    expect(isWorkingDay('2026-02-23')).toBe(true);
  });

  it("gives Monday 27/4/2026 off for Hùng Kings' day falling on Sunday 26/4", () => {
    expect(isWorkingDay('2026-04-27')).toBe(false);
    expect(isWorkingDay('2026-04-28')).toBe(true);
    expect(holidaysOf(2026).find((entry) => entry.date === '2026-04-27')?.kind).toBe('substitute');
  });

  it('takes Thu 30/4 and Fri 1/5/2026 off', () => {
    expect(isWorkingDay('2026-04-30')).toBe(false);
    expect(isWorkingDay('2026-05-01')).toBe(false);
    expect(isWorkingDay('2026-05-04')).toBe(true);
  });

  it('takes Mon 31/8 – Wed 2/9/2026 off and works on Saturday 22/8/2026 instead of Monday 31/8', () => {
    expect(isWorkingDay('2026-08-22')).toBe(true);
    for (const day of ['2026-08-31', '2026-09-01', '2026-09-02']) expect(isWorkingDay(day)).toBe(false);
    expect(isWorkingDay('2026-09-03')).toBe(true);
  });

  it('lists the statutory days, three weekdays off in exchange or compensation and two make-up Saturdays', () => {
    expect(daysOfKind(2026, 'holiday')).toEqual([
      '2026-01-01',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-04-26',
      '2026-04-30',
      '2026-05-01',
      '2026-09-01',
      '2026-09-02',
    ]);
    expect(daysOfKind(2026, 'substitute')).toEqual(['2026-01-02', '2026-04-27', '2026-08-31']);
    expect(daysOfKind(2026, 'make-up-working-day')).toEqual(['2026-01-10', '2026-08-22']);
    expect(holidaysOf(2026).find((entry) => entry.date === '2026-02-17')?.source).toContain('9441/TB-BNV');
    expect(holidaysOf(2026).find((entry) => entry.date === '2026-01-10')?.source).toContain('12729/VPCP-KGVX');
  });

  it('gives every entry of both decided years a date in that year, a name and a source', () => {
    for (const year of [2025, 2026]) {
      for (const entry of holidaysOf(year)) {
        expect(entry.date.startsWith(`${year}-`)).toBe(true);
        expect(entry.name.length).toBeGreaterThan(3);
        expect(entry.source.length).toBeGreaterThan(10);
      }
    }
  });
});

describe('ordinary weeks', () => {
  it('works Monday to Friday and rests on Saturday and Sunday', () => {
    expect(isWorkingDay('2025-06-02')).toBe(true); // Monday
    expect(isWorkingDay('2025-06-06')).toBe(true); // Friday
    expect(isWorkingDay('2025-06-07')).toBe(false); // Saturday
    expect(isWorkingDay('2025-06-08')).toBe(false); // Sunday
  });

  it('counts every day, holidays and weekends included, for a procedure that works on holidays', () => {
    expect(isWorkingDay('2025-06-08', { worksOnHolidays: true })).toBe(true);
    expect(isWorkingDay('2025-01-29', { worksOnHolidays: true })).toBe(true);
  });

  it('steps over the Tết break to the next and previous working days', () => {
    expect(nextWorkingDay('2025-01-24')).toBe('2025-02-03');
    expect(previousWorkingDay('2025-02-03')).toBe('2025-01-24');
    expect(nextWorkingDay('2025-04-25')).toBe('2025-04-26');
  });

  it('refuses a malformed day and a year outside the lunar table', () => {
    expect(() => isWorkingDay('2025-13-01')).toThrow(RangeError);
    expect(() => isWorkingDay('2101-06-01')).toThrow(CalendarOutOfRangeError);
  });
});

describe('statutory fallback', () => {
  // Tết 2030: mùng 1 is Saturday 2/2/2030 in Vietnam (UTC+07:00) but 3/2/2030 in China (UTC+08:00),
  // per Hồ Ngọc Đức's Vietnamese calendar notes (informatik.uni-leipzig.de/~duc/amlich/calrules_en.html),
  // which list 2007, 2030 and 2053 as the 21st-century years where the two new years differ.
  it('takes the last day of the lunar year and mùng 1–4 off for Tết 2030, with weekend days given back after the break', () => {
    // Fri 1/2 (30 Tết), Sat 2/2 (mùng 1), Sun 3/2, Mon 4/2, Tue 5/2; Sat and Sun give back Wed 6/2 and Thu 7/2.
    for (const day of ['2030-02-01', '2030-02-04', '2030-02-05', '2030-02-06', '2030-02-07']) expect(isWorkingDay(day)).toBe(false);
    expect(isWorkingDay('2030-01-31')).toBe(true);
    expect(isWorkingDay('2030-02-08')).toBe(true);
    expect(daysOfKind(2030, 'substitute')).toEqual(['2030-02-06', '2030-02-07']);
  });

  it("reproduces the 2026 decision's Tết days and both decided years' Quốc khánh days", () => {
    const statutoryDaysOff = (year: number): string[] =>
      statutoryCalendarOf(year)
        .filter((entry) => entry.kind !== 'make-up-working-day')
        .map((entry) => entry.date);
    // 2026 decision: Tết 16–20/2 (29 tháng Chạp – mùng 4), Quốc khánh 1–2/9.
    expect(statutoryDaysOff(2026)).toEqual(expect.arrayContaining(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-09-01', '2026-09-02']));
    // 2025 decision: Quốc khánh 1–2/9 (its Tết took two days before mùng 1, which the rule does not).
    expect(statutoryDaysOff(2025)).toEqual(expect.arrayContaining(['2025-09-01', '2025-09-02']));
  });

  it('picks the Quốc khánh adjacent day the past decisions picked', () => {
    // 2023: 2/9 Saturday → Fri 1/9 off and Mon 4/9 given back (break 1–4/9/2023).
    expect(daysOfKind(2023, 'holiday')).toContain('2023-09-01');
    expect(isWorkingDay('2023-09-04')).toBe(false);
    expect(isWorkingDay('2023-09-05')).toBe(true);
    // 2024: 2/9 Monday → Tue 3/9 off (break 31/8–3/9/2024).
    expect(isWorkingDay('2024-09-02')).toBe(false);
    expect(isWorkingDay('2024-09-03')).toBe(false);
    expect(isWorkingDay('2024-09-04')).toBe(true);
    // 2030: 2/9 Monday → Tue 3/9.
    expect(daysOfKind(2030, 'holiday')).toEqual(expect.arrayContaining(['2030-09-02', '2030-09-03']));
  });

  it("gives back Hùng Kings' day and 30/4 falling on a weekend on the next free weekdays (2023: Tue 2/5 and Wed 3/5)", () => {
    // 2023: Hùng Kings Sat 29/4, 30/4 Sun, 1/5 Mon → the decision gave Tue 2/5 and Wed 3/5.
    expect(daysOfKind(2023, 'substitute')).toEqual(expect.arrayContaining(['2023-05-02', '2023-05-03']));
    expect(isWorkingDay('2023-05-04')).toBe(true);
  });
});

describe('lunar table', () => {
  const NEW_YEAR_RULE = 'vietnamese 1-0-1';
  const HUNG_KINGS_RULE = 'vietnamese 3-0-10';

  it('covers 1990–2100 with one row per year', () => {
    expect(LUNAR_DATES).toHaveLength(LUNAR_TABLE_LAST_YEAR - LUNAR_TABLE_FIRST_YEAR + 1);
  });

  it('holds the lunar dates the decisions and the Vietnamese calendar state', () => {
    expect(lunarHolidaysOf(2025)).toEqual({ lunarNewYear: '2025-01-29', hungKingsDay: '2025-04-07' });
    expect(lunarHolidaysOf(2026)).toEqual({ lunarNewYear: '2026-02-17', hungKingsDay: '2026-04-26' });
    // Hồ Ngọc Đức: Vietnamese new year 17/2/2007, 2/2/2030, 18/2/2053 (Chinese one day later).
    expect(lunarHolidaysOf(2007).lunarNewYear).toBe('2007-02-17');
    expect(lunarHolidaysOf(2030).lunarNewYear).toBe('2030-02-02');
    expect(lunarHolidaysOf(2053).lunarNewYear).toBe('2053-02-18');
  });

  it('agrees with date-holidays every year, except two Hùng Kings days its rule places a day early', () => {
    // date-holidays' "vietnamese 3-0-10" round-trips through a midnight JDE and slips a day in 2050
    // and 2083; the new moons (23/3/2050 07:40, 17/4/2083 09:09 UTC+07:00) make 10/3 fall on 1/4/2050
    // and 26/4/2083, as the table says (see generate-lunar-dates.ts).
    const knownDateHolidaysSlips = new Map([
      [2050, '2050-03-31'],
      [2083, '2083-04-25'],
    ]);
    const vietnam = new Holidays('VN');
    // Only the two lunar rules are compared; dropping the other 25 makes the 111-year loop ~10× faster.
    for (const { rule } of vietnam.getHolidays(2025)) if (rule !== NEW_YEAR_RULE && rule !== HUNG_KINGS_RULE) vietnam.unsetRule(rule);
    const disagreements: string[] = [];
    for (let year = LUNAR_TABLE_FIRST_YEAR; year <= LUNAR_TABLE_LAST_YEAR; year++) {
      const reference = vietnam.getHolidays(year);
      const referenceNewYear = reference.find((holiday) => holiday.rule === NEW_YEAR_RULE)?.date.slice(0, 10);
      const referenceHungKings = reference.find((holiday) => holiday.rule === HUNG_KINGS_RULE)?.date.slice(0, 10);
      const { lunarNewYear, hungKingsDay } = lunarHolidaysOf(year);
      if (referenceNewYear !== lunarNewYear) disagreements.push(`${year} Tết ${lunarNewYear} vs ${referenceNewYear}`);
      if (referenceHungKings !== hungKingsDay && knownDateHolidaysSlips.get(year) !== referenceHungKings) {
        disagreements.push(`${year} Hùng Kings ${hungKingsDay} vs ${referenceHungKings}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(lunarHolidaysOf(2050).hungKingsDay).toBe('2050-04-01');
    expect(lunarHolidaysOf(2083).hungKingsDay).toBe('2083-04-26');
  }, 30_000);
});

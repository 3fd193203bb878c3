import type { CalendarEntry } from './types';

/**
 * Public holidays, days off and make-up working days of the state sector ("cán bộ, công chức,
 * viên chức" of administrative agencies, which a ward's one-stop desk is), as actually decided for
 * each year. A year listed here replaces the statutory rules entirely, so every entry of the year
 * must be here, including the ones that need no decision (1/1, 30/4, 1/5 on weekdays).
 *
 * Weekend days inside a long break (e.g. Sat 25 and Sun 26/1/2025) are not listed: they are
 * weekly rest days anyway. Holidays falling on a weekend are listed, with their substitute.
 *
 * Not decided anywhere yet (checked against press reports up to Feb 2026): Ngày Văn hóa Việt Nam
 * 24/11. The Politburo chose it as a paid day off (Resolution 80-NQ/TW, Jan 2026) and the
 * Government asked for art. 112.1 of the Labour Code to be amended (Resolution 30/NQ-CP, Feb
 * 2026), but until the National Assembly amends it, 24/11/2026 is a working day. Add it here when
 * the law is passed.
 *
 * To add a year: copy the Ministry of Home Affairs' notice (it follows the Government Office's
 * letter conveying the Prime Minister's decision), one entry per weekday off and per make-up day.
 */

const LABOUR_CODE_HOLIDAYS = 'Bộ luật Lao động 2019, Điều 112 khoản 1';
const LABOUR_CODE_SUBSTITUTE = 'Bộ luật Lao động 2019, Điều 111 khoản 3 (ngày nghỉ lễ trùng ngày nghỉ hằng tuần được nghỉ bù vào ngày làm việc kế tiếp)';

// 2025: one notice for Tết, 30/4–1/5 and Quốc khánh. The Ministry of Home Affairs' announcement of
// 4/8/2025 confirmed Quốc khánh as 1/9 (Mon) and 2/9 (Tue) for the state sector; the 80th
// anniversary of 2/9/2025 brought celebrations but no extra day off.
const NOTICE_2025 =
  'Thông báo 6150/TB-BLĐTBXH ngày 03/12/2024 của Bộ Lao động - Thương binh và Xã hội, theo Công văn 8726/VPCP-KGVX ngày 26/11/2024 của Văn phòng Chính phủ (ý kiến Thủ tướng)';

// 2026, Tết and Quốc khánh: Government Office letter 9859/VPCP-KGVX of 13/10/2025 (the Prime
// Minister's approval), then the Ministry of Home Affairs' notice below.
const NOTICE_2026 = 'Thông báo 9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ, theo Công văn 9859/VPCP-KGVX ngày 13/10/2025 của Văn phòng Chính phủ (ý kiến Thủ tướng)';

// 2026, Tết Dương lịch: the Deputy Prime Minister approved the swap on 25/12/2025 and the Ministry
// of Home Affairs announced it the same day; the ministry's notice number was not found.
const NEW_YEAR_SWAP_2026 = 'Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ (ý kiến Phó Thủ tướng Phạm Thị Thanh Trà) và thông báo của Bộ Nội vụ cùng ngày';

const YEAR_2025: readonly CalendarEntry[] = [
  { date: '2025-01-01', kind: 'holiday', name: 'Tết Dương lịch', source: LABOUR_CODE_HOLIDAYS },
  // Break Sat 25/1 – Sun 2/2/2025 (26 tháng Chạp Giáp Thìn – mùng 5 Tết Ất Tỵ); the five Tết days are
  // the weekdays 28 tháng Chạp – mùng 3 (mùng 1 = Wed 29/1/2025).
  { date: '2025-01-27', kind: 'holiday', name: 'Tết Nguyên đán (28 tháng Chạp Giáp Thìn)', source: NOTICE_2025 },
  { date: '2025-01-28', kind: 'holiday', name: 'Tết Nguyên đán (29 tháng Chạp Giáp Thìn)', source: NOTICE_2025 },
  { date: '2025-01-29', kind: 'holiday', name: 'Tết Nguyên đán (mùng 1 Tết Ất Tỵ)', source: NOTICE_2025 },
  { date: '2025-01-30', kind: 'holiday', name: 'Tết Nguyên đán (mùng 2 Tết Ất Tỵ)', source: NOTICE_2025 },
  { date: '2025-01-31', kind: 'holiday', name: 'Tết Nguyên đán (mùng 3 Tết Ất Tỵ)', source: NOTICE_2025 },
  // 10/3 Ất Tỵ fell on a Monday: no decision needed.
  { date: '2025-04-07', kind: 'holiday', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', source: LABOUR_CODE_HOLIDAYS },
  // Break Wed 30/4 – Sun 4/5/2025 (50th anniversary of reunification), paid for by Sat 26/4.
  { date: '2025-04-26', kind: 'make-up-working-day', name: 'Làm bù cho ngày nghỉ thứ Sáu 02/05/2025', source: NOTICE_2025 },
  { date: '2025-04-30', kind: 'holiday', name: 'Ngày Chiến thắng', source: NOTICE_2025 },
  { date: '2025-05-01', kind: 'holiday', name: 'Ngày Quốc tế Lao động', source: NOTICE_2025 },
  { date: '2025-05-02', kind: 'substitute', name: 'Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)', source: NOTICE_2025 },
  // Break Sat 30/8 – Tue 2/9/2025.
  { date: '2025-09-01', kind: 'holiday', name: 'Quốc khánh (ngày liền kề trước)', source: NOTICE_2025 },
  { date: '2025-09-02', kind: 'holiday', name: 'Quốc khánh', source: NOTICE_2025 },
];

const YEAR_2026: readonly CalendarEntry[] = [
  // Break Thu 1/1 – Sun 4/1/2026, paid for by Sat 10/1.
  { date: '2026-01-01', kind: 'holiday', name: 'Tết Dương lịch', source: LABOUR_CODE_HOLIDAYS },
  { date: '2026-01-02', kind: 'substitute', name: 'Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)', source: NEW_YEAR_SWAP_2026 },
  { date: '2026-01-10', kind: 'make-up-working-day', name: 'Làm bù cho ngày nghỉ thứ Sáu 02/01/2026', source: NEW_YEAR_SWAP_2026 },
  // Break Sat 14/2 – Sun 22/2/2026 (27 tháng Chạp Ất Tỵ – mùng 6 Tết Bính Ngọ); the five Tết days
  // are 29 tháng Chạp (the last day of Ất Tỵ) – mùng 4 (mùng 1 = Tue 17/2/2026).
  { date: '2026-02-16', kind: 'holiday', name: 'Tết Nguyên đán (29 tháng Chạp Ất Tỵ)', source: NOTICE_2026 },
  { date: '2026-02-17', kind: 'holiday', name: 'Tết Nguyên đán (mùng 1 Tết Bính Ngọ)', source: NOTICE_2026 },
  { date: '2026-02-18', kind: 'holiday', name: 'Tết Nguyên đán (mùng 2 Tết Bính Ngọ)', source: NOTICE_2026 },
  { date: '2026-02-19', kind: 'holiday', name: 'Tết Nguyên đán (mùng 3 Tết Bính Ngọ)', source: NOTICE_2026 },
  { date: '2026-02-20', kind: 'holiday', name: 'Tết Nguyên đán (mùng 4 Tết Bính Ngọ)', source: NOTICE_2026 },
  // 10/3 Bính Ngọ falls on a Sunday; the Monday off follows from the Code itself, no decision
  // needed (reported so by the press in Feb 2026, e.g. Thanh Niên 23/02/2026).
  { date: '2026-04-26', kind: 'holiday', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', source: LABOUR_CODE_HOLIDAYS },
  { date: '2026-04-27', kind: 'substitute', name: 'Nghỉ bù Giỗ Tổ Hùng Vương (chủ nhật 26/04/2026)', source: LABOUR_CODE_SUBSTITUTE },
  // Thu 30/4 and Fri 1/5/2026: no swap had been decided as of Feb 2026.
  { date: '2026-04-30', kind: 'holiday', name: 'Ngày Chiến thắng', source: LABOUR_CODE_HOLIDAYS },
  { date: '2026-05-01', kind: 'holiday', name: 'Ngày Quốc tế Lao động', source: LABOUR_CODE_HOLIDAYS },
  // Break Sat 29/8 – Wed 2/9/2026, Mon 31/8 paid for by Sat 22/8.
  { date: '2026-08-22', kind: 'make-up-working-day', name: 'Làm bù cho ngày nghỉ thứ Hai 31/08/2026', source: NOTICE_2026 },
  { date: '2026-08-31', kind: 'substitute', name: 'Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)', source: NOTICE_2026 },
  { date: '2026-09-01', kind: 'holiday', name: 'Quốc khánh (ngày liền kề trước)', source: NOTICE_2026 },
  { date: '2026-09-02', kind: 'holiday', name: 'Quốc khánh', source: NOTICE_2026 },
];

/** Decided calendars by year; years absent here follow the statutory rules. */
export const OFFICIAL_CALENDARS: ReadonlyMap<number, readonly CalendarEntry[]> = new Map([
  [2025, YEAR_2025],
  [2026, YEAR_2026],
]);

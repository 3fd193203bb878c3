/**
 * The people of local mode's identity providers (local/identity-providers.ts), defined once: the
 * sign-in pages list them, `npm start` prints them, and tests sign in as them. Made up: the ID
 * numbers are well formed (province, century and year digits) but belong to no one.
 */
import type { OfficerRole } from '../shared/domain/status';

export interface TestCitizen {
  readonly idNumber: string;
  readonly fullName: string;
  /** As the provider gives it: `phone_number`, E.164. */
  readonly phone: string;
}

export const TEST_CITIZENS: readonly TestCitizen[] = [
  { idNumber: '001190012345', fullName: 'Nguyễn Thị Hoa', phone: '+84912345678' },
  { idNumber: '001085004321', fullName: 'Trần Văn Minh', phone: '+84987654321' },
  { idNumber: '079201001234', fullName: 'Lê Thị Mai', phone: '+84901234567' },
];

export interface TestOfficer {
  readonly username: string;
  /** Shown on the local sign-in page: these accounts exist on this machine only. */
  readonly password: string;
  readonly name: string;
  readonly roles: readonly OfficerRole[];
}

/** Every ward's local pool has the same officers (their e-mail is `<username>@<ward>.local`). */
export const TEST_OFFICERS: readonly TestOfficer[] = [
  { username: 'tiepnhan', password: 'tiepnhan-thu-nghiem', name: 'Phạm Thu Trang (một cửa, thử nghiệm)', roles: ['reception'] },
  { username: 'chuyenvien', password: 'chuyenvien-thu-nghiem', name: 'Đỗ Quang Huy (chuyên viên, thử nghiệm)', roles: ['specialist'] },
  { username: 'lanhdao', password: 'lanhdao-thu-nghiem', name: 'Vũ Thị Lan (lãnh đạo, thử nghiệm)', roles: ['leader'] },
];

export const testOfficerEmail = (officer: TestOfficer, ward: string): string => `${officer.username}@${ward}.local`;

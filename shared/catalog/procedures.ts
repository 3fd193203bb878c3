import type { Procedure, RequiredDocument } from '../domain/procedure';

/**
 * The ward-level procedure catalog ("danh mục thủ tục hành chính cấp xã") of a Hanoi ward after
 * the two-tier local government reform of 1 July 2025: real procedures with their codes on the
 * national database of administrative procedures, their published time limits (working days) and
 * Hanoi's fees.
 *
 * `CATALOG` holds every version of every procedure. A dossier keeps the (code, version) in force
 * on the day it was received, so an old version stays here after a newer one takes effect.
 *
 * How the data was gathered: codes and names as listed on the national public-service portal
 * (dichvucong.gov.vn); time limits from the statutes each entry cites; fees from the statutes, the
 * Ministry of Finance circulars and the resolutions of the Hanoi People's Council ("HĐND Thành
 * phố"). Each `source` says what was and was not checked against an original document: a figure
 * marked "chưa đối chiếu bản gốc" is the best-known published figure and must be confirmed with
 * the city's current announcement decision before go-live.
 *
 * Time limits: when a procedure publishes "same day, or up to N days if verification is needed",
 * the catalog uses the published upper bound, so that an appointment never falls before the
 * legal deadline (the domain's on-time indicator counts against this appointment). Same-day
 * procedures received after the cut-off are handled by the deadline rules (domain.md), not here.
 *
 * Clock mode: `RESTART` (Decree 61/2018/NĐ-CP art. 19.4: a completed dossier is received anew) is
 * the default; the building permit uses `SUBTRACT`, see there.
 */

// ---------------------------------------------------------------------------------------------
// Legal bases shared by several procedures
// ---------------------------------------------------------------------------------------------

const LUAT_HO_TICH = 'Luật Hộ tịch số 60/2014/QH13';
const ND_123_2015 = 'Nghị định số 123/2015/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch';
const TT_04_2020 = 'Thông tư số 04/2020/TT-BTP quy định chi tiết thi hành Luật Hộ tịch và Nghị định 123/2015/NĐ-CP';
const ND_120_2025 = 'Nghị định số 120/2025/NĐ-CP quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp';
const NQ_HN_06_2020 = 'Nghị quyết số 06/2020/NQ-HĐND của HĐND Thành phố Hà Nội về phí, lệ phí thuộc thẩm quyền của HĐND Thành phố';
const ND_23_2015 = 'Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch';
const TT_226_2016 = 'Thông tư số 226/2016/TT-BTC quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí chứng thực';

const DVC = 'Cổng Dịch vụ công quốc gia';
const UNCHECKED = 'chưa đối chiếu bản gốc, cần xác nhận với quyết định công bố TTHC hiện hành của UBND Thành phố Hà Nội';

// ---------------------------------------------------------------------------------------------
// Retention of a closed dossier's personal data in the table (not of the archive's documents)
// ---------------------------------------------------------------------------------------------

/**
 * Law 91/2025/QH15 on personal data protection lets the ward keep personal data only as long as
 * the purpose it was collected for needs it. That purpose outlives the procedure: complaints and
 * administrative lawsuits about the decision, re-issuing or correcting its result, and the
 * inspections of the one-stop desk. The signed result and forms stay in the archive (Object Lock,
 * the ward's `retentionYears`) whatever these figures say; what expires here is the table's
 * working copy: contact details, form data, file names and free-text notes.
 *
 * The figures are the ward's proposal, to be confirmed against the records-retention schedule the
 * city applies (the Ministry of Home Affairs' list of retention periods for commune-level records)
 * before go-live; until then each `basis` says "chưa đối chiếu".
 */
const RETENTION_UNCHECKED = 'đề xuất của phường, chưa đối chiếu bảng thời hạn bảo quản hồ sơ, tài liệu cấp xã hiện hành';
const RETENTION_CIVIL_STATUS = {
  years: 10,
  basis: `Hộ tịch: sự kiện đã ghi vào Sổ hộ tịch và Cơ sở dữ liệu hộ tịch điện tử; bản sao dữ liệu trong hồ sơ giữ 10 năm để giải quyết khiếu nại, cấp lại, cải chính (${RETENTION_UNCHECKED})`,
} as const;
const RETENTION_CERTIFICATION = {
  years: 10,
  basis: `Chứng thực: việc chứng thực đã ghi vào sổ chứng thực; dữ liệu trong hồ sơ giữ 10 năm để đối chiếu khi có tranh chấp (${RETENTION_UNCHECKED})`,
} as const;
const RETENTION_CONTRACT = {
  years: 20,
  basis: `Chứng thực hợp đồng, giao dịch: giữ 20 năm như hồ sơ chứng thực hợp đồng lưu tại cơ quan chứng thực theo ${ND_23_2015} (${RETENTION_UNCHECKED})`,
} as const;
const RETENTION_BUSINESS = {
  years: 5,
  basis: `Đăng ký hộ kinh doanh: thông tin đăng ký nằm trong Hệ thống thông tin quốc gia về đăng ký doanh nghiệp; hồ sơ tại phường giữ 5 năm (${RETENTION_UNCHECKED})`,
} as const;
const RETENTION_BUILDING = {
  years: 10,
  basis: `Giấy phép xây dựng: giữ 10 năm để kiểm tra, xử lý vi phạm trật tự xây dựng sau cấp phép (${RETENTION_UNCHECKED})`,
} as const;

/** The two-tier local government (no more districts) starts; procedures re-announced at ward level. */
const TWO_TIER_REFORM = '2025-07-01';

// ---------------------------------------------------------------------------------------------
// Documents shared by several procedures
// ---------------------------------------------------------------------------------------------

const POWER_OF_ATTORNEY: RequiredDocument = {
  id: 'van-ban-uy-quyen',
  name: 'Văn bản ủy quyền theo quy định của pháp luật',
  form: 'ORIGINAL_OR_COPY',
  quantity: 1,
  required: false,
  condition: 'Khi người đi nộp hồ sơ được ủy quyền thực hiện thay',
};

const IDENTITY_PAPER: RequiredDocument = {
  id: 'giay-to-tuy-than',
  name: 'Giấy tờ tùy thân còn giá trị sử dụng (thẻ căn cước, căn cước công dân hoặc hộ chiếu) của người yêu cầu',
  form: 'ORIGINAL_OR_COPY',
  quantity: 1,
  required: false,
  condition: 'Xuất trình khi nộp tại quầy; hồ sơ trực tuyến xác thực qua tài khoản định danh điện tử',
};

const RELATION_TO_CHILD = ['Cha', 'Mẹ', 'Ông, bà', 'Người thân thích khác', 'Người đang nuôi dưỡng trẻ'];

// ---------------------------------------------------------------------------------------------
// Hộ tịch (civil status)
// ---------------------------------------------------------------------------------------------

const BIRTH_REGISTRATION: Procedure = {
  code: '1.001193',
  version: 1,
  name: 'Đăng ký khai sinh',
  field: 'Hộ tịch',
  // Luật Hộ tịch art. 16.2: registered at once when the papers are complete.
  timeLimitDays: 0,
  feeVnd: 0,
  feeNote:
    'Miễn lệ phí khi đăng ký đúng hạn (trong 60 ngày kể từ ngày sinh, Luật Hộ tịch Điều 11 và Điều 15). ' +
    'Đăng ký quá hạn: 5.000 đồng/việc. Miễn lệ phí cho người thuộc gia đình có công với cách mạng, hộ nghèo, người khuyết tật.',
  resultType: 'Giấy khai sinh',
  resultTemplate: {
    title: 'GIẤY KHAI SINH',
    content: [
      'Họ, chữ đệm, tên: {{form.childFullName}}',
      'Ngày, tháng, năm sinh: {{form.childBirthDate}}',
      'Giới tính: {{form.childSex}}',
      'Dân tộc: {{form.childEthnicity}}',
      'Nơi sinh: {{form.childBirthPlace}}',
      '',
      'Họ, chữ đệm, tên người mẹ: {{form.motherFullName}}',
      'Số định danh cá nhân của người mẹ: {{form.motherIdNumber}}',
      'Họ, chữ đệm, tên người cha: {{form.fatherFullName}}',
      'Số định danh cá nhân của người cha: {{form.fatherIdNumber}}',
      '',
      'Người đi đăng ký khai sinh: {{applicant.fullName}}, quan hệ với người được khai sinh: {{form.applicantRelation}}',
      'Nơi đăng ký khai sinh: {{ward.name}}',
      'Mã hồ sơ: {{dossier.code}}',
    ].join('\n'),
  },
  onlineLevel: 'FULL',
  clockMode: 'RESTART',
  maxSupplementRequests: 1,
  worksOnHolidays: false,
  documents: [
    { id: 'to-khai-khai-sinh', name: 'Tờ khai đăng ký khai sinh theo mẫu', form: 'ORIGINAL', quantity: 1, required: true },
    {
      id: 'giay-chung-sinh',
      name: 'Giấy chứng sinh; nếu không có thì văn bản xác nhận của người làm chứng hoặc giấy cam đoan về việc sinh',
      form: 'ORIGINAL',
      quantity: 1,
      required: true,
    },
    {
      id: 'bien-ban-tre-bi-bo-roi',
      name: 'Biên bản xác nhận việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập',
      form: 'ORIGINAL',
      quantity: 1,
      required: false,
      condition: 'Khai sinh cho trẻ em bị bỏ rơi',
    },
    IDENTITY_PAPER,
    POWER_OF_ATTORNEY,
  ],
  formFields: [
    { name: 'childFullName', label: 'Họ, chữ đệm và tên của trẻ', type: 'text', required: true, maxLength: 100 },
    { name: 'childBirthDate', label: 'Ngày, tháng, năm sinh', type: 'date', required: true },
    { name: 'childSex', label: 'Giới tính', type: 'enum', required: true, options: ['Nam', 'Nữ'] },
    { name: 'childBirthPlace', label: 'Nơi sinh', type: 'text', required: true, maxLength: 200 },
    { name: 'childEthnicity', label: 'Dân tộc', type: 'text', required: true, maxLength: 50 },
    { name: 'motherFullName', label: 'Họ, chữ đệm và tên người mẹ', type: 'text', required: false, maxLength: 100 },
    { name: 'motherIdNumber', label: 'Số định danh cá nhân của người mẹ', type: 'idNumber', required: false },
    { name: 'fatherFullName', label: 'Họ, chữ đệm và tên người cha', type: 'text', required: false, maxLength: 100 },
    { name: 'fatherIdNumber', label: 'Số định danh cá nhân của người cha', type: 'idNumber', required: false },
    { name: 'applicantRelation', label: 'Quan hệ với người được khai sinh', type: 'enum', required: true, options: RELATION_TO_CHILD },
  ],
  legalBasis: [LUAT_HO_TICH, ND_123_2015, TT_04_2020, ND_120_2025, NQ_HN_06_2020],
  personalDataRetention: RETENTION_CIVIL_STATUS,
  source:
    `${DVC}, TTHC 1.001193 (tên, thành phần hồ sơ, mức độ trực tuyến toàn trình); thời hạn theo Luật Hộ tịch Điều 16; ` +
    `lệ phí theo Luật Hộ tịch Điều 11 và ${NQ_HN_06_2020} (mức quá hạn 5.000 đồng: ${UNCHECKED})`,
  effectiveFrom: TWO_TIER_REFORM,
  published: true,
};

const DEATH_REGISTRATION: Procedure = {
  code: '1.000656',
  version: 1,
  name: 'Đăng ký khai tử',
  field: 'Hộ tịch',
  // Luật Hộ tịch art. 34: registered at once; up to 3 working days when the death must be verified.
  // The ward returns the result the same day even on holidays (domain.md seed), hence N = 0.
  timeLimitDays: 0,
  feeVnd: 0,
  feeNote:
    'Miễn lệ phí khi đăng ký đúng hạn (trong 15 ngày kể từ ngày chết, Luật Hộ tịch Điều 11 và Điều 33). ' +
    'Đăng ký quá hạn: 5.000 đồng/việc. Trường hợp cần xác minh, thời hạn không quá 03 ngày làm việc.',
  resultType: 'Trích lục khai tử',
  resultTemplate: {
    title: 'TRÍCH LỤC KHAI TỬ',
    content: [
      'Họ, chữ đệm, tên người đã chết: {{form.deceasedFullName}}',
      'Ngày, tháng, năm sinh: {{form.deceasedBirthDate}}',
      'Số định danh cá nhân: {{form.deceasedIdNumber}}',
      'Đã chết vào ngày: {{form.deathDate}}',
      'Nơi chết: {{form.deathPlace}}',
      'Nguyên nhân chết: {{form.deathCause}}',
      '',
      'Người đi khai tử: {{applicant.fullName}}, số định danh cá nhân {{applicant.idNumber}}, quan hệ với người đã chết: {{form.applicantRelation}}',
      'Nơi đăng ký khai tử: {{ward.name}}',
      'Mã hồ sơ: {{dossier.code}}',
    ].join('\n'),
  },
  onlineLevel: 'FULL',
  clockMode: 'RESTART',
  maxSupplementRequests: 1,
  worksOnHolidays: true,
  documents: [
    { id: 'to-khai-khai-tu', name: 'Tờ khai đăng ký khai tử theo mẫu', form: 'ORIGINAL', quantity: 1, required: true },
    {
      id: 'giay-bao-tu',
      name: 'Giấy báo tử hoặc giấy tờ khác thay giấy báo tử do cơ quan có thẩm quyền cấp',
      form: 'ORIGINAL_OR_COPY',
      quantity: 1,
      required: true,
    },
    IDENTITY_PAPER,
    POWER_OF_ATTORNEY,
  ],
  formFields: [
    { name: 'deceasedFullName', label: 'Họ, chữ đệm và tên người đã chết', type: 'text', required: true, maxLength: 100 },
    { name: 'deceasedIdNumber', label: 'Số định danh cá nhân của người đã chết', type: 'idNumber', required: false },
    { name: 'deceasedBirthDate', label: 'Ngày, tháng, năm sinh của người đã chết', type: 'date', required: true },
    { name: 'deathDate', label: 'Ngày chết', type: 'date', required: true },
    { name: 'deathPlace', label: 'Nơi chết', type: 'text', required: true, maxLength: 200 },
    { name: 'deathCause', label: 'Nguyên nhân chết', type: 'text', required: false, maxLength: 200 },
    { name: 'applicantRelation', label: 'Quan hệ với người đã chết', type: 'text', required: true, maxLength: 50 },
  ],
  legalBasis: [LUAT_HO_TICH, ND_123_2015, TT_04_2020, ND_120_2025, NQ_HN_06_2020],
  personalDataRetention: RETENTION_CIVIL_STATUS,
  source:
    `${DVC}, TTHC 1.000656 (tên, thành phần hồ sơ, mức độ toàn trình); thời hạn theo Luật Hộ tịch Điều 34; ` +
    `trả kết quả cả ngày nghỉ, lễ theo quy định vận hành của phường (domain.md); lệ phí quá hạn theo ${NQ_HN_06_2020} (${UNCHECKED})`,
  effectiveFrom: TWO_TIER_REFORM,
  published: true,
};

const MARRIAGE_SHARED = {
  code: '1.000894',
  name: 'Đăng ký kết hôn',
  field: 'Hộ tịch',
  // Luật Hộ tịch art. 18.2: at once; up to 5 working days when the conditions must be verified.
  timeLimitDays: 5,
  feeVnd: 0,
  feeNote: 'Miễn lệ phí đăng ký kết hôn giữa công dân Việt Nam cư trú ở trong nước (Luật Hộ tịch Điều 11).',
  resultType: 'Giấy chứng nhận kết hôn',
  resultTemplate: {
    title: 'GIẤY CHỨNG NHẬN KẾT HÔN',
    content: [
      'Họ, chữ đệm, tên vợ: {{form.brideFullName}}',
      'Ngày, tháng, năm sinh: {{form.brideBirthDate}}',
      'Số định danh cá nhân: {{form.brideIdNumber}}',
      '',
      'Họ, chữ đệm, tên chồng: {{form.groomFullName}}',
      'Ngày, tháng, năm sinh: {{form.groomBirthDate}}',
      'Số định danh cá nhân: {{form.groomIdNumber}}',
      '',
      'Nơi đăng ký kết hôn: {{ward.name}}',
      'Ngày đăng ký: {{form.ceremonyDate}}',
      'Mã hồ sơ: {{dossier.code}}',
    ].join('\n'),
  },
  // Both parties must appear together to sign the certificate (Luật Hộ tịch art. 18.2).
  onlineLevel: 'PARTIAL',
  clockMode: 'RESTART',
  maxSupplementRequests: 1,
  worksOnHolidays: false,
  formFields: [
    { name: 'brideFullName', label: 'Họ, chữ đệm và tên bên nữ', type: 'text', required: true, maxLength: 100 },
    { name: 'brideIdNumber', label: 'Số định danh cá nhân bên nữ', type: 'idNumber', required: true },
    { name: 'brideBirthDate', label: 'Ngày, tháng, năm sinh bên nữ', type: 'date', required: true },
    { name: 'groomFullName', label: 'Họ, chữ đệm và tên bên nam', type: 'text', required: true, maxLength: 100 },
    { name: 'groomIdNumber', label: 'Số định danh cá nhân bên nam', type: 'idNumber', required: true },
    { name: 'groomBirthDate', label: 'Ngày, tháng, năm sinh bên nam', type: 'date', required: true },
    { name: 'ceremonyDate', label: 'Ngày dự kiến tổ chức đăng ký kết hôn', type: 'date', required: false },
  ],
} satisfies Partial<Procedure>;

const MARRIAGE_FORM: RequiredDocument = {
  id: 'to-khai-ket-hon',
  name: 'Tờ khai đăng ký kết hôn theo mẫu (hai bên có thể dùng chung một tờ khai)',
  form: 'ORIGINAL',
  quantity: 1,
  required: true,
};

/** Until 31/12/2025: a party not resident in the ward brought a marital-status certificate. */
const MARRIAGE_V1: Procedure = {
  ...MARRIAGE_SHARED,
  version: 1,
  documents: [
    MARRIAGE_FORM,
    {
      id: 'giay-xac-nhan-tthn',
      name: 'Giấy xác nhận tình trạng hôn nhân do UBND cấp xã nơi thường trú cấp',
      form: 'ORIGINAL',
      quantity: 1,
      required: false,
      condition: 'Khi bên nam hoặc bên nữ không thường trú tại phường nơi đăng ký kết hôn',
    },
    IDENTITY_PAPER,
  ],
  legalBasis: [LUAT_HO_TICH, ND_123_2015, TT_04_2020, ND_120_2025],
  personalDataRetention: RETENTION_CIVIL_STATUS,
  source: `${DVC}, TTHC 1.000894 (tên, thành phần hồ sơ); thời hạn theo Luật Hộ tịch Điều 18; lệ phí theo Luật Hộ tịch Điều 11`,
  effectiveFrom: TWO_TIER_REFORM,
  published: true,
};

/**
 * From 01/01/2026 two Vietnamese citizens no longer bring a marital-status certificate: the ward
 * reads the civil-status database instead.
 */
const MARRIAGE_V2: Procedure = {
  ...MARRIAGE_SHARED,
  version: 2,
  documents: [MARRIAGE_FORM, IDENTITY_PAPER],
  legalBasis: [LUAT_HO_TICH, ND_123_2015, TT_04_2020, ND_120_2025, 'Nghị quyết số 66.7/2025/NQ-CP về cắt giảm, đơn giản hóa thủ tục hành chính dựa trên dữ liệu'],
  personalDataRetention: RETENTION_CIVIL_STATUS,
  source:
    `${DVC}, TTHC 1.000894; bỏ Giấy xác nhận tình trạng hôn nhân từ 01/01/2026 theo Nghị quyết 66.7/2025/NQ-CP và quyết định công bố của Bộ Tư pháp ` +
    `(theo tin pháp luật thứ cấp, ${UNCHECKED})`,
  effectiveFrom: '2026-01-01',
  published: true,
};

const MARITAL_STATUS_CERTIFICATE: Procedure = {
  code: '1.004873',
  version: 1,
  name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
  field: 'Hộ tịch',
  // Nghị định 123/2015 art. 22: 3 working days; longer only when earlier residences must be verified.
  timeLimitDays: 3,
  feeVnd: 3_000,
  feeNote: '3.000 đồng/việc tại Hà Nội. Miễn lệ phí cho người thuộc gia đình có công với cách mạng, hộ nghèo, người khuyết tật.',
  resultType: 'Giấy xác nhận tình trạng hôn nhân',
  resultTemplate: {
    title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN',
    content: [
      '{{ward.name}} xác nhận:',
      '',
      'Ông/bà: {{applicant.fullName}}',
      'Số định danh cá nhân: {{applicant.idNumber}}',
      'Nơi cư trú: {{applicant.address}}',
      'Nơi cư trú trước đây: {{form.previousResidences}}',
      'Tình trạng hôn nhân: {{form.maritalStatus}}',
      '',
      'Giấy này được cấp để: {{form.purpose}} (người dự định kết hôn: {{form.intendedSpouseName}}).',
      'Giấy này có giá trị sử dụng 06 tháng kể từ ngày cấp.',
      'Mã hồ sơ: {{dossier.code}}',
    ].join('\n'),
  },
  onlineLevel: 'FULL',
  clockMode: 'RESTART',
  maxSupplementRequests: 1,
  worksOnHolidays: false,
  documents: [
    { id: 'to-khai-xac-nhan-tthn', name: 'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu', form: 'ORIGINAL', quantity: 1, required: true },
    {
      id: 'giay-to-cham-dut-hon-nhan',
      name: 'Giấy tờ chứng minh việc hôn nhân trước đã chấm dứt (bản án, quyết định ly hôn đã có hiệu lực; trích lục khai tử của vợ hoặc chồng)',
      form: 'COPY',
      quantity: 1,
      required: false,
      condition: 'Khi người yêu cầu đã từng kết hôn',
    },
    {
      id: 'giay-xac-nhan-tthn-cu',
      name: 'Giấy xác nhận tình trạng hôn nhân đã cấp trước đây',
      form: 'ORIGINAL',
      quantity: 1,
      required: false,
      condition: 'Khi đề nghị cấp lại để kết hôn trong khi giấy đã cấp còn thời hạn sử dụng',
    },
    IDENTITY_PAPER,
    POWER_OF_ATTORNEY,
  ],
  formFields: [
    { name: 'purpose', label: 'Mục đích sử dụng Giấy xác nhận', type: 'text', required: true, maxLength: 200 },
    { name: 'maritalStatus', label: 'Tình trạng hôn nhân hiện tại', type: 'enum', required: true, options: ['Chưa kết hôn', 'Đã ly hôn', 'Vợ hoặc chồng đã chết'] },
    { name: 'intendedSpouseName', label: 'Họ tên người dự định kết hôn (nếu dùng để kết hôn)', type: 'text', required: false, maxLength: 100 },
    { name: 'previousResidences', label: 'Các nơi đã thường trú trước đây', type: 'text', required: false, maxLength: 500 },
  ],
  legalBasis: [LUAT_HO_TICH, ND_123_2015, TT_04_2020, ND_120_2025, NQ_HN_06_2020],
  personalDataRetention: RETENTION_CIVIL_STATUS,
  source:
    `${DVC}, TTHC 1.004873 (tên, mức độ toàn trình); thời hạn theo Nghị định 123/2015/NĐ-CP Điều 22; ` +
    `lệ phí 3.000 đồng theo ${NQ_HN_06_2020} (${UNCHECKED}; Cổng DVC quốc gia để mức do HĐND tỉnh quyết định)`,
  effectiveFrom: TWO_TIER_REFORM,
  published: true,
};

const CIVIL_STATUS_EXTRACT_COPY: Procedure = {
  code: '2.000635',
  version: 1,
  name: 'Cấp bản sao trích lục hộ tịch',
  field: 'Hộ tịch',
  // Same day; the next working day when the request arrives after 15:00 (handled by the cut-off).
  timeLimitDays: 0,
  feeVnd: 8_000,
  feeNote:
    '8.000 đồng/bản sao trích lục (Thông tư 281/2016/TT-BTC). Từ 15/8/2026 đến hết 28/02/2027 miễn phí cho công dân ' +
    'có tài khoản định danh điện tử mức 2 đủ điều kiện theo Thông tư 117/2026/TT-BTC.',
  resultType: 'Bản sao trích lục hộ tịch',
  resultTemplate: {
    title: 'BẢN SAO TRÍCH LỤC HỘ TỊCH',
    content: [
      'Theo đề nghị của ông/bà {{applicant.fullName}}, số định danh cá nhân {{applicant.idNumber}},',
      '{{ward.name}} cấp bản sao trích lục hộ tịch sau đây từ Sổ đăng ký hộ tịch:',
      '',
      'Việc hộ tịch: {{form.eventType}}',
      'Người được đăng ký hộ tịch: {{form.registeredPersonName}}',
      'Số, quyển số đăng ký: {{form.registrationNumber}}',
      'Ngày đăng ký: {{form.registrationDate}}',
      'Số bản sao cấp: {{form.copyCount}}',
      'Mã hồ sơ: {{dossier.code}}',
    ].join('\n'),
  },
  onlineLevel: 'FULL',
  clockMode: 'RESTART',
  maxSupplementRequests: 1,
  worksOnHolidays: false,
  documents: [
    { id: 'to-khai-cap-ban-sao-trich-luc', name: 'Tờ khai cấp bản sao trích lục hộ tịch theo mẫu', form: 'ORIGINAL', quantity: 1, required: true },
    IDENTITY_PAPER,
    POWER_OF_ATTORNEY,
  ],
  formFields: [
    {
      name: 'eventType',
      label: 'Loại việc hộ tịch cần cấp bản sao trích lục',
      type: 'enum',
      required: true,
      options: ['Khai sinh', 'Kết hôn', 'Khai tử', 'Giám hộ', 'Nhận cha, mẹ, con', 'Thay đổi, cải chính, bổ sung hộ tịch'],
    },
    { name: 'registeredPersonName', label: 'Họ tên người được đăng ký hộ tịch', type: 'text', required: true, maxLength: 100 },
    { name: 'registrationNumber', label: 'Số, quyển số đăng ký (nếu biết)', type: 'text', required: false, maxLength: 50 },
    { name: 'registrationDate', label: 'Ngày đăng ký (nếu biết)', type: 'date', required: false },
    { name: 'copyCount', label: 'Số bản sao đề nghị cấp', type: 'integer', required: true },
  ],
  legalBasis: [
    LUAT_HO_TICH,
    ND_123_2015,
    TT_04_2020,
    'Thông tư số 281/2016/TT-BTC quy định mức thu phí khai thác, sử dụng thông tin trong cơ sở dữ liệu hộ tịch',
    'Thông tư số 117/2026/TT-BTC quy định miễn, giảm một số khoản phí, lệ phí để triển khai Nghị quyết về phát triển công dân số',
  ],
  personalDataRetention: RETENTION_CIVIL_STATUS,
  source: `${DVC}, TTHC 2.000635 (tên, mức độ toàn trình, phí 8.000 đồng/bản); miễn phí tạm thời theo Thông tư 117/2026/TT-BTC ` + `(theo Báo Chính phủ, ${UNCHECKED})`,
  effectiveFrom: TWO_TIER_REFORM,
  published: true,
};

const GUARDIANSHIP_REGISTRATION: Procedure = {
  code: '1.004837',
  version: 1,
  name: 'Đăng ký giám hộ',
  field: 'Hộ tịch',
  // Luật Hộ tịch art. 20.2 and 21.2: 3 working days from complete papers.
  timeLimitDays: 3,
  feeVnd: 5_000,
  feeNote: '5.000 đồng/việc. Miễn lệ phí cho người thuộc gia đình có công với cách mạng, hộ nghèo, người khuyết tật.',
  resultType: 'Trích lục đăng ký giám hộ',
  resultTemplate: {
    title: 'TRÍCH LỤC ĐĂNG KÝ GIÁM HỘ',
    content: [
      'Loại giám hộ: {{form.guardianshipType}}',
      '',
      'Họ, chữ đệm, tên người giám hộ: {{form.guardianFullName}}',
      '',
      'Họ, chữ đệm, tên người được giám hộ: {{form.protegeFullName}}',
      'Ngày, tháng, năm sinh: {{form.protegeBirthDate}}',
      'Số định danh cá nhân: {{form.protegeIdNumber}}',
      '',
      'Người yêu cầu đăng ký: {{applicant.fullName}}, số định danh cá nhân {{applicant.idNumber}}',
      'Nơi đăng ký: {{ward.name}}',
      'Mã hồ sơ: {{dossier.code}}',
    ].join('\n'),
  },
  onlineLevel: 'PARTIAL',
  clockMode: 'RESTART',
  maxSupplementRequests: 1,
  worksOnHolidays: false,
  documents: [
    { id: 'to-khai-giam-ho', name: 'Tờ khai đăng ký giám hộ theo mẫu', form: 'ORIGINAL', quantity: 1, required: true },
    {
      id: 'van-ban-cu-nguoi-giam-ho',
      name: 'Văn bản cử người giám hộ theo quy định của Bộ luật Dân sự',
      form: 'ORIGINAL',
      quantity: 1,
      required: false,
      condition: 'Giám hộ cử',
    },
    {
      id: 'giay-to-giam-ho-duong-nhien',
      name: 'Giấy tờ chứng minh điều kiện làm giám hộ đương nhiên theo Bộ luật Dân sự',
      form: 'COPY',
      quantity: 1,
      required: false,
      condition: 'Giám hộ đương nhiên; nhiều người cùng đủ điều kiện thì kèm văn bản thỏa thuận cử một người',
    },
    IDENTITY_PAPER,
  ],
  formFields: [
    { name: 'guardianshipType', label: 'Loại giám hộ', type: 'enum', required: true, options: ['Giám hộ cử', 'Giám hộ đương nhiên'] },
    { name: 'protegeFullName', label: 'Họ tên người được giám hộ', type: 'text', required: true, maxLength: 100 },
    { name: 'protegeBirthDate', label: 'Ngày sinh người được giám hộ', type: 'date', required: true },
    { name: 'protegeIdNumber', label: 'Số định danh cá nhân người được giám hộ', type: 'idNumber', required: false },
    { name: 'guardianFullName', label: 'Họ tên người giám hộ', type: 'text', required: true, maxLength: 100 },
  ],
  legalBasis: [LUAT_HO_TICH, 'Bộ luật Dân sự số 91/2015/QH13', ND_123_2015, TT_04_2020, ND_120_2025, NQ_HN_06_2020],
  personalDataRetention: RETENTION_CIVIL_STATUS,
  source:
    `${DVC}, TTHC 1.004837 (tên, thành phần hồ sơ); thời hạn theo Luật Hộ tịch Điều 20, 21; ` +
    `lệ phí 5.000 đồng theo biểu lệ phí hộ tịch cấp xã của ${NQ_HN_06_2020} (${UNCHECKED})`,
  effectiveFrom: TWO_TIER_REFORM,
  published: true,
};

const CIVIL_STATUS_CORRECTION: Procedure = {
  code: '1.004859',
  version: 1,
  name: 'Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc',
  field: 'Hộ tịch',
  // Luật Hộ tịch art. 28.2: 3 working days; may be extended by 3 when verification is needed.
  timeLimitDays: 3,
  feeVnd: 5_000,
  feeNote:
    'Người chưa đủ 14 tuổi và bổ sung hộ tịch: 5.000 đồng/việc; người từ đủ 14 tuổi trở lên: 25.000 đồng/việc ' +
    '(trước 01/7/2025 thuộc thẩm quyền cấp huyện). Trường hợp cần xác minh, thời hạn kéo dài thêm không quá 03 ngày làm việc.',
  resultType: 'Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch',
  resultTemplate: {
    title: 'TRÍCH LỤC THAY ĐỔI, CẢI CHÍNH, BỔ SUNG THÔNG TIN HỘ TỊCH',
    content: [
      'Loại việc: {{form.requestType}}',
      '',
      'Họ, chữ đệm, tên người có thông tin được thay đổi, cải chính, bổ sung: {{form.personFullName}}',
      'Ngày, tháng, năm sinh: {{form.personBirthDate}}',
      '',
      'Nội dung: {{form.fieldToChange}}',
      'Từ: {{form.currentValue}}',
      'Thành: {{form.requestedValue}}',
      'Lý do: {{form.reason}}',
      '',
      'Người yêu cầu: {{applicant.fullName}}, số định danh cá nhân {{applicant.idNumber}}',
      'Nơi đăng ký: {{ward.name}}',
      'Mã hồ sơ: {{dossier.code}}',
    ].join('\n'),
  },
  onlineLevel: 'FULL',
  clockMode: 'RESTART',
  maxSupplementRequests: 1,
  worksOnHolidays: false,
  documents: [
    { id: 'to-khai-thay-doi-cai-chinh', name: 'Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch theo mẫu', form: 'ORIGINAL', quantity: 1, required: true },
    {
      id: 'giay-to-lam-can-cu',
      name: 'Giấy tờ làm căn cứ cho việc thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc',
      form: 'COPY',
      quantity: 1,
      required: true,
    },
    {
      id: 'y-kien-nguoi-tu-du-9-tuoi',
      name: 'Văn bản thể hiện sự đồng ý của người được thay đổi họ, chữ đệm, tên',
      form: 'ORIGINAL',
      quantity: 1,
      required: false,
      condition: 'Người được thay đổi từ đủ 09 tuổi trở lên (Bộ luật Dân sự Điều 27, 28)',
    },
    IDENTITY_PAPER,
    POWER_OF_ATTORNEY,
  ],
  formFields: [
    {
      name: 'requestType',
      label: 'Loại yêu cầu',
      type: 'enum',
      required: true,
      options: ['Thay đổi thông tin hộ tịch', 'Cải chính thông tin hộ tịch', 'Bổ sung thông tin hộ tịch', 'Xác định lại dân tộc'],
    },
    { name: 'personFullName', label: 'Họ tên người có thông tin cần thay đổi, cải chính', type: 'text', required: true, maxLength: 100 },
    { name: 'personBirthDate', label: 'Ngày sinh người có thông tin cần thay đổi, cải chính', type: 'date', required: true },
    { name: 'fieldToChange', label: 'Nội dung cần thay đổi, cải chính, bổ sung', type: 'text', required: true, maxLength: 200 },
    { name: 'currentValue', label: 'Nội dung đã đăng ký', type: 'text', required: false, maxLength: 200 },
    { name: 'requestedValue', label: 'Nội dung đề nghị ghi', type: 'text', required: true, maxLength: 200 },
    { name: 'reason', label: 'Lý do', type: 'text', required: true, maxLength: 500 },
  ],
  legalBasis: [LUAT_HO_TICH, 'Bộ luật Dân sự số 91/2015/QH13', ND_123_2015, TT_04_2020, ND_120_2025, NQ_HN_06_2020],
  personalDataRetention: RETENTION_CIVIL_STATUS,
  source:
    `${DVC}, TTHC 1.004859 (tên); thời hạn theo Luật Hộ tịch Điều 28; thẩm quyền cấp xã theo Nghị định 120/2025/NĐ-CP; ` +
    `lệ phí 5.000/25.000 đồng theo ${NQ_HN_06_2020} (${UNCHECKED}); mức độ trực tuyến toàn trình (${UNCHECKED})`,
  effectiveFrom: TWO_TIER_REFORM,
  published: true,
};

// ---------------------------------------------------------------------------------------------
// Chứng thực (certification)
// ---------------------------------------------------------------------------------------------

const COPY_CERTIFICATION: Procedure = {
  code: '2.000815',
  version: 1,
  name:
    'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam; cơ quan, tổ chức có thẩm quyền của ' +
    'nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận',
  field: 'Chứng thực',
  // Nghị định 23/2015 art. 7: the same day, or the next working day when received after 15:00.
  timeLimitDays: 0,
  feeVnd: 2_000,
  feeNote: '2.000 đồng/trang; từ trang thứ ba trở lên thu 1.000 đồng/trang, tối đa 200.000 đồng/bản (Thông tư 226/2016/TT-BTC).',
  resultType: 'Bản sao được chứng thực từ bản chính',
  resultTemplate: {
    title: 'LỜI CHỨNG CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH',
    content: [
      'Chứng thực bản sao này đúng với bản chính.',
      '',
      'Giấy tờ, văn bản được chứng thực: {{form.documentTitle}}, gồm {{form.pageCount}} trang.',
      'Số bản sao được chứng thực: {{form.copyCount}}.',
      'Người yêu cầu chứng thực: {{applicant.fullName}}, số định danh cá nhân {{applicant.idNumber}}.',
      'Số chứng thực: {{dossier.code}}, quyển số 01/SCT/BS.',
    ].join('\n'),
  },
  // The original must be shown to the officer who compares it with the copy.
  onlineLevel: 'PARTIAL',
  clockMode: 'RESTART',
  maxSupplementRequests: 1,
  worksOnHolidays: false,
  documents: [
    { id: 'ban-chinh', name: 'Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao', form: 'ORIGINAL', quantity: 1, required: true },
    {
      id: 'ban-sao-can-chung-thuc',
      name: 'Bản sao cần chứng thực',
      form: 'COPY',
      quantity: 1,
      required: false,
      condition: 'Khi người yêu cầu tự chuẩn bị bản sao; nếu không, cơ quan chứng thực chụp từ bản chính',
    },
  ],
  formFields: [
    { name: 'documentTitle', label: 'Tên giấy tờ, văn bản cần chứng thực', type: 'text', required: true, maxLength: 200 },
    { name: 'pageCount', label: 'Số trang của bản chính', type: 'integer', required: true },
    { name: 'copyCount', label: 'Số bản sao cần chứng thực', type: 'integer', required: true },
  ],
  legalBasis: [ND_23_2015, TT_226_2016],
  personalDataRetention: RETENTION_CERTIFICATION,
  source: `${DVC}, TTHC 2.000815 (tên); thời hạn theo Nghị định 23/2015/NĐ-CP Điều 7; phí theo Thông tư 226/2016/TT-BTC`,
  effectiveFrom: TWO_TIER_REFORM,
  published: true,
};

const SIGNATURE_CERTIFICATION: Procedure = {
  code: '2.000884',
  version: 1,
  name:
    'Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và trường hợp người yêu cầu chứng thực ' +
    'không thể ký, không thể điểm chỉ được)',
  field: 'Chứng thực',
  // Nghị định 23/2015 art. 7: the same day, or the next working day when received after 15:00.
  timeLimitDays: 0,
  feeVnd: 10_000,
  feeNote: '10.000 đồng/trường hợp; một trường hợp là một hoặc nhiều chữ ký trong cùng một giấy tờ, văn bản (Thông tư 226/2016/TT-BTC).',
  resultType: 'Giấy tờ, văn bản đã được chứng thực chữ ký',
  resultTemplate: {
    title: 'LỜI CHỨNG CHỨNG THỰC CHỮ KÝ',
    content: [
      'Tại {{ward.name}},',
      '',
      'Ông/bà {{applicant.fullName}}, số định danh cá nhân {{applicant.idNumber}},',
      'đã ký trước mặt người thực hiện chứng thực vào giấy tờ, văn bản: {{form.documentTitle}}.',
      'Số người ký: {{form.signerCount}}. Số bản được chứng thực: {{form.copyCount}}.',
      '',
      'Người yêu cầu chứng thực cam đoan chịu hoàn toàn trách nhiệm về nội dung của giấy tờ, văn bản.',
      'Số chứng thực: {{dossier.code}}, quyển số 01/SCT/CK,ĐC.',
    ].join('\n'),
  },
  // The signer signs in front of the certifying officer.
  onlineLevel: 'PARTIAL',
  clockMode: 'RESTART',
  maxSupplementRequests: 1,
  worksOnHolidays: false,
  documents: [
    {
      id: 'giay-to-tuy-than-nguoi-ky',
      name: 'Bản chính hoặc bản sao có chứng thực giấy tờ tùy thân còn giá trị của người ký',
      form: 'ORIGINAL_OR_COPY',
      quantity: 1,
      required: true,
    },
    { id: 'giay-to-can-chung-thuc-chu-ky', name: 'Giấy tờ, văn bản mà người yêu cầu sẽ ký', form: 'ORIGINAL', quantity: 1, required: true },
  ],
  formFields: [
    { name: 'documentTitle', label: 'Tên giấy tờ, văn bản cần chứng thực chữ ký', type: 'text', required: true, maxLength: 200 },
    { name: 'signerCount', label: 'Số người ký', type: 'integer', required: true },
    { name: 'copyCount', label: 'Số bản cần chứng thực', type: 'integer', required: true },
  ],
  legalBasis: [ND_23_2015, TT_226_2016],
  personalDataRetention: RETENTION_CERTIFICATION,
  source: `${DVC}, TTHC 2.000884 (tên); thời hạn theo Nghị định 23/2015/NĐ-CP Điều 7; phí theo Thông tư 226/2016/TT-BTC`,
  effectiveFrom: TWO_TIER_REFORM,
  published: true,
};

const CONTRACT_CERTIFICATION: Procedure = {
  code: '2.001035',
  version: 1,
  name: 'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở',
  field: 'Chứng thực',
  // Nghị định 23/2015 art. 37: no more than 2 working days (longer only by written agreement).
  timeLimitDays: 2,
  feeVnd: 50_000,
  feeNote:
    '50.000 đồng/hợp đồng, giao dịch; sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch: 30.000 đồng; sửa lỗi sai sót trong hợp đồng ' +
    'đã chứng thực: 25.000 đồng (Thông tư 226/2016/TT-BTC).',
  resultType: 'Hợp đồng, giao dịch được chứng thực',
  resultTemplate: {
    title: 'LỜI CHỨNG CỦA NGƯỜI THỰC HIỆN CHỨNG THỰC',
    content: [
      'Tại {{ward.name}}, chứng thực:',
      '',
      'Hợp đồng, giao dịch: {{form.contractType}}',
      'Tài sản: {{form.propertyDescription}}',
      'được giao kết giữa {{form.partyCount}} bên, trong đó người yêu cầu chứng thực là ông/bà {{applicant.fullName}}, số định danh cá nhân {{applicant.idNumber}}.',
      '',
      'Các bên giao kết hợp đồng, giao dịch cam đoan chịu trách nhiệm về nội dung của hợp đồng, giao dịch;',
      'tại thời điểm chứng thực, các bên có năng lực hành vi dân sự theo quy định của pháp luật;',
      'các bên đã ký (điểm chỉ) vào hợp đồng, giao dịch trước mặt người thực hiện chứng thực.',
      'Số chứng thực: {{dossier.code}}, quyển số 01/SCT/HĐ,GD.',
    ].join('\n'),
  },
  // All parties sign in front of the certifying officer.
  onlineLevel: 'PARTIAL',
  clockMode: 'RESTART',
  maxSupplementRequests: 1,
  worksOnHolidays: false,
  documents: [
    { id: 'du-thao-hop-dong', name: 'Dự thảo hợp đồng, giao dịch', form: 'ORIGINAL', quantity: 1, required: true },
    {
      id: 'giay-to-tuy-than-cac-ben',
      name: 'Bản sao giấy tờ tùy thân của người yêu cầu chứng thực (các bên tham gia hợp đồng, giao dịch)',
      form: 'COPY',
      quantity: 1,
      required: true,
    },
    {
      id: 'giay-chung-nhan-tai-san',
      name: 'Bản sao Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở hoặc giấy tờ thay thế; giấy đăng ký đối với động sản phải đăng ký',
      form: 'COPY',
      quantity: 1,
      required: true,
    },
    POWER_OF_ATTORNEY,
  ],
  formFields: [
    {
      name: 'contractType',
      label: 'Loại hợp đồng, giao dịch',
      type: 'enum',
      required: true,
      options: ['Chuyển nhượng quyền sử dụng đất', 'Tặng cho quyền sử dụng đất', 'Thế chấp', 'Mua bán nhà ở', 'Ủy quyền', 'Hợp đồng về động sản', 'Khác'],
    },
    { name: 'propertyDescription', label: 'Mô tả tài sản (thửa đất số, tờ bản đồ số, địa chỉ hoặc loại động sản)', type: 'text', required: true, maxLength: 500 },
    { name: 'partyCount', label: 'Số bên tham gia', type: 'integer', required: true },
  ],
  legalBasis: [ND_23_2015, TT_226_2016, 'Luật Đất đai số 31/2024/QH15', 'Luật Nhà ở số 27/2023/QH15'],
  personalDataRetention: RETENTION_CONTRACT,
  source: `${DVC}, TTHC 2.001035 (tên); thời hạn theo Nghị định 23/2015/NĐ-CP Điều 37; phí theo Thông tư 226/2016/TT-BTC`,
  effectiveFrom: TWO_TIER_REFORM,
  published: true,
};

// ---------------------------------------------------------------------------------------------
// Hộ kinh doanh (household business), at ward level since 01/07/2025
// ---------------------------------------------------------------------------------------------

const HOUSEHOLD_BUSINESS_SHARED = {
  code: '1.001612',
  name: 'Đăng ký thành lập hộ kinh doanh',
  field: 'Hộ kinh doanh',
  // Nghị định 168/2025/NĐ-CP: 3 working days from a valid dossier.
  timeLimitDays: 3,
  feeVnd: 100_000,
  resultType: 'Giấy chứng nhận đăng ký hộ kinh doanh',
  resultTemplate: {
    title: 'GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH',
    content: [
      'Tên hộ kinh doanh: {{form.businessName}}',
      'Địa điểm kinh doanh: {{form.businessAddress}}',
      'Ngành, nghề kinh doanh: {{form.businessLines}}',
      'Vốn kinh doanh: {{form.capitalVnd}}',
      'Số lao động: {{form.employeeCount}}',
      '',
      'Chủ hộ kinh doanh: {{applicant.fullName}}',
      'Số định danh cá nhân: {{form.ownerIdNumber}}',
      'Nơi cư trú: {{applicant.address}}',
      'Điện thoại: {{applicant.phone}}',
      'Mã hồ sơ: {{dossier.code}}',
    ].join('\n'),
  },
  onlineLevel: 'FULL',
  clockMode: 'RESTART',
  maxSupplementRequests: 1,
  worksOnHolidays: false,
  documents: [
    { id: 'giay-de-nghi-dang-ky-hkd', name: 'Giấy đề nghị đăng ký hộ kinh doanh theo mẫu', form: 'ORIGINAL', quantity: 1, required: true },
    {
      id: 'bien-ban-hop-thanh-vien',
      name: 'Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh',
      form: 'ORIGINAL_OR_COPY',
      quantity: 1,
      required: false,
      condition: 'Khi các thành viên hộ gia đình cùng đăng ký hộ kinh doanh',
    },
    {
      id: 'van-ban-uy-quyen-thanh-vien',
      name: 'Văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh',
      form: 'ORIGINAL_OR_COPY',
      quantity: 1,
      required: false,
      condition: 'Khi các thành viên hộ gia đình cùng đăng ký hộ kinh doanh',
    },
    IDENTITY_PAPER,
    POWER_OF_ATTORNEY,
  ],
  formFields: [
    { name: 'businessName', label: 'Tên hộ kinh doanh', type: 'text', required: true, maxLength: 150 },
    { name: 'businessAddress', label: 'Địa chỉ trụ sở hộ kinh doanh', type: 'text', required: true, maxLength: 300 },
    { name: 'businessLines', label: 'Ngành, nghề kinh doanh', type: 'text', required: true, maxLength: 1000 },
    { name: 'capitalVnd', label: 'Vốn kinh doanh (đồng)', type: 'integer', required: true },
    { name: 'employeeCount', label: 'Số lượng lao động', type: 'integer', required: false },
    { name: 'ownerIdNumber', label: 'Số định danh cá nhân của chủ hộ kinh doanh', type: 'idNumber', required: true },
  ],
} satisfies Partial<Procedure>;

const LUAT_DOANH_NGHIEP = 'Luật Doanh nghiệp số 59/2020/QH14';
const ND_168_2025 = 'Nghị định số 168/2025/NĐ-CP về đăng ký doanh nghiệp (đăng ký hộ kinh doanh tại cơ quan đăng ký kinh doanh cấp xã)';

/** Superseded on 25/07/2026: online and paper filings paid the same fee. */
const HOUSEHOLD_BUSINESS_V1: Procedure = {
  ...HOUSEHOLD_BUSINESS_SHARED,
  version: 1,
  feeNote: 'Lệ phí 100.000 đồng/lần cấp mới, như nhau khi nộp tại quầy hay trực tuyến; không hoàn lại nếu không được cấp đăng ký.',
  legalBasis: [LUAT_DOANH_NGHIEP, ND_168_2025, NQ_HN_06_2020],
  personalDataRetention: RETENTION_BUSINESS,
  source:
    `${DVC}, TTHC 1.001612 (tên); thẩm quyền cấp xã và thời hạn 03 ngày làm việc theo Nghị định 168/2025/NĐ-CP; ` + `lệ phí 100.000 đồng theo ${NQ_HN_06_2020} (${UNCHECKED})`,
  effectiveFrom: TWO_TIER_REFORM,
  published: true,
};

/**
 * Hanoi waives the fee for online filings from 25/07/2026. `feeVnd` stays the counter fee: the
 * schema has one fee per version, so the channel-dependent amount lives in `feeNote`.
 */
const HOUSEHOLD_BUSINESS_V2: Procedure = {
  ...HOUSEHOLD_BUSINESS_SHARED,
  version: 2,
  feeNote: 'Nộp hồ sơ giấy: 100.000 đồng/lần cấp mới; nộp trực tuyến: 0 đồng. Không hoàn lại nếu không được cấp đăng ký.',
  legalBasis: [LUAT_DOANH_NGHIEP, ND_168_2025, 'Nghị quyết số 78/2026/NQ-HĐND của HĐND Thành phố Hà Nội về lệ phí đăng ký kinh doanh'],
  personalDataRetention: RETENTION_BUSINESS,
  source: `${DVC}, TTHC 1.001612; lệ phí theo Nghị quyết 78/2026/NQ-HĐND TP Hà Nội, hiệu lực 25/7/2026 ` + `(theo LuatVietnam, ${UNCHECKED})`,
  effectiveFrom: '2026-07-25',
  published: true,
};

// ---------------------------------------------------------------------------------------------
// Xây dựng (construction), at ward level since 01/07/2025
// ---------------------------------------------------------------------------------------------

const BUILDING_PERMIT: Procedure = {
  code: '1.013225',
  version: 1,
  name: 'Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV và nhà ở riêng lẻ',
  field: 'Xây dựng',
  // Luật Xây dựng art. 102: 15 days for individual houses.
  timeLimitDays: 15,
  feeVnd: 75_000,
  feeNote: 'Nhà ở riêng lẻ: 75.000 đồng/giấy phép; công trình khác: 150.000 đồng/giấy phép.',
  resultType: 'Giấy phép xây dựng',
  resultTemplate: {
    title: 'GIẤY PHÉP XÂY DỰNG',
    content: [
      'Số: {{dossier.code}}/GPXD',
      '',
      '1. Cấp cho: ông/bà {{applicant.fullName}}, số định danh cá nhân {{applicant.idNumber}}',
      'Địa chỉ: {{applicant.address}}',
      '2. Được phép xây dựng công trình: nhà ở riêng lẻ',
      '- Theo thiết kế do {{form.designerName}} lập',
      '- Vị trí xây dựng: {{form.constructionAddress}}, thửa đất số {{form.landParcelNumber}}, tờ bản đồ số {{form.mapSheetNumber}}',
      '- Diện tích xây dựng tầng 1 (tầng trệt): {{form.groundFloorArea}} m²',
      '- Tổng diện tích sàn: {{form.totalFloorArea}} m²',
      '- Số tầng: {{form.floorCount}}',
      '3. Giấy phép này có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày cấp.',
    ].join('\n'),
  },
  // The permit is issued online but the site is inspected and drawings are stamped on paper.
  onlineLevel: 'PARTIAL',
  // SUBTRACT: Luật Xây dựng art. 102 has the licensing office send one written notice of what is
  // missing and then check the completed file against that notice, not receive it as a new
  // application; so the clock stops while the owner completes the file and resumes with the days
  // left. Restarting 15 days after a supplement would push a permit a month out for one missing
  // drawing. It is also how the national on-time indicator counts the citizen's wait.
  clockMode: 'SUBTRACT',
  // A second notice is allowed when the supplemented file still misses what the first asked for.
  maxSupplementRequests: 2,
  worksOnHolidays: false,
  documents: [
    { id: 'don-de-nghi-cap-gpxd', name: 'Đơn đề nghị cấp giấy phép xây dựng theo mẫu', form: 'ORIGINAL', quantity: 1, required: true },
    {
      id: 'giay-to-quyen-su-dung-dat',
      name: 'Bản sao một trong những giấy tờ chứng minh quyền sử dụng đất theo quy định của pháp luật về đất đai',
      form: 'COPY',
      quantity: 1,
      required: true,
    },
    {
      id: 'ban-ve-thiet-ke',
      name: 'Bản vẽ thiết kế xây dựng: mặt bằng công trình trên lô đất, mặt bằng các tầng, mặt đứng, mặt cắt, móng và sơ đồ đấu nối hạ tầng kỹ thuật',
      form: 'ORIGINAL',
      quantity: 2,
      required: true,
    },
    {
      id: 'cam-ket-an-toan-cong-trinh-lien-ke',
      name: 'Bản cam kết của chủ đầu tư bảo đảm an toàn đối với công trình liền kề',
      form: 'ORIGINAL',
      quantity: 1,
      required: false,
      condition: 'Công trình xây dựng có công trình liền kề',
    },
    {
      id: 'van-ban-tham-duyet-pccc',
      name: 'Văn bản thẩm duyệt thiết kế về phòng cháy, chữa cháy',
      form: 'COPY',
      quantity: 1,
      required: false,
      condition: 'Nhà ở riêng lẻ thuộc diện phải thẩm duyệt thiết kế phòng cháy, chữa cháy',
    },
  ],
  formFields: [
    { name: 'constructionAddress', label: 'Địa điểm xây dựng', type: 'text', required: true, maxLength: 300 },
    { name: 'landParcelNumber', label: 'Thửa đất số', type: 'text', required: true, maxLength: 20 },
    { name: 'mapSheetNumber', label: 'Tờ bản đồ số', type: 'text', required: true, maxLength: 20 },
    { name: 'floorCount', label: 'Số tầng (kể cả tầng hầm, tum)', type: 'integer', required: true },
    { name: 'groundFloorArea', label: 'Diện tích xây dựng tầng 1 (m²)', type: 'integer', required: true },
    { name: 'totalFloorArea', label: 'Tổng diện tích sàn (m²)', type: 'integer', required: true },
    { name: 'designerName', label: 'Đơn vị hoặc cá nhân thiết kế', type: 'text', required: false, maxLength: 150 },
  ],
  legalBasis: [
    'Luật Xây dựng số 50/2014/QH13, sửa đổi, bổ sung bởi Luật số 62/2020/QH14',
    'Nghị định số 175/2024/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Xây dựng về quản lý hoạt động xây dựng',
    'Quyết định số 1077/QĐ-BXD công bố thủ tục hành chính lĩnh vực hoạt động xây dựng',
    NQ_HN_06_2020,
  ],
  personalDataRetention: RETENTION_BUILDING,
  source:
    `${DVC}, TTHC 1.013225 (tên, quyết định công bố 1077/QĐ-BXD); thời hạn 15 ngày theo Luật Xây dựng Điều 102; ` +
    `lệ phí 75.000 đồng theo ${NQ_HN_06_2020} (${UNCHECKED}); chưa phản ánh các thay đổi của Luật Xây dựng sửa đổi nếu có hiệu lực sau 2025`,
  effectiveFrom: TWO_TIER_REFORM,
  published: true,
};

/** Every version of every procedure of the ward's catalog. */
export const CATALOG: readonly Procedure[] = Object.freeze([
  BIRTH_REGISTRATION,
  DEATH_REGISTRATION,
  MARRIAGE_V1,
  MARRIAGE_V2,
  MARITAL_STATUS_CERTIFICATE,
  CIVIL_STATUS_EXTRACT_COPY,
  GUARDIANSHIP_REGISTRATION,
  CIVIL_STATUS_CORRECTION,
  COPY_CERTIFICATION,
  SIGNATURE_CERTIFICATION,
  CONTRACT_CERTIFICATION,
  HOUSEHOLD_BUSINESS_V1,
  HOUSEHOLD_BUSINESS_V2,
  BUILDING_PERMIT,
]);

/** The highest version of each procedure code, in the catalog's order of first appearance. */
export function currentVersions(catalog: readonly Procedure[]): Procedure[] {
  const latest = new Map<string, Procedure>();
  for (const procedure of catalog) {
    const known = latest.get(procedure.code);
    if (known === undefined || procedure.version > known.version) latest.set(procedure.code, procedure);
  }
  return [...latest.values()];
}

export { versionInForce } from '../domain/procedure';

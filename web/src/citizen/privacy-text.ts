import { currentLanguage, type Language } from '../common/i18n';

/**
 * The privacy notice ("thông báo xử lý dữ liệu cá nhân") of the portal, as Law 91/2025/QH15 on
 * personal data protection and Decree 356/2025/NĐ-CP require the ward to give it before it
 * collects: what, why, on which basis, who receives it, where it is kept, how long, and the data
 * subject's rights. Articles are cited only where their text was checked (the rights: Article 4
 * of the Law). docs/personal-data.md says what the system does behind each sentence.
 */
export interface NoticeSection {
  readonly id: string;
  readonly heading: string;
  readonly paragraphs: readonly string[];
  readonly items?: readonly string[];
}

interface Notice {
  readonly title: string;
  readonly lead: string;
  readonly contents: string;
  readonly sections: readonly NoticeSection[];
  readonly retentionCaption: string;
  readonly retentionProcedure: string;
  readonly retentionYears: string;
  readonly years: string;
  readonly retentionUnavailable: string;
  readonly linkText: string;
}

const vi: Notice = {
  title: 'Dữ liệu cá nhân của bạn',
  lead: 'Phường xử lý dữ liệu cá nhân của bạn để giải quyết thủ tục hành chính bạn yêu cầu, theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 và Nghị định số 356/2025/NĐ-CP. Trang này cho biết phường thu thập gì, để làm gì, ai nhận, lưu ở đâu, trong bao lâu và bạn có những quyền gì.',
  contents: 'Nội dung trang',
  sections: [
    {
      id: 'thu-thap',
      heading: 'Phường thu thập những gì',
      paragraphs: ['Khi bạn nộp hồ sơ (trực tuyến hoặc tại quầy), phường thu thập:'],
      items: [
        'họ tên, số định danh cá nhân và số điện thoại (lấy từ tài khoản VNeID khi bạn đăng nhập);',
        'thư điện tử và địa chỉ, nếu bạn khai;',
        'nội dung tờ khai của thủ tục và các tệp bạn đính kèm. Ảnh giấy tờ tùy thân có thể là dữ liệu cá nhân nhạy cảm và được bảo vệ ở mức cao hơn;',
        'lịch sử xử lý hồ sơ, văn bản phường ban hành, đánh giá của bạn về việc giải quyết;',
        'nhật ký ghi lại cán bộ nào đã xem hồ sơ của bạn, vào lúc nào.',
      ],
    },
    {
      id: 'muc-dich',
      heading: 'Để làm gì, căn cứ nào',
      paragraphs: [
        'Dữ liệu chỉ được dùng để tiếp nhận, giải quyết và trả kết quả thủ tục bạn yêu cầu; gửi tin nhắn báo tiến độ hồ sơ; đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia như quy định về thủ tục hành chính theo cơ chế một cửa; và để phường, Thành phố thống kê việc giải quyết (số liệu thống kê không chứa dữ liệu cá nhân).',
        'Căn cứ xử lý là việc thực hiện thủ tục hành chính theo quy định của pháp luật (văn bản căn cứ của từng thủ tục được nêu trên trang thủ tục) và Luật Bảo vệ dữ liệu cá nhân. Phường không dùng dữ liệu của bạn cho quảng cáo và không bán, không cung cấp cho bên khác ngoài những bên nêu dưới đây.',
      ],
    },
    {
      id: 'ben-nhan',
      heading: 'Ai nhận dữ liệu',
      paragraphs: ['Chỉ những bên cần để giải quyết hồ sơ:'],
      items: [
        'cán bộ bộ phận một cửa và cán bộ chuyên môn của phường có thẩm quyền giải quyết thủ tục; mỗi lần cán bộ xem hồ sơ đều được ghi nhật ký;',
        'khi bạn nộp tại một phường, xã khác trong Thành phố Hà Nội: phường, xã có thẩm quyền giải quyết hồ sơ;',
        'Cổng Dịch vụ công quốc gia và Hệ thống thông tin giải quyết thủ tục hành chính của Thành phố (đồng bộ hồ sơ);',
        'nhà mạng chuyển tin nhắn báo tiến độ đến số điện thoại của bạn (tin nhắn chỉ có mã hồ sơ, trạng thái và ngày hẹn).',
      ],
    },
    {
      id: 'luu-tru',
      heading: 'Lưu ở đâu',
      paragraphs: [
        'Hệ thống chạy trên dịch vụ đám mây Amazon Web Services, vùng ap-southeast-1 đặt tại Singapore. Dữ liệu được mã hóa khi lưu và khi truyền. Vì máy chủ đặt ngoài lãnh thổ Việt Nam, việc lưu trữ này là chuyển dữ liệu cá nhân xuyên biên giới: phường lập hồ sơ đánh giá tác động chuyển dữ liệu cá nhân xuyên biên giới và gửi cơ quan chuyên trách bảo vệ dữ liệu cá nhân theo quy định.',
      ],
    },
    {
      id: 'thoi-han',
      heading: 'Lưu trong bao lâu',
      paragraphs: [
        'Mỗi thủ tục có thời hạn lưu dữ liệu cá nhân riêng, tính từ khi hồ sơ kết thúc (đã trả kết quả, dừng hoặc không được tiếp nhận), nêu trong bảng dưới đây. Hết thời hạn, hệ thống tự động xóa họ tên, số định danh, số điện thoại, thư điện tử, địa chỉ, nội dung tờ khai, tên tệp và các ghi chú khỏi hồ sơ; mã hồ sơ, trạng thái và ngày tháng được giữ để thống kê.',
        'Văn bản phường đã ký số (kết quả, phiếu, thông báo) được lưu trữ theo thời hạn lưu trữ hồ sơ của phường theo pháp luật về lưu trữ, không bị xóa cùng lúc.',
      ],
    },
    {
      id: 'quyen',
      heading: 'Quyền của bạn',
      paragraphs: ['Theo Điều 4 Luật Bảo vệ dữ liệu cá nhân, bạn có quyền:'],
      items: [
        'được biết về hoạt động xử lý dữ liệu cá nhân của mình;',
        'đồng ý hoặc không đồng ý, yêu cầu rút lại sự đồng ý, trong những trường hợp việc xử lý dựa trên sự đồng ý;',
        'xem, chỉnh sửa hoặc yêu cầu chỉnh sửa dữ liệu cá nhân;',
        'yêu cầu cung cấp, xóa, hạn chế xử lý dữ liệu cá nhân; gửi yêu cầu phản đối xử lý;',
        'khiếu nại, tố cáo, khởi kiện, yêu cầu bồi thường thiệt hại theo quy định của pháp luật;',
        'yêu cầu cơ quan có thẩm quyền thực hiện các biện pháp bảo vệ dữ liệu cá nhân của mình.',
      ],
    },
    {
      id: 'thuc-hien',
      heading: 'Cách thực hiện quyền',
      paragraphs: [
        'Đến bộ phận một cửa của phường trong giờ hành chính, mang giấy tờ tùy thân, và nêu yêu cầu. Lãnh đạo phường lập bản trích xuất toàn bộ dữ liệu phường đang lưu về số định danh của bạn (hồ sơ, lịch sử xử lý, tệp đính kèm, văn bản, đánh giá, nhật ký cán bộ đã xem); việc trích xuất cũng được ghi nhật ký.',
        'Dữ liệu sai trong hồ sơ đang giải quyết được sửa theo yêu cầu bổ sung của cán bộ. Yêu cầu xóa trước thời hạn có thể không thực hiện được khi pháp luật buộc phường phải lưu giữ; phường trả lời bạn bằng văn bản và nêu lý do.',
        'Bạn luôn xem được hồ sơ của mình tại trang Hồ sơ của tôi sau khi đăng nhập VNeID.',
      ],
    },
  ],
  retentionCaption: 'Thời hạn lưu dữ liệu cá nhân theo thủ tục',
  retentionProcedure: 'Thủ tục',
  retentionYears: 'Thời hạn sau khi hồ sơ kết thúc',
  years: '{n} năm',
  retentionUnavailable: 'Chưa tải được bảng thời hạn. Hãy tải lại trang, hoặc hỏi bộ phận một cửa.',
  linkText: 'Dữ liệu cá nhân của bạn được xử lý thế nào',
};

const en: Notice = {
  title: 'Your personal data',
  lead: 'The ward processes your personal data to handle the administrative procedure you ask for, under Law 91/2025/QH15 on personal data protection and Decree 356/2025/NĐ-CP. This page says what the ward collects, why, who receives it, where it is kept, for how long, and what your rights are.',
  contents: 'On this page',
  sections: [
    {
      id: 'thu-thap',
      heading: 'What the ward collects',
      paragraphs: ['When you file a dossier (online or at the counter), the ward collects:'],
      items: [
        'your full name, personal ID number and phone number (from your VNeID account when you sign in);',
        'your e-mail and address, if you give them;',
        "the procedure's form and the files you attach. Pictures of identity papers may be sensitive personal data and are protected more strictly;",
        "the dossier's processing history, the documents the ward issues, your rating of the service;",
        'a log of which officer viewed your dossier, and when.',
      ],
    },
    {
      id: 'muc-dich',
      heading: 'Why, and on which basis',
      paragraphs: [
        'The data is used only to receive, handle and return the result of the procedure you ask for; to send you text messages about its progress; to share the dossier with the National Public Service Portal as the one-stop rules require; and for the ward and the city to count how procedures are handled (the statistics hold no personal data).',
        "The basis is carrying out an administrative procedure as the law provides (each procedure's legal texts are on its page) and the Law on personal data protection. The ward does not use your data for advertising and does not sell it or give it to anyone other than those listed below.",
      ],
    },
    {
      id: 'ben-nhan',
      heading: 'Who receives it',
      paragraphs: ['Only those needed to handle the dossier:'],
      items: [
        "the one-stop desk's and the specialists' officers of the ward competent for the procedure; every time an officer views a dossier it is logged;",
        'when you file at another ward or commune of Hanoi: the ward or commune competent for the dossier;',
        "the National Public Service Portal and the city's information system for administrative procedures (dossier sync);",
        'the mobile operators that carry the progress messages to your phone (they hold only the dossier code, status and dates).',
      ],
    },
    {
      id: 'luu-tru',
      heading: 'Where it is kept',
      paragraphs: [
        'The system runs on Amazon Web Services, region ap-southeast-1 in Singapore. Data is encrypted at rest and in transit. Since the servers are outside Vietnam, this storage is a cross-border transfer of personal data: the ward makes a cross-border transfer impact assessment and files it with the specialised personal data protection agency as the law requires.',
      ],
    },
    {
      id: 'thoi-han',
      heading: 'How long it is kept',
      paragraphs: [
        'Each procedure has its own retention of personal data, counted from the end of the dossier (result returned, stopped, or not received), in the table below. When it ends, the system erases the name, ID number, phone, e-mail, address, form content, file names and notes from the dossier; its code, statuses and dates stay for the statistics.',
        "Documents the ward signed (results, receipts, notices) stay in the ward's archive for the period the law on archives sets, and are not erased with them.",
      ],
    },
    {
      id: 'quyen',
      heading: 'Your rights',
      paragraphs: ['Under Article 4 of the Law on personal data protection, you may:'],
      items: [
        'know how your personal data is processed;',
        'consent or not, and withdraw consent, where the processing rests on consent;',
        'view, correct or ask for correction of your personal data;',
        'ask for your data to be provided, erased or its processing restricted; object to its processing;',
        'complain, denounce, sue and claim damages as the law provides;',
        'ask the competent authority to take measures to protect your personal data.',
      ],
    },
    {
      id: 'thuc-hien',
      heading: 'How to use your rights',
      paragraphs: [
        "Come to the ward's one-stop desk during office hours with an identity paper and say what you ask for. A ward leader makes an export of everything the ward holds under your ID number (dossiers, processing history, attachments, documents, ratings, the log of officers who viewed them); the export itself is logged.",
        'Wrong data in a dossier being handled is corrected through the supplement the officer asks for. Erasure before the retention ends may not be possible where the law obliges the ward to keep the data; the ward answers you in writing with its reasons.',
        'You can always see your dossiers on the My dossiers page after signing in with VNeID.',
      ],
    },
  ],
  retentionCaption: 'Retention of personal data by procedure',
  retentionProcedure: 'Procedure',
  retentionYears: 'Kept after the dossier ends',
  years: '{n} years',
  retentionUnavailable: 'The retention table could not be loaded. Reload the page, or ask the one-stop desk.',
  linkText: 'How your personal data is handled',
};

const NOTICE: Readonly<Record<Language, Notice>> = { vi, en };

export const privacyNotice = (): Notice => NOTICE[currentLanguage()];

import type { z } from "zod";
import { SfuError } from "../sfu";
import type { ErrorBody, ErrorCode, Locale } from "./protocol";

const messages: Record<ErrorCode, { status: number; vi: string; en: string }> = {
  VALIDATION_FAILED: { status: 400, vi: "Dữ liệu gửi lên không hợp lệ.", en: "The request data is invalid." },
  UNKNOWN_EVENT: { status: 400, vi: "Yêu cầu không được hỗ trợ.", en: "This request is not supported." },
  NOT_JOINED: { status: 409, vi: "Bạn chưa tham gia phòng họp.", en: "You have not joined a room." },
  ALREADY_JOINED: { status: 409, vi: "Bạn đã ở trong một phòng họp.", en: "You are already in a room." },
  TRANSPORT_NOT_FOUND: { status: 404, vi: "Không tìm thấy kết nối truyền tải.", en: "Transport not found." },
  PRODUCER_NOT_FOUND: { status: 404, vi: "Không tìm thấy luồng phát.", en: "Producer not found." },
  CONSUMER_NOT_FOUND: { status: 404, vi: "Không tìm thấy luồng nhận.", en: "Consumer not found." },
  CANNOT_CONSUME: { status: 409, vi: "Không thể nhận luồng này.", en: "This stream cannot be received." },
  MEDIA_REJECTED: { status: 400, vi: "Máy chủ không chấp nhận tham số truyền thông.", en: "The media parameters were rejected." },
  ROOM_CLOSED: { status: 409, vi: "Phòng họp đã đóng.", en: "The room has closed." },
  RATE_LIMITED: { status: 429, vi: "Quá nhiều yêu cầu, vui lòng thử lại sau.", en: "Too many requests; try again shortly." },
  NOT_FOUND: { status: 404, vi: "Không tìm thấy.", en: "Not found." },
  INTERNAL: { status: 500, vi: "Lỗi máy chủ, vui lòng thử lại.", en: "Server error; please try again." },
  UNAUTHENTICATED: { status: 401, vi: "Vui lòng đăng nhập.", en: "Please sign in." },
  INVALID_CREDENTIALS: { status: 401, vi: "Tên đăng nhập hoặc mật khẩu không đúng.", en: "Wrong username or password." },
  FORBIDDEN: { status: 403, vi: "Bạn không có quyền thực hiện thao tác này.", en: "You are not allowed to do this." },
  CONFLICT: { status: 409, vi: "Dữ liệu đã tồn tại hoặc vừa bị thay đổi.", en: "This already exists or was just changed." },
  PAYLOAD_TOO_LARGE: { status: 413, vi: "Dữ liệu gửi lên quá lớn.", en: "The request is too large." },
  INVALID_TRANSITION: {
    status: 409,
    vi: "Không thể thực hiện bước này ở trạng thái hiện tại của hồ sơ.",
    en: "This step is not possible in the case's current state.",
  },
  UNSUPPORTED_FILE: {
    status: 415,
    vi: "Chỉ nhận tệp PDF, ảnh (JPEG, PNG) hoặc văn bản Word, Excel; nội dung tệp phải đúng định dạng.",
    en: "Only PDF, images (JPEG, PNG) or Word and Excel documents are accepted, and the content must match.",
  },
  NOT_INVITED: { status: 403, vi: "Đơn vị của bạn không được mời dự cuộc họp này.", en: "Your unit is not invited to this meeting." },
  ROOM_LOCKED: { status: 423, vi: "Phòng họp đã khóa, không nhận thêm điểm cầu.", en: "The meeting is locked; no more sites can join." },
  MUTED_BY_CHAIR: { status: 403, vi: "Chủ trì đã tắt micrô của điểm cầu này.", en: "The chair has muted this site's microphone." },
  SCREEN_SHARE_NOT_ALLOWED: {
    status: 403,
    vi: "Chỉ chủ trì hoặc điểm cầu đang được phát biểu mới được chia sẻ màn hình.",
    en: "Only the chair or the site holding the floor may share its screen.",
  },
  SCREEN_SHARE_IN_USE: { status: 409, vi: "Một điểm cầu khác đang chia sẻ màn hình.", en: "Another site is already sharing its screen." },
  RECORDING_ACTIVE: { status: 409, vi: "Cuộc họp đang được ghi hình.", en: "The meeting is already being recorded." },
  NOT_RECORDING: { status: 409, vi: "Cuộc họp hiện không được ghi hình.", en: "The meeting is not being recorded." },
  RECORDING_DISK_FULL: {
    status: 507,
    vi: "Máy chủ không đủ dung lượng trống để ghi hình; cuộc họp vẫn tiếp tục nhưng không được ghi. Vui lòng báo quản trị hệ thống.",
    en: "The server does not have enough free disk space to record; the meeting goes on unrecorded. Please tell the system administrator.",
  },
  NOT_ADMITTED: {
    status: 403,
    vi: "Cán bộ tiếp dân chưa mời bạn vào phiên tiếp; vui lòng chờ.",
    en: "The receiving officer has not let you in yet; please wait.",
  },
  GUEST_ALREADY_ADMITTED: { status: 409, vi: "Phiên tiếp đã có công dân tham gia.", en: "A citizen is already in this reception session." },
  RECEPTION_NOT_OPEN: {
    status: 409,
    vi: "Phiên tiếp công dân chưa mở; trang sẽ tự vào khi cán bộ mở phiên.",
    en: "The reception session is not open yet; this page will enter as soon as the officer opens it.",
  },
  DEADLINE_RULE: { status: 422, vi: "Vượt quá thời hạn hoặc số lần gia hạn luật cho phép.", en: "This exceeds what the law allows for deadlines or extensions." },
  DIALOGUE_REQUIRED: {
    status: 409,
    vi: "Phải tổ chức đối thoại với người khiếu nại trước khi ra quyết định giải quyết lần hai (Điều 39 Luật Khiếu nại).",
    en: "A second-round decision needs a recorded dialogue with the complainant first (Law on Complaints, Art. 39).",
  },
  DENOUNCER_NOTICE_REQUIRED: {
    status: 409,
    vi: "Phải ghi nhận việc thông báo cho người tố cáo về việc chuyển đơn trước khi chuyển (Điều 24 Luật Tố cáo).",
    en: "Record the notice to the denouncer about the forwarding before forwarding (Law on Denunciations, Art. 24).",
  },
  FILING_LIMIT_PASSED: {
    status: 422,
    vi: "Đơn khiếu nại đã quá thời hiệu; thời gian có trở ngại khách quan (ốm đau, thiên tai, công tác xa…) được ghi nhận thì không tính (Điều 9 Luật Khiếu nại).",
    en: "The complaint was filed after its time limit; recorded obstacles (illness, disaster, work travel…) are not counted (Law on Complaints, Art. 9).",
  },
  SLOT_FULL: { status: 409, vi: "Khung giờ này đã hết chỗ, vui lòng chọn khung giờ khác.", en: "This time slot is full; please choose another one." },
  SLOT_CLOSED: { status: 409, vi: "Khung giờ này đã bắt đầu hoặc không còn nhận đặt lịch.", en: "This time slot has started or no longer takes bookings." },
  BOOKING_LIMIT: {
    status: 429,
    vi: "Số điện thoại này đã đặt nhiều lịch tiếp trong thời gian ngắn; vui lòng thử lại sau hoặc liên hệ bộ phận tiếp công dân.",
    en: "This phone number made too many bookings recently; try again later or contact the reception office.",
  },
  BOOKING_NOT_CANCELLABLE: { status: 409, vi: "Lịch hẹn này không thể hủy (đã hủy, đã diễn ra hoặc đã đến giờ tiếp).", en: "This booking can no longer be cancelled." },
  BOOKING_CANCELLED: { status: 409, vi: "Lịch hẹn này đã bị hủy.", en: "This booking was cancelled." },
  JOIN_LINK_INVALID: { status: 404, vi: "Đường dẫn tham gia không đúng.", en: "This join link is not valid." },
  JOIN_LINK_USED: { status: 409, vi: "Đường dẫn tham gia này đã được sử dụng.", en: "This join link has already been used." },
  JOIN_LINK_EXPIRED: { status: 410, vi: "Đường dẫn tham gia đã hết hạn (buổi tiếp đã kết thúc).", en: "This join link has expired (the session time is over)." },
  JOIN_LINK_NOT_YET: { status: 425, vi: "Chưa đến giờ tiếp; vui lòng mở lại đường dẫn gần giờ hẹn.", en: "It is too early; open the link again shortly before your appointment." },
  ENTRY_CONFIRMED: { status: 409, vi: "Công dân đã xác nhận nội dung này; không thể sửa hoặc xác nhận lại.", en: "The citizen already confirmed this entry; it cannot change or be confirmed again." },
  SESSION_ENDED: { status: 409, vi: "Buổi tiếp công dân đã kết thúc.", en: "This reception session has ended." },
  CONSENT_REQUIRED: { status: 409, vi: "Chưa có sự đồng ý ghi hình của công dân.", en: "The citizen has not agreed to the recording." },
  RECORDING_NOT_ALLOWED: { status: 403, vi: "Không ghi hình buổi tiếp về nội dung tố cáo.", en: "Sessions about a denunciation are not recorded." },
  RECORDING_KIND_UNDECLARED: { status: 409, vi: "Chưa xác định nội dung buổi tiếp (khiếu nại, tố cáo, kiến nghị, phản ánh) nên chưa thể ghi hình.", en: "Declare what the visit is about (complaint, denunciation, recommendation, feedback) before recording." },
  ROLE_GRANT_REFUSED: {
    status: 403,
    vi: "Quản trị viên không được tự thay đổi vai trò của chính mình; vai trò khác phải do quản trị viên khác cấp.",
    en: "Administrators may not change their own roles; another administrator must grant them.",
  },
  PASSWORD_RESET_REFUSED: {
    status: 403,
    vi: "Mật khẩu của lãnh đạo, thanh tra viên hoặc quản trị viên chỉ do quản trị viên của đơn vị cấp trên đặt lại.",
    en: "A leader's, inspector's or administrator's password can only be reset by an administrator of a higher unit.",
  },
  UPLOAD_QUOTA_EXCEEDED: {
    status: 429,
    vi: "Hôm nay đã nhận đủ dung lượng tài liệu gửi trực tuyến; vui lòng gửi lại vào ngày mai hoặc mang theo khi đến tiếp công dân.",
    en: "Today's allowance for documents sent online is used up; please send them tomorrow or bring them to the reception.",
  },
  CERTIFICATE_INVALID: {
    status: 422,
    vi: "Tệp không phải chứng thư số PKCS#12 (.p12, .pfx) dùng được: cần có khóa bí mật RSA và chứng thư số của khóa đó.",
    en: "This is not a usable PKCS#12 (.p12, .pfx) certificate: it needs an RSA private key and that key's certificate.",
  },
  CERTIFICATE_PASSWORD_WRONG: { status: 422, vi: "Mật khẩu không mở được tệp chứng thư số.", en: "The password does not open this certificate file." },
  CERTIFICATE_EXPIRED: { status: 422, vi: "Chứng thư số đã hết hạn; vui lòng dùng chứng thư số còn hiệu lực.", en: "The certificate has expired; please use a valid one." },
  CERTIFICATE_NOT_YET_VALID: { status: 422, vi: "Chứng thư số chưa đến ngày có hiệu lực.", en: "The certificate is not valid yet." },
  SIGNING_UNAVAILABLE: {
    status: 409,
    vi: "Đơn vị chưa có chứng thư số còn hiệu lực để ký văn bản; quản trị viên cần tải lên chứng thư số của đơn vị.",
    en: "The unit has no valid signing certificate; an administrator needs to upload the unit's certificate.",
  },
  MAIL_NOT_CONFIGURED: {
    status: 409,
    vi: "Chưa cấu hình máy chủ thư (địa chỉ máy chủ và địa chỉ gửi); vui lòng lưu cấu hình trước.",
    en: "The mail server is not configured (host and from address); save the settings first.",
  },
  EXPORT_TOO_LARGE: {
    status: 422,
    vi: "Danh sách quá dài để xuất ra tệp (tối đa 5.000 dòng); vui lòng lọc bớt rồi xuất lại.",
    en: "The list is too long to export (at most 5,000 rows); please narrow the filters and export again.",
  },
};

/** An expected failure with a stable code; its message is chosen by the caller's language. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorBody["details"];

  constructor(code: ErrorCode, options?: { cause?: unknown; details?: ErrorBody["details"]; detail?: string }) {
    super(options?.detail ?? messages[code].en, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.details = options?.details;
  }

  get status(): number {
    return messages[this.code].status;
  }

  static fromZod(error: z.ZodError): AppError {
    const details = error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    return new AppError("VALIDATION_FAILED", { details, detail: "validation failed" });
  }
}

/** Converts anything thrown into an AppError; unexpected errors become INTERNAL (and are logged by the caller). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof SfuError) return new AppError(error.code, { cause: error, detail: error.message });
  return new AppError("INTERNAL", { cause: error });
}

export function isUnexpected(error: AppError): boolean {
  return error.code === "INTERNAL";
}

export function errorBody(error: AppError, locale: Locale): ErrorBody {
  return {
    code: error.code,
    message: messages[error.code][locale],
    ...(error.details ? { details: error.details } : {}),
  };
}

/** Picks vi or en from an Accept-Language header or a handshake value; Vietnamese when unsure. */
export function pickLocale(value: unknown): Locale {
  if (typeof value !== "string") return "vi";
  const first = value.split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("en") ? "en" : "vi";
}

/**
 * The platform's error type and the translated messages of every error code.
 *
 * Every 4xx answer is `{ "error": { "code": "SNAKE_CASE", "message": "…" } }` (DESIGN.md);
 * the message is chosen by code in the request's language (zh-CN default, en).
 * Codes are part of the public API: add new ones, never rename.
 */
import { Negotiator } from '@fastify/accept-negotiator';

export type Lang = 'zh-CN' | 'en';

/** Every error code with its HTTP status and messages. `{name}` placeholders take `params`. */
export const ERROR_CODES = {
  VALIDATION_ERROR: { status: 400, 'zh-CN': '请求数据不符合要求：{detail}', en: 'Invalid request: {detail}' },
  BAD_REQUEST: { status: 400, 'zh-CN': '请求有误：{detail}', en: 'Bad request: {detail}' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, 'zh-CN': '创建办件需要 Idempotency-Key 请求头（8–128 个字符）', en: 'Creating an application needs an Idempotency-Key header (8–128 characters)' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, 'zh-CN': '该 Idempotency-Key 已用于内容不同的另一次申请', en: 'This Idempotency-Key was already used for a different request' },
  UNAUTHENTICATED: { status: 401, 'zh-CN': '请先登录', en: 'Please sign in first' },
  INVALID_CREDENTIALS: { status: 401, 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: { status: 429, 'zh-CN': '密码连续错误次数过多，账户已临时锁定，请 {minutes} 分钟后再试', en: 'Too many wrong passwords: the account is locked; try again in {minutes} min' },
  USER_NOT_FOUND: { status: 404, 'zh-CN': '没有可签发令牌的账户 {username}（须为工作人员或机器账户）', en: 'No account {username} that may hold an access token (staff or machine accounts only)' },
  TOKEN_SCOPE_UNKNOWN: { status: 422, 'zh-CN': '令牌权限 {scope} 不存在（格式为 资源:read 或 资源:write）', en: 'Unknown token scope {scope} (use resource:read or resource:write)' },
  API_TOKEN_NOT_FOUND: { status: 404, 'zh-CN': '访问令牌不存在', en: 'Access token not found' },
  TOKEN_SCOPE_MISSING: { status: 403, 'zh-CN': '该访问令牌没有 {scope} 权限', en: 'This access token lacks the scope {scope}' },
  FORBIDDEN: { status: 403, 'zh-CN': '您的角色或所在部门无权执行此操作', en: 'Your role or department may not do this' },
  NOT_FOUND: { status: 404, 'zh-CN': '未找到所请求的资源', en: 'The requested resource was not found' },
  REGION_NOT_FOUND: { status: 404, 'zh-CN': '未找到行政区划代码 {code}', en: 'No administrative division with code {code}' },
  ITEM_NOT_FOUND: { status: 404, 'zh-CN': '未找到事项 {code}', en: 'No service item with code {code}' },
  APPLICATION_NOT_FOUND: { status: 404, 'zh-CN': '未找到该办件，或您无权查看', en: 'No such application, or you may not see it' },
  UNKNOWN_ACTION: { status: 404, 'zh-CN': '未知的办件操作 {action}', en: 'Unknown application action {action}' },
  ITEM_NOT_APPLICABLE: { status: 422, 'zh-CN': '事项 {code} 不受理{kind}的申请', en: 'Item {code} does not take applications from {kind}' },
  CATALOG_FILE_INVALID: { status: 400, 'zh-CN': '事项目录文件无法读取：{detail}', en: 'The catalogue file cannot be read: {detail}' },
  CATALOG_COLUMNS_MISSING: { status: 400, 'zh-CN': '事项目录文件缺少必需的列：{columns}', en: 'The catalogue file lacks required columns: {columns}' },
  UNSUPPORTED_CATALOG_FILE: { status: 415, 'zh-CN': '请上传 .csv（text/csv）或 .xlsx 文件', en: 'Upload a .csv (text/csv) or .xlsx file' },
  CALENDAR_INVALID: { status: 400, 'zh-CN': '节假日安排有误：{detail}', en: 'Invalid calendar input: {detail}' },
  CALENDAR_YEAR_PUBLISHED: { status: 409, 'zh-CN': '{year} 年的节假日安排已由国务院办公厅公布；如确需更正，请加 replace=true', en: 'The {year} arrangement is already published; add replace=true to correct it' },
  ITEM_RULES_BROKEN: { status: 422, 'zh-CN': '事项不符合目录规则：{detail}', en: 'The item breaks the catalogue rules: {detail}' },
  MATERIAL_DUPLICATE: { status: 422, 'zh-CN': '材料 {materialId} 重复提交', en: 'Material {materialId} is listed twice' },
  MATERIAL_UNNAMED: { status: 400, 'zh-CN': '每份材料须给出 materialId 或名称', en: 'Each material needs a materialId or a name' },
  MATERIAL_UNKNOWN: { status: 422, 'zh-CN': '材料 {materialId} 不属于该事项', en: 'Material {materialId} does not belong to this item' },
  CONDITIONAL_NOT_ALLOWED: { status: 422, 'zh-CN': '材料“{name}”不允许容缺受理', en: 'Material "{name}" may not be accepted as missing' },
  CONDITIONAL_DEADLINE: { status: 400, 'zh-CN': '容缺材料的补交期限须晚于今天（{today}）', en: 'The deadline to supply missing materials must be after today ({today})' },
  MATERIALS_PENDING: { status: 409, 'zh-CN': '尚有容缺材料未补交（{names}），不能作出决定', en: 'Materials accepted as missing are still pending ({names}); no decision can be issued' },
  VERSION_CONFLICT: { status: 409, 'zh-CN': '办件已被他人更新（当前版本 {current}），请刷新后重试', en: 'The application was changed meanwhile (current version {current}); reload and try again' },
  ACTION_NOT_ALLOWED: { status: 409, 'zh-CN': '办件处于“{status}”状态，不能执行“{action}”', en: 'Action "{action}" is not allowed while the application is "{status}"' },
  COMMENT_REQUIRED: { status: 400, 'zh-CN': '“{action}”必须填写理由', en: 'Action "{action}" needs a comment giving the reasons' },
  EVALUATION_NOT_ALLOWED: { status: 409, 'zh-CN': '办件送达后方可评价', en: 'An application can be rated only after delivery' },
  STATS_RANGE_INVALID: { status: 400, 'zh-CN': '日期区间无效：起止日期须为 2000 至 2099 年间的 YYYY-MM-DD 日期，且开始日期不晚于结束日期', en: 'Invalid period: from and to must be YYYY-MM-DD dates between 2000 and 2099, from not after to' },
  STATS_OUT_OF_SCOPE: { status: 403, 'zh-CN': '无权查看该{what}的统计数据', en: 'You may not see the statistics of this {what}' },
  EVALUATION_EXISTS: { status: 409, 'zh-CN': '该办件已评价，不能重复评价', en: 'This application has already been rated' },
  RATE_LIMITED: { status: 429, 'zh-CN': '请求过于频繁，请 {after}后再试', en: 'Too many requests, try again in {after}' },
  LOGIN_THROTTLED: { status: 429, 'zh-CN': '登录失败次数过多，请 {after}后再试', en: 'Too many failed sign-ins; try again in {after}' },
  CROSS_SITE_REQUEST: { status: 403, 'zh-CN': '拒绝来自其他网站的请求', en: 'Request from another site refused' },
  PAYLOAD_TOO_LARGE: { status: 413, 'zh-CN': '请求内容过大', en: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, 'zh-CN': '不支持该内容类型（Content-Type）：请以 JSON（application/json）提交，上传文件的接口按其说明的类型提交', en: 'Unsupported Content-Type: send JSON (application/json), or on an upload route the file type it names' },
  METHOD_NOT_ALLOWED: { status: 405, 'zh-CN': '不支持该请求方法', en: 'Method not allowed' },
  APPLICANT_ID_INVALID: { status: 422, 'zh-CN': '申请人证件号码校验不通过：{kind}', en: 'The applicant\'s identifier fails its check: {kind}' },
  APPLICANT_REQUIRED: { status: 400, 'zh-CN': '窗口代为申请须填写申请人（类型、证件号码、姓名或名称）', en: 'Taking an application at the window needs the applicant (kind, identifier, name)' },
  APPLICANT_NAME_MISMATCH: { status: 422, 'zh-CN': '证件号码已登记在另一名称下，请核对申请人身份', en: 'This identifier is registered under another name; check the applicant\'s identity' },
  AGENT_NOT_AUTHORIZED: { status: 403, 'zh-CN': '申请人未授权您代办该事项，或授权已过期', en: 'The applicant has not authorised you for this item, or the authorisation expired' },
  COMMITMENT_NOT_ELIGIBLE: { status: 422, 'zh-CN': '事项 {code} 不适用告知承诺制', en: 'Item {code} is not eligible for notification-commitment' },
  COMMITMENT_TEXT_CHANGED: { status: 409, 'zh-CN': '承诺书文本已更新，请重新阅读后签署', en: 'The commitment text has changed; read it again and sign' },
  COMMITMENT_BARRED: { status: 403, 'zh-CN': '申请人有虚假承诺记录，不能再适用告知承诺制，请按一般程序提交完整材料', en: 'The applicant has a record of a false commitment and may not use notification-commitment again' },
  STEP_IS_JOINT: { status: 409, 'zh-CN': '当前为联合审查环节，请各部门分别出具意见', en: 'The current step is a joint review: each department gives its opinion' },
  STEP_NOT_JOINT: { status: 409, 'zh-CN': '当前环节不是联合审查', en: 'The current step is not a joint review' },
  OPINION_ALREADY_GIVEN: { status: 409, 'zh-CN': '本部门已在本轮联合审查中出具意见', en: 'Your department has already given its opinion in this round' },
  SAME_REVIEWER: { status: 409, 'zh-CN': '同一人不能连续办理同一办件的两个审查环节', en: 'The same person may not complete two consecutive review steps of one case' },
  CLOCK_ALREADY_PAUSED: { status: 409, 'zh-CN': '特别程序进行中，计时已暂停', en: 'A special procedure is running; the clock is already paused' },
  CLOCK_NOT_PAUSED: { status: 409, 'zh-CN': '计时未暂停', en: 'The clock is not paused' },
  CLOCK_NOT_RUNNING: { status: 409, 'zh-CN': '该办件没有可暂停的承诺时限', en: 'This application has no running limit to pause' },
  ALREADY_EXTENDED: { status: 409, 'zh-CN': '办理期限已延长过一次（《行政许可法》第四十二条只允许延长一次）', en: 'The limit was already extended once (art. 42 allows one extension)' },
  NO_PENDING_MATERIALS: { status: 409, 'zh-CN': '没有待补交的容缺材料', en: 'No material accepted as missing is pending' },
  NOT_ONLINE_DELIVERY: { status: 409, 'zh-CN': '申请人选择的送达方式不是网上送达', en: 'The applicant did not choose online delivery' },
  PICKUP_CODE_INVALID: { status: 422, 'zh-CN': '取件码不正确', en: 'Wrong pickup code' },
  DELIVERY_DETAILS_REQUIRED: { status: 400, 'zh-CN': '送达须注明方式：窗口送达填写取件码，邮寄送达填写运单号', en: 'Delivery needs its method: the pickup code at the window, the tracking number by mail' },
  PROCEDURE_UNKNOWN: { status: 400, 'zh-CN': '未知的特别程序类型 {kind}', en: 'Unknown special procedure {kind}' },
  DOCUMENT_NOT_FOUND: { status: 404, 'zh-CN': '未找到文书 {number}，或您无权查看', en: 'No document {number}, or you may not see it' },
  SEAL_NOT_FOUND: { status: 404, 'zh-CN': '部门 {code} 没有电子印章', en: 'Department {code} has no electronic seal' },
  EMPOWERMENT_INVALID: { status: 422, 'zh-CN': '首席代表授权有误：{detail}', en: 'Invalid chief-representative empowerment: {detail}' },
  AUTHORIZATION_INVALID: { status: 422, 'zh-CN': '代办授权有误：{detail}', en: 'Invalid agent authorisation: {detail}' },
  CHECK_NOT_OPEN: { status: 409, 'zh-CN': '该核查任务已办结', en: 'This verification task is already closed' },
  PROJECT_NOT_FOUND: { status: 404, 'zh-CN': '未找到重点项目，或您无权查看', en: 'No such key project, or you may not see it' },
  INVALID_IDENTIFIER: { status: 400, 'zh-CN': '电子证照标识有误：{detail}', en: 'Invalid licence identifier: {detail}' },
  LICENSE_NOT_FOUND: { status: 404, 'zh-CN': '未找到该电子证照，或您无权查看', en: 'No such licence, or you may not see it' },
  LICENSE_NOT_USABLE: { status: 409, 'zh-CN': '该电子证照不能使用：{reason}', en: 'This licence cannot be used: {reason}' },
  LICENSE_TYPE_MISMATCH: { status: 422, 'zh-CN': '所选电子证照不能代替材料“{name}”', en: 'The chosen licence cannot stand for material "{name}"' },
  LICENSE_AUTHORIZATION_INVALID: { status: 422, 'zh-CN': '用证授权有误：{detail}', en: 'Invalid licence authorisation: {detail}' },
  LICENSE_STATUS_INVALID: { status: 409, 'zh-CN': '证照状态不能变更：{detail}', en: 'The licence status cannot change: {detail}' },
  LICENSE_USE_NOT_ALLOWED: { status: 403, 'zh-CN': '只有持证人本人（或在窗口当面）才能授权使用电子证照', en: 'Only the holder (or the holder at the window) may authorise the use of a licence' },
  DELIVERY_METHOD_MISMATCH: { status: 409, 'zh-CN': '申请人选择的送达方式是“{method}”，请按此方式送达', en: 'The applicant chose delivery "{method}"; deliver that way' },
  PDF_REQUIRED: { status: 415, 'zh-CN': '请以 application/pdf 上传要核验的文书文件', en: 'Send the document file to verify as application/pdf' },
  UPLOAD_TYPE_MISMATCH: { status: 415, 'zh-CN': '上传文件的内容与类型不符：应为{expected}，实际为{found}', en: 'The uploaded file is not of the expected type: expected {expected}, found {found}' },
  SEAL_TEXT_INVALID: { status: 422, 'zh-CN': '部门名称“{name}”无法制成印章：{detail}', en: 'The department name "{name}" cannot be made into a seal: {detail}' },
  PROJECT_INVALID: { status: 422, 'zh-CN': '重点项目登记有误：{detail}', en: 'Invalid key project: {detail}' },
  IDEMPOTENCY_OUTCOME_UNKNOWN: { status: 409, 'zh-CN': '使用该幂等键的请求曾被中断，无法确定是否已创建；请先查询，如未创建请换用新的幂等键', en: 'A request with this Idempotency-Key was interrupted and its outcome is unknown; check, and if nothing was created retry with a new key' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, 'zh-CN': '使用该 Idempotency-Key 的请求正在处理中，请稍后重试', en: 'A request with this Idempotency-Key is still being handled; retry shortly' },
  SSO_DISABLED: { status: 404, 'zh-CN': '未启用统一身份认证登录', en: 'Single sign-on is not enabled' },
  SSO_ACCOUNT_UNKNOWN: { status: 403, 'zh-CN': '统一身份认证账号在本平台没有对应的工作人员账号，请联系系统管理员开通', en: 'Your single sign-on account has no staff account on this platform; ask an administrator to create one' },
  SSO_CLAIM_MISSING: { status: 403, 'zh-CN': '统一身份认证未提供用户名（{claim}），无法确定工作人员账号', en: 'Single sign-on did not provide the username ({claim}); no staff account can be found' },
  SSO_STATE_INVALID: { status: 400, 'zh-CN': '统一身份认证登录已失效或来源不明，请重新登录', en: 'The single sign-on attempt expired or did not start here; sign in again' },
  SSO_PROVIDER_ERROR: { status: 400, 'zh-CN': '统一身份认证平台拒绝了登录（{error}）', en: 'The single sign-on provider refused the sign-in ({error})' },
  SSO_RESPONSE_INVALID: { status: 400, 'zh-CN': '统一身份认证平台的应答未通过校验，请重新登录', en: 'The single sign-on provider\'s answer failed validation; sign in again' },
  SSO_PROVIDER_UNAVAILABLE: { status: 503, 'zh-CN': '统一身份认证平台暂不可用，请稍后再试或使用密码登录', en: 'The single sign-on provider is unavailable; try again later or sign in with a password' },
  DATABASE_UNAVAILABLE: { status: 503, 'zh-CN': '数据库暂不可用，请稍后再试', en: 'The database is unavailable, try again later' },
  INTERNAL_ERROR: { status: 500, 'zh-CN': '系统内部错误，已记录', en: 'Internal error; it has been logged' },
} as const satisfies Record<string, { status: number; 'zh-CN': string; en: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A message parameter: the same in every language, or one text per language. */
export type Param = string | number | { 'zh-CN': string; en: string };
export type Params = Record<string, Param>;

/**
 * A business or request error that maps to one code and HTTP status. `retryAfterSeconds`, when
 * given, is sent as the answer's `Retry-After` header (429 and 503 answers).
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Params = {},
    readonly retryAfterSeconds?: number,
  ) {
    super(`${code} ${JSON.stringify(params)}`);
    this.status = ERROR_CODES[code].status;
  }
}

/** The message of `code` in `lang` with `{name}` placeholders filled from `params`. */
export function translate(code: ErrorCode, lang: Lang, params: Params = {}): string {
  const template: string = ERROR_CODES[code][lang];
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    return v === undefined ? '' : typeof v === 'object' ? v[lang] : String(v);
  });
}

const negotiator = new Negotiator({ supportedValues: ['zh-CN', 'zh', 'en'] });

/**
 * Picks zh-CN or en from an `Accept-Language` header (RFC 9110 §12.5.4, with q-values, via
 * @fastify/accept-negotiator); zh-CN when absent or when neither is acceptable.
 */
export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh-CN';
  return negotiator.negotiate(acceptLanguage.replace(/\ben-[A-Za-z]+/g, 'en').replace(/\bzh-[A-Za-z]+/g, 'zh')) === 'en' ? 'en' : 'zh-CN';
}

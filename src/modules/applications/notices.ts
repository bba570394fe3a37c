/**
 * The wording of the notices and decisions an application's lifecycle issues (行政许可法
 * art. 32, 38, 42, 44, 45, 69), as inputs for {@link issueDocument}. Dates are Asia/Shanghai
 * calendar dates printed as 2026年9月30日.
 */
import { shanghaiDate } from '../../platform/calendar.js';
import type { IssueInput } from '../documents/service.js';
import type { applications } from './schema.js';

type ApplicationRow = typeof applications.$inferSelect;

/** `2026-09-30` → `2026年9月30日`. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function base(app: ApplicationRow) {
  return [
    { label: '申请编号', value: app.number },
    { label: '申请事项', value: `${app.itemName}（${app.itemCode}）` },
    { label: '申请人', value: app.applicantName },
    { label: '收到申请日期', value: chineseDate(shanghaiDate(app.receivedAt ?? app.submittedAt)) },
  ];
}

const unitText = (unit: string) => (unit === 'natural_day' ? '日' : unit === 'same_day' ? '' : '个工作日');

/** 受理通知书 (art. 32), with materials accepted as missing (容缺) and exempted ones listed. */
export function acceptanceNotice(app: ApplicationRow, p: { acceptedOn: string; dueDate: string | null; deemed?: boolean; departmentCode: string }): IssueInput {
  const limit =
    app.committedLimitDays === null
      ? '办理时限待核实，本机关将另行告知。'
      : app.committedLimitUnit === 'same_day' || app.committedLimitDays === 0
        ? '本事项当场办结。'
        : `本机关将自受理之日起${app.committedLimitDays}${unitText(app.committedLimitUnit)}内作出决定${p.dueDate ? `（${chineseDate(p.dueDate)}前）` : ''}；依法需要听证、检验、检测、鉴定或专家评审的，所需时间不计算在内。`;
  const paragraphs = [
    p.deemed
      ? `你（单位）提交的${app.itemName}申请，本机关自收到申请材料之日起五个工作日内未一次性告知补正，依照《中华人民共和国行政许可法》第三十二条，自收到申请材料之日起即为受理。`
      : `你（单位）提交的${app.itemName}申请，申请材料齐全、符合法定形式，依照《中华人民共和国行政许可法》第三十二条第一款第（五）项，本机关决定予以受理。`,
    limit,
  ];
  const entries = [
    ...app.pendingMaterials.map((m) => `${m.name}（容缺受理，须于${chineseDate(m.dueDate)}前补交；逾期未补交的，视为撤回申请）`),
    ...app.exemptedMaterials.map((m) => `${m.name}（免于提交：${m.basis}）`),
  ];
  return {
    kind: 'acceptance_notice',
    application: app,
    departmentCode: p.departmentCode,
    paragraphs,
    fields: [...base(app), { label: '受理日期', value: chineseDate(p.acceptedOn) }, ...(p.dueDate ? [{ label: '承诺办结日期', value: chineseDate(p.dueDate) }] : [])],
    list: entries.length ? { heading: '材料说明', entries } : undefined,
  };
}

/** 不予受理通知书 (art. 32): the reasons, and the applicant's remedies. */
export function nonAcceptanceNotice(app: ApplicationRow, reasons: string, departmentCode: string): IssueInput {
  return {
    kind: 'non_acceptance_notice',
    application: app,
    departmentCode,
    paragraphs: [
      `你（单位）提交的${app.itemName}申请，经审查，本机关决定不予受理。理由如下：${reasons}`,
      '如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。',
    ],
    fields: base(app),
  };
}

/** 补正材料通知书 — the one-time notice of every missing or defective material (art. 32(4)). */
export function supplementNotice(app: ApplicationRow, items: string, departmentCode: string): IssueInput {
  const entries = items
    .split(/[\n；;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    kind: 'supplement_notice',
    application: app,
    departmentCode,
    paragraphs: [
      `你（单位）提交的${app.itemName}申请，申请材料不齐全或者不符合法定形式。依照《中华人民共和国行政许可法》第三十二条第一款第（四）项，现一次性告知需要补正的全部内容（见下列清单）。`,
      '请按要求补正后重新提交；补正材料收到之日起，本机关在五个工作日内决定是否受理。',
    ],
    fields: base(app),
    list: { heading: '需补正的材料及内容', entries: entries.length ? entries : [items] },
  };
}

/** 延长审批期限告知书 (art. 42): ten more working days, approved by the head of the authority. */
export function extensionNotice(app: ApplicationRow, reasons: string, dueDate: string | null, departmentCode: string): IssueInput {
  return {
    kind: 'extension_notice',
    application: app,
    departmentCode,
    paragraphs: [
      `你（单位）申请的${app.itemName}，因${reasons}，在法定期限内不能作出决定。经本机关负责人批准，依照《中华人民共和国行政许可法》第四十二条第一款，审批期限延长十个工作日${dueDate ? `，延长后的办结日期为${chineseDate(dueDate)}` : ''}。`,
    ],
    fields: base(app),
  };
}

/** 特别程序告知书 (art. 45): the procedure, why, and that its time is not counted. */
export function specialProcedureNotice(app: ApplicationRow, kindName: string, reasons: string, from: string, departmentCode: string): IssueInput {
  return {
    kind: 'special_procedure_notice',
    application: app,
    departmentCode,
    paragraphs: [
      `你（单位）申请的${app.itemName}，依法需要进行${kindName}（${reasons}）。依照《中华人民共和国行政许可法》第四十五条，${kindName}所需时间不计算在审批期限内，自${chineseDate(from)}起暂停计时，${kindName}结束后恢复计时，本机关将及时告知。`,
    ],
    fields: base(app),
  };
}

/** 准予 / 不予行政许可决定书 (art. 37–38, 44). */
export function decisionDocument(app: ApplicationRow, p: { outcome: 'granted' | 'denied'; reasons: string; decidedOn: string; departmentCode: string; authority: string; deliveryDue: string }): IssueInput {
  const granted = p.outcome === 'granted';
  return {
    kind: granted ? 'grant_decision' : 'deny_decision',
    application: app,
    departmentCode: p.departmentCode,
    paragraphs: granted
      ? [
          `你（单位）申请的${app.itemName}，经审查，符合法定条件和标准。依照《中华人民共和国行政许可法》第三十八条第一款，本机关决定准予行政许可。${p.reasons ? `审查意见：${p.reasons}` : ''}`,
          `行政许可证件（结果）将于${chineseDate(p.deliveryDue)}前送达（第四十四条）。${p.authority}`,
        ]
      : [
          `你（单位）申请的${app.itemName}，经审查，不符合法定条件和标准。依照《中华人民共和国行政许可法》第三十八条第二款，本机关决定不予行政许可。理由如下：${p.reasons}`,
          `如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。${p.authority}`,
        ],
    fields: [...base(app), { label: '决定日期', value: chineseDate(p.decidedOn) }],
  };
}

/** 撤销行政许可决定书 (art. 69): a grant obtained by a false commitment. */
export function revocationDecision(app: ApplicationRow, reasons: string, revokedDecision: string | null, departmentCode: string): IssueInput {
  return {
    kind: 'revocation_decision',
    application: app,
    departmentCode,
    paragraphs: [
      `本机关${revokedDecision ? `作出的${revokedDecision}号准予行政许可决定` : '对你（单位）作出的准予行政许可决定'}，经核查：${reasons}。依照《中华人民共和国行政许可法》第六十九条第二款，本机关决定撤销该行政许可，并记录你（单位）的虚假承诺。`,
      '如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。',
    ],
    fields: base(app),
  };
}

/** 责令限期整改通知书: a failed post-approval check that can be corrected. */
export function correctionOrder(app: ApplicationRow, finding: string, dueDate: string, departmentCode: string): IssueInput {
  return {
    kind: 'correction_order',
    application: app,
    departmentCode,
    paragraphs: [
      `本机关依据你（单位）的承诺作出${app.itemName}准予行政许可决定后进行核查，发现：${finding}。`,
      `请于${chineseDate(dueDate)}前整改到位并报本机关核查；逾期未整改或整改后仍不符合条件的，本机关将依法撤销行政许可。`,
    ],
    fields: base(app),
  };
}

/** Display names of statuses and actions in both languages, for messages and documents. */
import type { Action, Status } from './transitions.js';

export const STATUS_LABELS: Record<Status, { 'zh-CN': string; en: string }> = {
  submitted: { 'zh-CN': '已提交', en: 'submitted' },
  supplement_requested: { 'zh-CN': '待补正', en: 'awaiting supplement' },
  rejected: { 'zh-CN': '不予受理', en: 'not accepted' },
  accepted: { 'zh-CN': '已受理', en: 'accepted' },
  reviewed: { 'zh-CN': '已审查', en: 'reviewed' },
  granted: { 'zh-CN': '准予许可', en: 'granted' },
  denied: { 'zh-CN': '不予许可', en: 'denied' },
  delivered: { 'zh-CN': '已送达', en: 'delivered' },
  withdrawn: { 'zh-CN': '已撤回', en: 'withdrawn' },
  revoked: { 'zh-CN': '已撤销许可', en: 'revoked' },
};

export const ACTION_LABELS: Record<Action, { 'zh-CN': string; en: string }> = {
  accept: { 'zh-CN': '受理', en: 'accept' },
  reject: { 'zh-CN': '不予受理', en: 'reject' },
  request_supplement: { 'zh-CN': '一次性告知补正', en: 'request a supplement' },
  supplement: { 'zh-CN': '补正材料', en: 'supplement' },
  review: { 'zh-CN': '审查', en: 'review' },
  grant: { 'zh-CN': '准予许可', en: 'grant' },
  deny: { 'zh-CN': '不予许可', en: 'deny' },
  deliver: { 'zh-CN': '送达', en: 'deliver' },
  withdraw: { 'zh-CN': '撤回申请', en: 'withdraw' },
  deem_accepted: { 'zh-CN': '逾期未告知补正，视为受理', en: 'deemed accepted (no supplement notice in time)' },
  provide_material: { 'zh-CN': '补交容缺材料', en: 'supply a material accepted as missing' },
  lapse: { 'zh-CN': '容缺材料逾期未补交，视为撤回', en: 'treated as withdrawn (material not supplied in time)' },
  opinion: { 'zh-CN': '出具联审意见', en: 'give a joint-review opinion' },
  pause_clock: { 'zh-CN': '启动特别程序（暂停计时）', en: 'start a special procedure (clock paused)' },
  resume_clock: { 'zh-CN': '特别程序结束（恢复计时）', en: 'end the special procedure (clock resumed)' },
  extend: { 'zh-CN': '批准延长十个工作日', en: 'extend the limit by 10 working days' },
  receive: { 'zh-CN': '在线签收', en: 'receive online' },
  revoke: { 'zh-CN': '撤销许可决定', en: 'revoke the decision' },
};

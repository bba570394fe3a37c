/**
 * Who reaches the verification, seal, chief-representative, authorisation, key-project and
 * commitment-check pages: the routes (App.tsx) and the navigation (AppShell) both read these.
 * The server decides in the end; these only keep people from pages they cannot use.
 */
import type { Role } from '../types';

/** 电子印章: the administrator rotates seals. */
export const SEAL_ROLES: readonly Role[] = ['admin'];
/** 首席代表: a department's signatory empowers for their department; the administrator for any. */
export const CHIEF_REP_ROLES: readonly Role[] = ['signatory', 'admin'];
/** 代办授权: applicants give authorisations; agents see whom they may act for. */
export const AUTHORIZATION_ROLES: readonly Role[] = ['citizen', 'enterprise', 'agent'];
/** 重点项目: its enterprise, its service officer (any staff, agents too), clerks and administrators. */
export const PROJECT_ROLES: readonly Role[] = ['enterprise', 'clerk', 'reviewer', 'signatory', 'admin', 'agent'];
/** 重点项目 in the menu at all times (other staff see it when they are a project's officer). */
export const PROJECT_NAV_ROLES: readonly Role[] = ['enterprise', 'clerk', 'admin'];
/** Who registers a key project. */
export const PROJECT_CREATORS: readonly Role[] = ['clerk', 'admin'];
/** 告知承诺核查: the deciding department's reviewers and signatories, and the administrator. */
export const CHECK_ROLES: readonly Role[] = ['reviewer', 'signatory', 'admin'];
/** 我的证照: the holders of electronic licences (the wallet answers citizens and enterprises only). */
export const LICENSE_WALLET_ROLES: readonly Role[] = ['citizen', 'enterprise'];
/**
 * 电子证照管理: the administrator imports and changes any licence's status; a signatory changes the
 * status of the licences their department issues. Both see the 免证办 usage report.
 */
export const LICENSE_ADMIN_ROLES: readonly Role[] = ['admin', 'signatory'];
/** 机器访问令牌: the administrator issues and revokes the access tokens of kiosks and partner systems. */
export const API_TOKEN_ROLES: readonly Role[] = ['admin'];
/** 统计分析: every staff role (the server limits each to the cases it may see). */
export const STATS_ROLES: readonly Role[] = ['clerk', 'reviewer', 'signatory', 'admin'];

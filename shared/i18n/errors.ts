// The people-facing text of every error code, in zh-CN (the default) and en.
// Placeholders in braces are filled from the error's details.
import { qualityRules } from '../quality/rules';
import type { ErrorCode } from '../errors';
import { permissionRefusal } from './access';
import { fieldsInWords } from './fields';

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];

export const errorMessages: Record<Locale, Record<ErrorCode, string>> = {
  'zh-CN': {
    SECRET_STORE_UNAVAILABLE:
      '无法访问操作系统密钥库（{backend}）。请在已登录的桌面会话中运行，或联系科技运维检查密钥库服务。',
    SECRET_STORE_NOT_PERSISTENT:
      '操作系统密钥库不是持久化存储（{backend}），重启后密钥会丢失，BranchDesk 拒绝使用。请启用持久化的密钥库。',
    SECRET_STORE_FAILED: '操作系统密钥库操作失败（{operation}）。',
    VAULT_NOT_FOUND:
      '数据目录 {dataDir} 中没有 BranchDesk 档案。请先运行 branchctl init 或登记设备。',
    VAULT_ALREADY_EXISTS: '数据目录 {dataDir} 中已有档案，不会覆盖。',
    VAULT_METADATA_INVALID: '档案描述文件 {file} 无法读取或格式不正确，保险库未被修改。',
    VAULT_DATABASE_MISSING:
      '档案 {profileId} 的数据库文件不存在。请重新登记设备，数据将从总行重新同步。',
    VAULT_KEY_MISSING:
      '密钥库中找不到档案 {profileId} 的密钥，保险库无法打开，文件未被修改。请重新登记设备，数据将从总行重新同步。',
    VAULT_KEY_WRONG:
      '密钥库中的密钥无法解密档案 {profileId} 的数据库（密钥错误或文件首页损坏），文件未被修改。请重新登记设备。',
    VAULT_NOT_A_DATABASE: '文件 {file} 不是 BranchDesk 加密数据库，文件未被修改。',
    VAULT_PLAINTEXT: '文件 {file} 是未加密的数据库，BranchDesk 拒绝使用明文存储。',
    VAULT_CORRUPT: '数据库完整性检查失败：{problem}。文件未被修改，请联系科技运维。',
    VAULT_PROFILE_MISMATCH:
      '数据库属于另一个档案（{actual}），与 vault.json 中的 {expected} 不符。',
    VAULT_TOO_NEW: '数据库版本 {found} 高于本程序支持的版本 {supported}，请升级 BranchDesk。',
    VAULT_MIGRATION_FAILED: '数据库升级到版本 {version} 失败，已回滚，数据未被修改。',
    VAULT_BUSY: '数据库正被另一个进程使用，请稍后重试。',
    VAULT_INTERRUPTED:
      '档案 {profileId} 有一次被中断的写入等待回滚。正常打开保险库（启动应用或运行 branchctl rekey 以外的写操作）即可自动恢复。',
    VAULT_NOT_OPEN: '此操作需要打开保险库（请指定 --data-dir）。',
    CUSTOMER_NOT_FOUND: '找不到该客户。',
    CUSTOMER_INVALID: '客户资料不正确：{issues}',
    CUSTOMER_DUPLICATE_DOCUMENT: '该证件已属于客户 {customerNumber}，不能重复建档。',
    CUSTOMER_VERSION_CONFLICT:
      '客户资料已被他人修改（当前版本 {current}，您的修改基于版本 {base}），请刷新后重试。',
    CUSTOMER_FIELD_READ_ONLY: '字段 {field} 由总行维护，网点不能修改。',
    CUSTOMER_APPEND_ONLY: '{field} 是只增不改的记录，只能新增条目，不能修改或删除已有条目。',
    CUSTOMER_FIELD_ABSENT: '该客户没有可显示的{field}（第 {index} 项）。',
    CUSTOMER_TASK_NOT_FOUND: '该客户没有这项任务，可能已被他人删除。请重新打开客户后再试。',
    CUSTOMER_RESTRICTED:
      '该客户的个人信息已被总行限制处理（个人信息保护法第四十七条）：仅予保存，不能查看明文或修改；客户撤回授权仍可办理。',
    CUSTOMER_ERASED:
      '该客户的个人信息已按本人申请或保存期限届满被总行删除（个人信息保护法第四十七条），无法再办理任何业务。',
    HQ_SESSION_REQUIRED: '请先以总行隐私专员身份登录总行（须联网）。',
    COSIGNER_INVALID: '复核主管须是本网点的另一位主管，并在本机以自己的账号、密码和动态口令确认。',
    LEGAL_HOLD_NOT_FOUND: '没有这项仍然有效的司法或调查保全（编号 {holdId}），可能已经解除。',
    CONSENT_LEDGER_ONLY:
      '授权与同意只能逐项办理授权或撤回（记录渠道、告知版本和凭证），不能作为资料直接修改。',
    CONSENT_EXPIRY_PAST: '授权到期日 {expiresOn} 不能早于或等于今天 {today}。',
    MERGE_NOT_FOUND: '找不到合并申请 {mergeId}。',
    MERGE_NOT_PENDING: '这项合并申请已经处理过了（已合并、已拒绝或已撤销合并），请刷新列表。',
    MERGE_OWN_PROPOSAL: '不能复核自己提出的合并申请，请由另一位主管或总行人员复核。',
    MERGE_REFUSED: '不能合并这两位客户：{why}。',
    MERGE_NEEDS_HQ: '合并客户由总行执行：需要连接总行并以本人账号在线登录。',
    CUSTOMER_MERGED: '该客户已合并到客户 {customerNumber}，请打开合并后的客户。',
    UNMERGE_PERIOD_OVER: '合并已超过可撤销期限（{until}），不能再撤销合并。',
    UNMERGE_REFUSED: '不能撤销这次合并：{why}。',
    QUALITY_PROBLEM_REMAINS:
      '客户资料仍有这个问题（{problem}），请先与客户核实并更正后再完成任务。',
    APPROVAL_NOT_FOUND: '找不到待复核的修改 {changeId}。',
    APPROVAL_NOT_PENDING: '这项修改已经处理过了（批准、拒绝或退回重新提交），请刷新列表。',
    APPROVAL_OWN_CHANGE: '不能复核自己提交的修改 {changeId}，请由另一位主管复核。',
    APPROVAL_NEEDS_HQ: '复核身份信息修改需要连接总行并以本人账号在线登录，总行须记录这次复核。',
    APPROVAL_NEEDS_REDO:
      '提交这项修改后，客户的{fields}已被改动，不能再按原内容批准。已退回提交人，请其按现在的资料重新提交。',
    CONFLICT_NOT_FOUND: '找不到冲突 {conflictId}。',
    CONFLICT_ALREADY_RESOLVED: '冲突 {conflictId} 已经处理过了。',
    HQ_DATA_BUSY:
      '总行数据目录 {dataDir} 正被进程 {pid} 使用。内嵌数据库一次只允许一个进程：请先停止该进程，或使用 DATABASE_URL 连接 PostgreSQL。',
    BRANCH_NOT_FOUND: '网点 {branchId} 不存在。',
    RM_NOT_FOUND: '该网点没有客户经理 {rmId}。',
    DEVICE_NOT_FOUND: '设备 {deviceId} 不存在。',
    ENROLLMENT_CODE_INVALID: '登记码无效、已使用或已过期，请向科技运维申请新的登记码。',
    DEVICE_UNAUTHENTICATED: '设备凭据无效，请重新登记设备。',
    DEVICE_REVOKED:
      '此设备已被总行停用：本机的数据已清除，任何人都不能再在此登录。请联系科技运维。',
    DEVICE_ALREADY_ENROLLED: '档案 {profileId} 已登记到总行，不能重复登记。',
    DEVICE_NOT_ENROLLED: '档案 {profileId} 尚未登记到总行，请先运行 branchctl enroll。',
    HQ_UNREACHABLE: '无法连接总行（{reason}），请检查网络，稍后重试。',
    HQ_PROTOCOL_ERROR: '总行的应答无法识别（状态 {status}），请联系科技运维。',
    HQ_UNAVAILABLE: '总行服务暂时不可用（状态 {status}），修改已保存在本机，稍后自动重试。',
    RATE_LIMITED: '请求过于频繁，请 {retryAfterSeconds} 秒后再试。',
    ADMIN_UNAUTHENTICATED: '总行管理接口需要已登录的总行人员会话，请登录。',
    LOGIN_FAILED: '用户名、密码或动态口令不正确（再错 {remaining} 次将锁定 15 分钟）。',
    UNLOCK_FAILED: '密码不正确（再错 {remaining} 次将锁定 15 分钟）。',
    ACCOUNT_LOCKED: '登录失败次数过多，账户已锁定至 {until}。',
    USER_DISABLED: '此用户已被总行停用，请联系支行主管。',
    USER_NOT_AT_BRANCH: '此用户不属于本设备登记的支行（{branchId}）。',
    USER_NOT_FOUND: '总行没有用户 {username}。',
    USER_EXISTS: '用户名 {username} 已存在。',
    SESSION_REQUIRED: '请先登录。',
    SESSION_LOCKED: '会话已锁定，请输入密码解锁。',
    SESSION_UNAUTHENTICATED: '总行会话无效或已过期，请重新登录。',
    SESSION_REVOKED: '总行已停用此用户，会话已结束。',
    OFFLINE_LOGIN_UNAVAILABLE:
      '无法连接总行，且此用户尚未在本设备联机登录过（或密码已在总行重置），不能离线登录。',
    OFFLINE_WINDOW_EXPIRED: '距上次联机登录已超过 {hours} 小时，请连接总行后登录。',
    CLOCK_ROLLED_BACK: '本机时钟早于此前记录的时间（{latest}），请校正系统时间后再离线登录。',
    AUDIT_KEY_UNKNOWN: '总行没有此设备的审计签名公钥，请重新登记设备。',
    AUDIT_SIGNATURE_INVALID: '审计日志批次的签名无效，总行已标记此设备。',
    AUDIT_CHAIN_BROKEN: '审计日志在第 {seq} 条断链（{problem}），总行已标记此设备。',
    AUDIT_RESUME:
      '总行的审计副本止于第 {seq} 条（总行数据库已从备份恢复），本设备将从该处重新上传。',
    AUDIT_CUSTOMER_UNKNOWN:
      '本机没有客户号或证件号码与此相符的客户。请输入完整的客户号（C 加 10 位数字）或证件号码。',
    AUDIT_RANGE_BACKWARDS: '开始日期晚于结束日期，请调整日期范围。',
    EXTRACT_NOT_ANONYMOUS:
      '数据集未写出：有 {rows} 行的准标识组合出现少于 {k} 次，可能识别到个人。',
    NOTICE_VERSION_TAKEN:
      '隐私政策版本 {version} 已以不同内容发布；已发布的版本不可更改，请使用新的版本号。',
    NOTICE_NOT_FOUND: '本机没有隐私政策版本 {version}。',
    CAMPAIGN_NOT_FOUND: '本机没有营销活动 {campaignId}。',
    CAMPAIGN_NOT_RUNNING: '营销活动 {campaignId} 不在活动期内。',
    CAMPAIGN_NOT_ELIGIBLE:
      '该客户不在营销活动 {campaignId} 的名单上（未授权该渠道、本月联系已达上限或已要求不再联系），未记录。',
    SUGGESTION_NOT_ANSWERABLE:
      '合规事项（尽调复核、身份证件）不能标记已办或忽略：办理复核或更新证件后，建议自动消失。',
    FIELD_HAS_OWN_COMMAND:
      '“{field}”须通过专门的办理流程登记（如尽调复核、营销联系、评级调整），不能直接修改。',
    SUGGESTION_NOT_FOUND:
      '该客户当前没有这条建议（可能已处理或情况已变化），未记录。请刷新后再试。',
    CUSTOMER_SCREEN_REQUIRED:
      '只有客户本人在客户确认屏上确认后才能这样记录；没有确认屏时请使用纸质授权书并填写编号。',
    VISIT_NOT_FOUND: '该客户没有这次到访记录（{visitId}），未记录评价。',
    COUNTER_NO_DISPLAY: '本机没有连接客户确认屏。请打开客户确认屏后再试，或改用纸质授权书。',
    COUNTER_BUSY: '客户确认屏正在处理另一项请求，请先完成或取消它。',
    COUNTER_REQUEST_GONE: '这项请求已不在客户确认屏上（已完成、已取消，或柜员已锁屏、退出）。',
    COUNTER_NOTHING_TO_APPROVE: '客户尚未提交更新，没有可审核的内容。',
    DISPLAY_COMMAND_REFUSED: '客户确认屏只能进行确认、填写和评价，其他操作一律拒绝。',
    COMPLAINT_CATEGORY_UNKNOWN: '投诉分类“{category}”不在总行公布的分类中，未登记。',
    COMPLAINT_NOT_FOUND: '该客户没有这条投诉或建议（{complaintId}）。',
    COMPLAINT_STEP_INVALID: '投诉处于“{from}”状态，不能转为“{to}”。',
    HQ_ENVIRONMENT_MISMATCH:
      '培训环境与生产环境不能互通：该总行是“{environment}”环境，与本机配置不符，已拒绝连接。',
    TRAINING_ONLY: '培训练习只能在培训模式下进行。',
    TRAINING_RUN_NOT_FOUND: '没有这次练习记录（可能属于其他员工）。',
    RULE_VERSION_TAKEN:
      '规则表版本 {version} 已以不同内容发布；已发布的版本不可更改，请使用新的版本号。',
    OUTPUT_FILE_EXISTS: '文件 {path} 已存在，未覆盖。请指定新的文件名。',
    INPUT_INVALID: '输入不正确：{issues}',
    COMMAND_UNKNOWN: '未知命令：{command}',
    PERMISSION_DENIED: '{permission}',
    INTERNAL: '内部错误，请联系科技运维。',
  },
  en: {
    SECRET_STORE_UNAVAILABLE:
      'The OS keychain ({backend}) cannot be reached. Run inside a logged-in desktop session, or ask IT to check the keychain service.',
    SECRET_STORE_NOT_PERSISTENT:
      'The OS keychain ({backend}) is not a persistent store: keys would be lost on reboot, so BranchDesk refuses to use it. Enable a persistent keychain.',
    SECRET_STORE_FAILED: 'An OS keychain operation failed ({operation}).',
    VAULT_NOT_FOUND:
      'There is no BranchDesk profile in {dataDir}. Run branchctl init or enroll the device first.',
    VAULT_ALREADY_EXISTS: 'A profile already exists in {dataDir}; it will not be overwritten.',
    VAULT_METADATA_INVALID:
      'The profile descriptor {file} is unreadable or malformed; the vault was not touched.',
    VAULT_DATABASE_MISSING:
      'The database of profile {profileId} is missing. Re-enroll the device; its data will sync again from HQ.',
    VAULT_KEY_MISSING:
      'The keychain holds no key for profile {profileId}, so the vault cannot be opened; the file was not touched. Re-enroll the device; its data will sync again from HQ.',
    VAULT_KEY_WRONG:
      'The key in the keychain does not decrypt the database of profile {profileId} (wrong key, or its first page is damaged); the file was not touched. Re-enroll the device.',
    VAULT_NOT_A_DATABASE:
      '{file} is not a BranchDesk encrypted database; the file was not touched.',
    VAULT_PLAINTEXT: '{file} is an unencrypted database; BranchDesk refuses plaintext storage.',
    VAULT_CORRUPT:
      'The database failed its integrity check: {problem}. The file was not touched; contact IT.',
    VAULT_PROFILE_MISMATCH:
      'The database belongs to another profile ({actual}), not {expected} named in vault.json.',
    VAULT_TOO_NEW:
      'The database is at version {found}, newer than the {supported} this build supports. Upgrade BranchDesk.',
    VAULT_MIGRATION_FAILED:
      'Upgrading the database to version {version} failed and was rolled back; no data changed.',
    VAULT_BUSY: 'The database is in use by another process; try again shortly.',
    VAULT_INTERRUPTED:
      'Profile {profileId} has an interrupted write waiting to be rolled back. Opening the vault normally (starting the app) recovers it automatically.',
    VAULT_NOT_OPEN: 'This needs an open vault (give --data-dir).',
    CUSTOMER_NOT_FOUND: 'No such customer.',
    CUSTOMER_INVALID: 'The customer record is not valid: {issues}',
    CUSTOMER_DUPLICATE_DOCUMENT:
      'That identity document already belongs to customer {customerNumber}; a second record is refused.',
    CUSTOMER_VERSION_CONFLICT:
      'The customer was changed meanwhile (now version {current}, your change was made on version {base}). Reload and try again.',
    CUSTOMER_FIELD_READ_ONLY:
      'The field {field} is maintained by HQ and cannot be changed at the branch.',
    CUSTOMER_APPEND_ONLY:
      '{field} is a history: entries can be added, but existing ones cannot be changed or removed.',
    CUSTOMER_FIELD_ABSENT: 'This customer has no {field} number {index} to show.',
    CUSTOMER_TASK_NOT_FOUND:
      'This customer has no such task; someone may have removed it. Open the customer again and retry.',
    CUSTOMER_RESTRICTED:
      "HQ has restricted the processing of this customer's data (PIPL Art. 47): it is only kept; it cannot be revealed or changed. A withdrawal of consent can still be recorded.",
    CUSTOMER_ERASED:
      "HQ has erased this customer's personal information, at their request or when its retention period ended (PIPL Art. 47); nothing more can be done with it.",
    HQ_SESSION_REQUIRED: 'Sign in to HQ as a privacy officer first (online only).',
    COSIGNER_INVALID:
      'The co-signer must be another supervisor of this branch, confirming on this PC with their own username, password and code.',
    LEGAL_HOLD_NOT_FOUND: 'There is no legal hold {holdId} in force; it may have been released.',
    CONSENT_LEDGER_ONLY:
      'Consents change only by granting or withdrawing one purpose at a time (with its channel, notice version and evidence), not as an edit of the record.',
    CONSENT_EXPIRY_PAST:
      'A consent cannot lapse on {expiresOn}: that is not after today ({today}).',
    MERGE_NOT_FOUND: 'There is no merge request {mergeId}.',
    MERGE_NOT_PENDING:
      'This merge request has already been decided (merged, rejected or unmerged); refresh the list.',
    MERGE_OWN_PROPOSAL:
      'You cannot approve a merge you proposed: another supervisor or HQ must check it.',
    MERGE_REFUSED: 'These two customers cannot be merged: {why}.',
    MERGE_NEEDS_HQ: 'HQ performs merges: connect to HQ and sign in online with your own account.',
    CUSTOMER_MERGED: 'This customer was merged into customer {customerNumber}; open that one.',
    UNMERGE_PERIOD_OVER: 'The merge can no longer be undone: its period ended on {until}.',
    UNMERGE_REFUSED: 'This merge cannot be undone: {why}.',
    QUALITY_PROBLEM_REMAINS:
      'The record still has this problem ({problem}): confirm or correct it with the customer first.',
    APPROVAL_NOT_FOUND: 'There is no change {changeId} waiting for approval.',
    APPROVAL_NOT_PENDING:
      'This change has already been decided (approved, rejected or sent back to redo); refresh the list.',
    APPROVAL_OWN_CHANGE:
      'You cannot approve your own change {changeId}: another supervisor must check it.',
    APPROVAL_NEEDS_HQ:
      'Approving an identity change needs HQ: sign in online with your own account, so HQ records the approval.',
    APPROVAL_NEEDS_REDO:
      "The customer's {fields} changed after this change was made, so it cannot be approved as it stands. It goes back to its maker to make again on the current record.",
    CONFLICT_NOT_FOUND: 'There is no conflict {conflictId}.',
    CONFLICT_ALREADY_RESOLVED: 'Conflict {conflictId} has already been resolved.',
    HQ_DATA_BUSY:
      'The HQ data folder {dataDir} is in use by process {pid}. The embedded database allows one process at a time: stop it first, or use DATABASE_URL with PostgreSQL.',
    BRANCH_NOT_FOUND: 'There is no branch {branchId}.',
    RM_NOT_FOUND: 'The branch has no relationship manager {rmId}.',
    DEVICE_NOT_FOUND: 'There is no device {deviceId}.',
    ENROLLMENT_CODE_INVALID:
      'The enrollment code is wrong, already used or expired; ask IT for a new one.',
    DEVICE_UNAUTHENTICATED: 'The device credential is not valid; enroll the device again.',
    DEVICE_REVOKED:
      'HQ has revoked this device: its data here has been wiped and nobody can sign in on it again. Contact IT.',
    DEVICE_ALREADY_ENROLLED: 'Profile {profileId} is already enrolled with HQ.',
    DEVICE_NOT_ENROLLED:
      'Profile {profileId} is not enrolled with HQ yet; run branchctl enroll first.',
    HQ_UNREACHABLE: 'HQ cannot be reached ({reason}); check the network and try again.',
    HQ_PROTOCOL_ERROR:
      'HQ answered in a way this build does not understand (status {status}); contact IT.',
    HQ_UNAVAILABLE:
      'HQ is temporarily unavailable (status {status}). Changes are kept on this PC and retried automatically.',
    RATE_LIMITED: 'Too many requests; try again in {retryAfterSeconds} seconds.',
    ADMIN_UNAUTHENTICATED: "HQ's admin API needs a signed-in HQ staff session; sign in.",
    LOGIN_FAILED:
      'Wrong username, password or one-time code ({remaining} more failures lock the account for 15 minutes).',
    UNLOCK_FAILED: 'Wrong password ({remaining} more failures lock the account for 15 minutes).',
    ACCOUNT_LOCKED: 'Too many failed sign-ins: the account is locked until {until}.',
    USER_DISABLED: 'HQ has disabled this user; ask your branch supervisor.',
    USER_NOT_AT_BRANCH:
      'This user does not belong to the branch this device is enrolled to ({branchId}).',
    USER_NOT_FOUND: 'HQ has no user {username}.',
    USER_EXISTS: 'The username {username} is taken.',
    SESSION_REQUIRED: 'Sign in first.',
    SESSION_LOCKED: 'The session is locked; enter your password to unlock it.',
    SESSION_UNAUTHENTICATED: 'The HQ session is invalid or has expired; sign in again.',
    SESSION_REVOKED: 'HQ has disabled this user; the session has ended.',
    OFFLINE_LOGIN_UNAVAILABLE:
      'HQ cannot be reached and this user has not signed in online on this device (or HQ reset the password), so offline sign-in is not possible.',
    OFFLINE_WINDOW_EXPIRED:
      'More than {hours} hours since the last online sign-in; connect to HQ to sign in.',
    CLOCK_ROLLED_BACK:
      "This PC's clock is earlier than a time it has already seen ({latest}); correct the system time before signing in offline.",
    AUDIT_KEY_UNKNOWN: 'HQ holds no audit signing key for this device; enroll the device again.',
    AUDIT_SIGNATURE_INVALID: 'The audit batch signature is invalid; HQ has flagged this device.',
    AUDIT_CHAIN_BROKEN:
      'The audit chain breaks at entry {seq} ({problem}); HQ has flagged this device.',
    AUDIT_RESUME:
      "HQ's copy of the audit log ends at entry {seq} (HQ was restored from a backup); this device uploads again from there.",
    AUDIT_CUSTOMER_UNKNOWN:
      'No customer on this device has that customer number or ID number. Type a whole customer number (C and 10 digits) or ID number.',
    AUDIT_RANGE_BACKWARDS: 'The start date is after the end date: change the date range.',
    EXTRACT_NOT_ANONYMOUS:
      'Nothing was written: {rows} rows have a combination of quasi-identifiers that occurs fewer than {k} times and could identify a person.',
    NOTICE_VERSION_TAKEN:
      'Privacy notice version {version} was published with different text; a published version never changes. Use a new version.',
    NOTICE_NOT_FOUND: 'This device holds no privacy notice version {version}.',
    CAMPAIGN_NOT_FOUND: 'This device holds no campaign {campaignId}.',
    CAMPAIGN_NOT_RUNNING: 'Campaign {campaignId} is not running today.',
    CAMPAIGN_NOT_ELIGIBLE:
      'The customer is not on the call list of campaign {campaignId} (no consent for its channel, the month’s cap reached, or asked not to be contacted again); nothing was recorded.',
    SUGGESTION_NOT_ANSWERABLE:
      'A compliance suggestion (the KYC review, the identity document) cannot be marked done or dismissed: it goes once the review is recorded or the document updated.',
    FIELD_HAS_OWN_COMMAND:
      '“{field}” is recorded through its own step (a KYC review, a campaign contact, a rating change), never edited directly.',
    SUGGESTION_NOT_FOUND:
      'The customer has no such suggestion now (answered already, or things changed); nothing was recorded. Refresh and try again.',
    CUSTOMER_SCREEN_REQUIRED:
      'Only the customer, confirming on the customer screen, can have this recorded; without a customer screen use a signed paper form and its reference.',
    VISIT_NOT_FOUND: 'The customer has no such visit ({visitId}); no rating was recorded.',
    COUNTER_NO_DISPLAY:
      'No customer screen is connected to this PC. Open it and try again, or use a signed paper form.',
    COUNTER_BUSY:
      'The customer screen is busy with another request; finish or cancel that one first.',
    COUNTER_REQUEST_GONE:
      'That request is no longer on the customer screen (finished, cancelled, or the desk locked or signed out).',
    COUNTER_NOTHING_TO_APPROVE:
      'The customer has not submitted an update; there is nothing to approve.',
    DISPLAY_COMMAND_REFUSED:
      'The customer screen may only confirm, fill in and rate; anything else is refused.',
    COMPLAINT_CATEGORY_UNKNOWN:
      'The category “{category}” is not one HQ published; nothing was recorded.',
    COMPLAINT_NOT_FOUND: 'The customer has no such complaint or suggestion ({complaintId}).',
    COMPLAINT_STEP_INVALID: 'A complaint that is “{from}” cannot become “{to}”.',
    HQ_ENVIRONMENT_MISMATCH:
      'Training and production never meet: that HQ is a “{environment}” HQ, not of this profile’s kind; refused.',
    TRAINING_ONLY: 'Exercises run in a training profile only.',
    TRAINING_RUN_NOT_FOUND: 'No such exercise try (it may be another member of staff’s).',
    RULE_VERSION_TAKEN:
      'Rule table version {version} was published with a different body; a published version never changes. Use a new version.',
    OUTPUT_FILE_EXISTS: 'The file {path} exists and was not overwritten. Name a new file.',
    INPUT_INVALID: 'Invalid input: {issues}',
    COMMAND_UNKNOWN: 'Unknown command: {command}',
    PERMISSION_DENIED: '{permission}',
    INTERNAL: 'Internal error; contact IT.',
  },
};

/**
 * Details worded for people rather than copied into the message: a permission's name becomes a
 * sentence saying what the role may not do (`PERMISSION_DENIED`'s whole message).
 */
export const detailWords: Partial<Record<string, (value: unknown, locale: Locale) => string>> = {
  permission: permissionRefusal,
  // Customer fields, comma-separated in the details: in words, never their internal names.
  fields: (value, locale) => fieldsInWords(String(value).split(','))[locale],
  // A data quality rule, in words.
  problem: (value, locale) =>
    qualityRules.find((rule) => rule.id === String(value))?.words[locale] ?? String(value),
  // Why HQ refused a merge or an unmerge, by its code.
  why: (value, locale) => mergeRefusalWords[String(value)]?.[locale] ?? String(value),
};

const mergeRefusalWords: Record<string, Record<Locale, string>> = {
  kind_differs: {
    'zh-CN': '一位是个人客户，一位是单位客户',
    en: 'one is a person, the other a company',
  },
  restricted: {
    'zh-CN': '其中一位客户的个人信息处理受限',
    en: "one customer's data is restricted",
  },
  not_in_scope: {
    'zh-CN': '客户不在本网点的范围内',
    en: "a customer is outside this branch's scope",
  },
  already_merged: {
    'zh-CN': '其中一位客户已被合并',
    en: 'a customer has already been merged away',
  },
  pending: {
    'zh-CN': '这两位客户已有一项待复核的合并申请',
    en: 'a merge of these customers is already waiting for approval',
  },
  merged_again: {
    'zh-CN': '保留的客户此后又被合并到其他客户，请先撤销那次合并',
    en: 'the survivor has since been merged into another customer; undo that merge first',
  },
  inconsistent: {
    'zh-CN': '合并后的资料前后不一致（例如证件与出生日期、性别不符），请重新选择保留的取值',
    en: 'the united record would contradict itself (a document that does not fit the birth date or gender); choose the values again',
  },
  document_taken: {
    'zh-CN': '被合并客户的证件此后已登记在其他客户名下，请先核实处理',
    en: "one of the other record's documents now belongs to another customer; sort that out first",
  },
  later_merge: {
    'zh-CN': '保留的客户此后又合并了其他客户，请先撤销较晚的合并',
    en: 'a later merge into the survivor must be undone first',
  },
};

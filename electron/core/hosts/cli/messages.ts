// branchctl's own words, in zh-CN and en.
import type { Locale } from '../../../../shared/i18n/errors';

export const cliMessages = {
  'zh-CN': {
    usage: `用法：branchctl <命令> [选项]

命令：
  init     创建新档案：在操作系统密钥库中生成随机密钥，并建立空的加密保险库
  doctor   只读检查档案：密钥库、密钥、完整性、结构版本与安全设置
  rekey    轮换保险库密钥（崩溃安全）
  enroll --hq URL --code CODE [--device-name N] [--training]
                               用一次性登记码把本设备登记到总行
  device status                向总行查询本设备；已停用的设备会清除本地保险库
  sync [--page-size N] [--initial-sync snapshot|feed]
                               同步：上传本地修改，拉取本网点范围内的变更（中断后从上一页继续）；
                               首次同步默认整体载入快照，feed 为逐条回放变更
  sync status                  本地同步状态
  conflicts [--all]            待处理的身份信息冲突（--all 含已处理）
  conflicts show <编号>         并列显示冲突的原值、本地值和总行值
  conflicts resolve <编号> --take local|hq|value [--file F]
                               处理冲突：保留总行值、采用本地值，或录入新值（F 为 JSON）
  rejected                     被总行拒绝的修改及原因
  customer search <查询>        按证件号、手机号、账号、客户号、姓名或拼音查找客户
  customer show <客户号|id>     显示客户完整资料
  customer create --file F     新建客户（F 为 JSON，- 表示标准输入）
  customer update <id> --base-version N --file F
                               修改客户字段（F 为要修改的字段 JSON）
  duplicates                   列出疑似重复客户
  verify-audit                 校验审计日志的哈希链；发现被修改、删除、调换或截断的记录时以 1 退出
  audit export [--from 日期] [--to 日期] [--customer ID]
                               导出审计记录（JSON 行）
  help     显示本帮助

选项：
  --data-dir DIR   档案所在目录（默认：$BRANCHDESK_DATA_DIR 或系统数据目录）
  --json           输出机器可读的 JSON
  --lang zh-CN|en  输出语言（默认 zh-CN）
  --limit N, --offset N  结果数量与偏移（customer search, duplicates）

退出码：0 成功；1 操作失败或档案不健康；2 用法错误。`,
    initDone:
      '已创建档案 {profileId}\n  目录：{dataDir}\n  密钥保存在操作系统密钥库：服务 BranchDesk，账户 {keyAccount}',
    rekeyDone: '已轮换档案 {profileId} 的密钥（{rotatedAt}）',
    healthy: '结论：健康',
    unhealthy: '结论：不健康',
    noProfile: '（无档案）',
    error: '错误',
    enrolled:
      '已登记：设备 {deviceId}，网点 {branchName}（{branchId}），总行 {hqUrl}\n  设备凭据保存在操作系统密钥库',
    deviceStatus: '设备 {deviceId}（网点 {branchId}）状态：{status}',
    deviceWiped: '总行已停用设备 {deviceId}：本地保险库已清除（密钥已从密钥库删除，文件已删除）',
    syncDone:
      '同步完成：上传 {pushed}（生效 {applied}，拒绝 {rejected}，字段未生效 {rejectedFields}，冲突 {conflicts}）；快照载入 {loaded}，新增 {inserted}，更新 {updated}，移出 {removed}，待上传后移出 {keptLocal}，已清除 {evicted}（{pages} 页，游标 {cursor}）',
    syncStatus:
      '网点 {branchId}：本地客户 {customers}，待上传修改 {outbox}，被拒绝 {rejected}，待处理冲突 {openConflicts}，游标 {cursor}，上次同步 {lastSyncAt}',
    conflictLine: '#{id}  客户 {customerNumber}  字段 {field}  {state}',
    conflictOpen: '待处理',
    conflictResolved: '已处理（{resolution}）',
    conflictCount: '共 {count} 个冲突',
    conflictDetail:
      '冲突 #{id}：客户 {customerNumber}，字段 {field}\n  原值：{base}\n  本地：{local}\n  总行：{hq}（版本 {hqVersion}）\n  状态：{state}',
    conflictResolvedDone: '冲突 #{id} 已处理：{resolution}',
    rejectedLine: '{decidedAt}  客户 {customerId}  {field}：{reason}',
    rejectedCount: '共 {count} 条被拒绝的修改',
    wholeChange: '整条修改',
    searchCount: '共 {count} 条结果',
    searchTruncated: '显示 {count} 条，匹配过多，请输入更完整的查询',
    customerCreated: '已创建客户 {customerNumber}（{id}，版本 {version}）',
    customerUpdated: '已修改客户 {customerNumber}（版本 {version}）',
    probableDuplicate: '  注意：疑似重复客户 {customerNumber}（{reason}）',
    duplicateGroups: '共 {count} 组疑似重复',
    auditIntact: '审计日志完整：已校验 {checked} 条，链头 #{seq}',
    auditBroken: '审计日志已被篡改：第 {seq} 条起不可信（{problem}）；之前 {checked} 条完好',
    verbNotInstalled:
      '已安装的应用中 branchctl 只做设备维护（enroll、doctor、sync、device、verify-audit、rekey），不能执行“{verb}”：客户资料请在工作台登录后处理。',
  },
  en: {
    usage: `Usage: branchctl <command> [options]

Commands:
  init     Create a new profile: a random key in the OS keychain and an empty encrypted vault
  doctor   Check a profile read-only: keychain, key, integrity, schema version and safety settings
  rekey    Rotate the vault key (crash-safe)
  enroll --hq URL --code CODE [--device-name N] [--training]
                                Enroll this device with HQ using a one-time code
  device status                 Ask HQ about this device; a revoked device wipes its vault
  sync [--page-size N] [--initial-sync snapshot|feed]
                                Sync: push local edits, pull HQ's changes to this branch's scope (resumes where it stopped);
                                a first sync loads a snapshot of the whole scope (feed: replay every change instead)
  sync status                   Local sync state
  conflicts [--all]             Identity conflicts waiting for a person (--all: resolved ones too)
  conflicts show <n>            One conflict: base, local and HQ values side by side
  conflicts resolve <n> --take local|hq|value [--file F]
                                Resolve: keep HQ's value, take the local one, or enter another (F: JSON)
  rejected                      Changes HQ refused, and why
  customer search <query>       Find customers by ID, phone, account or customer number, name or pinyin
  customer show <number|id>     Show one customer, whole
  customer create --file F      Create a customer (F is JSON; - reads standard input)
  customer update <id> --base-version N --file F
                                Change fields of a customer (F holds the changed fields as JSON)
  duplicates                    List probable duplicate customers
  verify-audit                  Check the audit log's hash chain; exits 1 on any edited,
                                removed, reordered or cut-off entry
  audit export [--from DATE] [--to DATE] [--customer ID]
                                Export audit entries (JSON lines)
  help     Show this help

Options:
  --data-dir DIR   Where the profile lives (default: $BRANCHDESK_DATA_DIR or the OS data folder)
  --json           Print machine-readable JSON
  --lang zh-CN|en  Output language (default zh-CN)
  --limit N, --offset N  How many results, from where (customer search, duplicates)

Exit codes: 0 success; 1 the operation failed or the profile is unhealthy; 2 usage error.`,
    initDone:
      'Created profile {profileId}\n  folder: {dataDir}\n  key kept in the OS keychain: service BranchDesk, account {keyAccount}',
    rekeyDone: 'Rotated the key of profile {profileId} ({rotatedAt})',
    healthy: 'Verdict: healthy',
    unhealthy: 'Verdict: unhealthy',
    noProfile: '(no profile)',
    error: 'Error',
    enrolled:
      'Enrolled: device {deviceId}, branch {branchName} ({branchId}), HQ {hqUrl}\n  device credential kept in the OS keychain',
    deviceStatus: 'Device {deviceId} (branch {branchId}): {status}',
    deviceWiped:
      'HQ revoked device {deviceId}: the local vault is wiped (keys deleted from the keychain, files removed)',
    syncDone:
      'Sync done: pushed {pushed} ({applied} applied, {rejected} rejected, {rejectedFields} fields not taken, {conflicts} conflicts); {loaded} loaded from a snapshot, {inserted} added, {updated} updated, {removed} removed, {keptLocal} to remove after push, {evicted} purged ({pages} pages, cursor {cursor})',
    syncStatus:
      'Branch {branchId}: {customers} customers held, {outbox} edits to push, {rejected} rejected, {openConflicts} open conflicts, cursor {cursor}, last sync {lastSyncAt}',
    conflictLine: '#{id}  customer {customerNumber}  field {field}  {state}',
    conflictOpen: 'open',
    conflictResolved: 'resolved ({resolution})',
    conflictCount: '{count} conflicts',
    conflictDetail:
      'Conflict #{id}: customer {customerNumber}, field {field}\n  base:  {base}\n  local: {local}\n  HQ:    {hq} (version {hqVersion})\n  state: {state}',
    conflictResolvedDone: 'Conflict #{id} resolved: {resolution}',
    rejectedLine: '{decidedAt}  customer {customerId}  {field}: {reason}',
    rejectedCount: '{count} rejected changes',
    wholeChange: 'whole change',
    searchCount: '{count} results',
    searchTruncated: '{count} shown; too many matches, type more of the query',
    customerCreated: 'Created customer {customerNumber} ({id}, version {version})',
    customerUpdated: 'Updated customer {customerNumber} (version {version})',
    probableDuplicate: '  Note: probable duplicate of {customerNumber} ({reason})',
    duplicateGroups: '{count} groups of probable duplicates',
    auditIntact: 'Audit log intact: {checked} entries checked, head #{seq}',
    auditBroken:
      'Audit log tampered with: nothing from entry {seq} on can be trusted ({problem}); the {checked} before it are sound',
    verbNotInstalled:
      'In the installed app branchctl only looks after the device (enroll, doctor, sync, device, verify-audit, rekey), not "{verb}": work with customers at the desk, signed in.',
  },
} satisfies Record<Locale, Record<string, string>>;

export type CliMessage = keyof (typeof cliMessages)['en'];

export function cliText(
  locale: Locale,
  key: CliMessage,
  values: Record<string, string | number> = {},
): string {
  return cliMessages[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

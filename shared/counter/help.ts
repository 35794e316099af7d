// The desk's help panels (F1, docs/COUNTER.md): a short panel per screen in the bank's words,
// for new staff (what to check before revealing an ID number, what needs a supervisor, what
// PIPL means at the counter). Content is data: HQ publishes it as a versioned table (rule-table
// kind `help`, `npm run hq -- help publish`); until it has, the defaults below show.
import { z } from 'zod';

/** The screens a panel can be for; `general` shows where no panel of its own exists. */
export const helpScreens = [
  'general',
  'search',
  'customer',
  'home',
  'approvals',
  'complaints',
  'audit',
  'training',
] as const;
export const HelpScreen = z.enum(helpScreens);
export type HelpScreen = z.infer<typeof HelpScreen>;

const text = (max: number) => z.string().trim().min(1).max(max);
const bilingual = (max: number) => z.object({ 'zh-CN': text(max), en: text(max) }).strict();

export const helpTableSchema = z
  .object({
    version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/u),
    panels: z
      .array(
        z
          .object({
            screen: HelpScreen,
            title: bilingual(80),
            /** Points in order, each a short paragraph. */
            points: z.array(bilingual(600)).min(1).max(12),
          })
          .strict(),
      )
      .min(1)
      .max(helpScreens.length)
      .refine((panels) => new Set(panels.map((panel) => panel.screen)).size === panels.length, {
        message: 'one panel per screen',
      })
      .refine((panels) => panels.some((panel) => panel.screen === 'general'), {
        message: 'a general panel is required',
      }),
  })
  .strict();
export type HelpTable = z.infer<typeof helpTableSchema>;
export type HelpPanel = HelpTable['panels'][number];

const w = (zh: string, en: string) => ({ 'zh-CN': zh, en });

export const defaultHelp: HelpTable = {
  version: 'default',
  panels: [
    {
      screen: 'general',
      title: w('柜面服务须知', 'At the counter'),
      points: [
        w(
          '个人信息默认遮蔽显示。只有业务需要时才查看明文，每次查看都要选理由并记入审计日志。',
          'Personal data is masked by default. Reveal a value only when the business needs it; each reveal asks for a reason and is audited.',
        ),
        w(
          '《个人信息保护法》要求“最小必要”：只看、只记办理业务所需的信息；客户撤回授权后，相关营销立即停止。',
          'PIPL asks for the minimum necessary: look at and record only what the business needs; once a customer withdraws consent, that marketing stops at once.',
        ),
        w(
          '离开柜台请锁屏（Ctrl+L）。闲置超时会自动锁屏，屏幕上的客户信息随即清除。',
          'Lock the desk when you step away (Ctrl+L). It locks itself when idle, and what was on screen goes.',
        ),
        w('按 ? 查看快捷键，按 F1 打开本帮助。', 'Press ? for the keys, F1 for this help.'),
      ],
    },
    {
      screen: 'search',
      title: w('查找客户', 'Finding a customer'),
      points: [
        w(
          '可按证件号码、手机号、姓名、拼音、客户号或账号查找。证件尾号加姓氏通常足以找到到店客户。',
          'Search by ID number, phone, name, pinyin, customer number or account. The ID tail and the surname are usually enough for a walk-in.',
        ),
        w(
          '打开资料前先核对：证件尾号、姓名与客户出示的证件一致。不要打开与业务无关的客户。',
          'Before opening a record check that the ID tail and name match the document shown. Open no customer the business does not concern.',
        ),
      ],
    },
    {
      screen: 'customer',
      title: w('客户资料', "A customer's record"),
      points: [
        w(
          '查看完整证件号前：客户本人在场并已核验身份（人证一致），理由选“客户本人在场并已核验”。只查看核对所需的那一项。',
          'Before revealing a full ID number: the customer is present and their identity checked against the document; choose "customer present, identity verified". Reveal only the field the check needs.',
        ),
        w(
          '姓名、证件等身份信息的修改须经另一位主管审批（双人复核）；联系方式可直接修改。有客户确认屏时，由客户在屏上确认后才保存。',
          'Changes to names and documents wait for a second supervisor (four eyes); contact details change at once. With a customer screen, the customer confirms before anything is saved.',
        ),
        w(
          '授权与撤回要有凭证：客户在确认屏上确认，或签署纸质授权书并填写编号。',
          'A consent or its withdrawal needs evidence: the customer confirms on their screen, or signs a paper form whose reference you record.',
        ),
        w(
          '客户受限处理（PIPL 第 47 条）时，除合规人员外任何人都看不到明文，也不能修改。',
          'A restricted customer (PIPL Art. 47) is masked for everyone but compliance, and cannot be changed.',
        ),
      ],
    },
    {
      screen: 'home',
      title: w('工作台', 'The book'),
      points: [
        w(
          '工作台按规则统计您名下的客户：到期复核、证件到期、生日、流失预警等，点数字可看名单。',
          'The home counts your customers by rule: reviews and documents due, birthdays, customers at risk; a figure opens its list.',
        ),
        w(
          '营销名单只含已授权该渠道且本月未超联系上限的客户。导出名单需加密并记入审计日志。',
          'A call list holds only customers who consented to its channel and are under the monthly cap. An exported list is encrypted and audited.',
        ),
      ],
    },
    {
      screen: 'approvals',
      title: w('审批', 'Approvals'),
      points: [
        w(
          '不能审批自己提交的变更。批准前核对变更内容与经办说明；有疑问就拒绝并写明理由，经办人会看到。',
          'You cannot approve your own change. Check the change and the maker’s note; if in doubt, reject with a reason the maker will see.',
        ),
      ],
    },
    {
      screen: 'complaints',
      title: w('投诉处理', 'Complaints'),
      points: [
        w(
          '登记投诉后把受理编号告诉客户。投诉须在 1 个工作日内受理确认、15 天内办结（以总行时限为准），超时的显示为红色。',
          'Give the customer the reference once recorded. Acknowledge within 1 working day and resolve within 15 days (HQ’s service levels); overdue ones show in red.',
        ),
        w(
          '办结时写明处理结果和客户意见；无法在网点解决的，上报总行。',
          'On resolving, record what was done and what the customer said; what the branch cannot resolve goes to HQ.',
        ),
      ],
    },
    {
      screen: 'audit',
      title: w('审计日志', 'The audit log'),
      points: [
        w(
          '每次查询、查看、查看明文、修改、导出都有记录，记录以哈希链相连并上传总行核验，不能删改。',
          'Every search, view, reveal, change and export is recorded in a hash chain uploaded to HQ and verified there; it cannot be changed.',
        ),
      ],
    },
    {
      screen: 'training',
      title: w('培训模式', 'Training mode'),
      points: [
        w(
          '培训模式中的客户都是合成数据，不连接生产总行。每项练习完成后点“检查”，看看哪里做得对、哪里需要改进。',
          'Customers in training are synthetic and it never connects to production. After each exercise press Check to see what was right and what to do differently.',
        ),
      ],
    },
  ],
};

/** The panel for `screen` in `table`, else its general panel. */
export function helpFor(table: HelpTable, screen: HelpScreen): HelpPanel {
  return (
    table.panels.find((panel) => panel.screen === screen) ??
    table.panels.find((panel) => panel.screen === 'general')!
  );
}

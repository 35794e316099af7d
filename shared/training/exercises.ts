// Guided exercises of the training mode (培训模式, docs/COUNTER.md): what the trainee is asked to
// do, and how what they did is judged from the training vault's audit log (their own entries
// since the exercise started). Each judgement says what was right and what to do differently,
// in both languages. Nothing here runs outside a training profile.
import { z } from 'zod';

export const exerciseIds = [
  'find_walk_in',
  'phone_confirmed',
  'reveal_correctly',
  'take_complaint',
  'offline_visit',
] as const;
export const ExerciseId = z.enum(exerciseIds);
export type ExerciseId = z.infer<typeof ExerciseId>;

type Words = { 'zh-CN': string; en: string };
const w = (zh: string, en: string): Words => ({ 'zh-CN': zh, en });

export interface Exercise {
  id: ExerciseId;
  title: Words;
  /** What to do; `{idTail}` and `{name}` are the exercise's customer, when it has one. */
  task: Words;
  /** The exercise names a customer for the trainee to find or serve. */
  needsCustomer: boolean;
}

export const exercises: readonly Exercise[] = [
  {
    id: 'find_walk_in',
    title: w('找到到店客户', 'Find a walk-in customer'),
    task: w(
      '一位客户到柜台办理业务，出示的身份证尾号为 {idTail}，姓氏为 {name}。请在工作台找到并打开该客户的资料，不要查看完整证件号。',
      'A customer at the counter shows an ID card ending {idTail}, surname {name}. Find and open their record on the desk without revealing the whole ID number.',
    ),
    needsCustomer: true,
  },
  {
    id: 'phone_confirmed',
    title: w('经客户确认修改手机号', "Change a phone with the customer's confirmation"),
    task: w(
      '客户 {name}（证件尾号 {idTail}）要更换手机号。请打开客户确认屏，修改手机号，并让客户在确认屏上确认后保存。',
      'Customer {name} (ID ending {idTail}) has a new mobile number. Open the customer screen, change the number, and have the customer confirm it there before it is saved.',
    ),
    needsCustomer: true,
  },
  {
    id: 'reveal_correctly',
    title: w('正确查看证件号', 'Reveal an ID number correctly'),
    task: w(
      '客户 {name}（证件尾号 {idTail}）本人在场，需要核对完整证件号。请只查看证件号这一项，并选择正确的理由。',
      'Customer {name} (ID ending {idTail}) is present and their full ID number must be checked. Reveal that one field only, with the right reason.',
    ),
    needsCustomer: true,
  },
  {
    id: 'take_complaint',
    title: w('受理客户投诉', 'Take a complaint'),
    task: w(
      '客户 {name}（证件尾号 {idTail}）投诉排队时间过长。请登记投诉，把受理编号告诉客户，并完成“受理确认”。',
      'Customer {name} (ID ending {idTail}) complains about the waiting time. Record the complaint, give the customer its reference, and acknowledge it.',
    ),
    needsCustomer: true,
  },
  {
    id: 'offline_visit',
    title: w('离线走访记录', 'Record a visit offline'),
    task: w(
      '作为客户经理在客户处走访（无网络）：离线登录，打开客户 {name}（证件尾号 {idTail}），记录一次上门走访。回到网点联网后会自动同步。',
      "As an RM at a customer's premises (no network): sign in offline, open customer {name} (ID ending {idTail}) and record a home visit. It syncs once you are back online.",
    ),
    needsCustomer: true,
  },
];

/** An entry of the trainee's own audit log, its details parsed. */
export interface TraineeEntry {
  seq: number;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export interface Finding {
  ok: boolean;
  text: Words;
}

export interface Judgement {
  passed: boolean;
  findings: Finding[];
}

const fieldsOf = (entry: TraineeEntry) =>
  Array.isArray(entry.details.fields) ? (entry.details.fields as unknown[]) : [];

/** How the trainee did, from their entries since the exercise began, about `target`. */
export function judge(
  exercise: ExerciseId,
  entries: readonly TraineeEntry[],
  target: string | null,
): Judgement {
  const findings: Finding[] = [];
  const add = (ok: boolean, text: Words) => findings.push({ ok, text });
  const about = entries.filter((entry) => entry.target === target);
  const reveals = about.filter((entry) => entry.action === 'reveal');
  const updates = about.filter((entry) => entry.action === 'update');
  switch (exercise) {
    case 'find_walk_in': {
      const opened = about.some((entry) => entry.action === 'view');
      const others = new Set(
        entries
          .filter((entry) => entry.action === 'view' && entry.target !== target)
          .map((entry) => entry.target),
      );
      add(
        opened,
        opened
          ? w('打开了正确的客户。', 'You opened the right customer.')
          : w(
              '还没有打开这位客户：按证件尾号或姓名搜索，核对后再打开。',
              'You have not opened this customer yet: search by the ID tail or name, check, then open.',
            ),
      );
      if (others.size > 0)
        add(
          false,
          w(
            `打开过其他 ${others.size} 位客户的资料：打开前先核对证件尾号和姓名，不要查看无关客户。`,
            `You opened ${others.size} other customer(s): check the ID tail and name before opening, and look at no one else.`,
          ),
        );
      const revealedId = reveals.some((entry) => entry.details.field === 'identity_number');
      add(
        !revealedId,
        revealedId
          ? w(
              '查找客户不需要查看完整证件号：尾号和姓名足以核对。',
              'Finding a customer needs no full ID number: the tail and the name are enough.',
            )
          : w('没有查看不需要的完整证件号。', 'You revealed no ID number you did not need.'),
      );
      return { passed: findings.every((finding) => finding.ok), findings };
    }
    case 'phone_confirmed': {
      const phoneSaves = updates.filter((entry) => fieldsOf(entry).includes('phones'));
      const confirmed = phoneSaves.some((entry) => entry.details.confirmedOn === 'customer_screen');
      const unconfirmed = phoneSaves.some((entry) => entry.details.confirmedOn === undefined);
      add(
        confirmed,
        confirmed
          ? w(
              '客户在确认屏上确认后才保存了新手机号。',
              'The customer confirmed the new number on their screen before it was saved.',
            )
          : w(
              '还没有经客户确认保存新手机号：先打开客户确认屏，再修改。',
              'No new number saved with the customer’s confirmation yet: open the customer screen first, then change it.',
            ),
      );
      if (unconfirmed)
        add(
          false,
          w(
            '有一次修改没有经过客户确认：联系方式的变更应让客户本人在确认屏上核对。',
            'One change was saved without the customer’s confirmation: let the customer check contact changes on their screen.',
          ),
        );
      return { passed: findings.every((finding) => finding.ok), findings };
    }
    case 'reveal_correctly': {
      const idReveals = reveals.filter((entry) => entry.details.field === 'identity_number');
      const otherFields = reveals.filter((entry) => entry.details.field !== 'identity_number');
      const rightReason = idReveals.some(
        (entry) => entry.details.reason === 'customer_present_verified',
      );
      add(
        idReveals.length > 0,
        idReveals.length > 0
          ? w('查看了证件号。', 'You revealed the ID number.')
          : w('还没有查看证件号。', 'You have not revealed the ID number yet.'),
      );
      if (idReveals.length > 0)
        add(
          rightReason,
          rightReason
            ? w(
                '理由选对了：客户本人在场并已核验。',
                'The right reason: the customer is present and verified.',
              )
            : w(
                '理由不对：客户本人在场时应选“客户本人在场并已核验身份”。',
                'Wrong reason: with the customer present, choose "customer present, identity verified".',
              ),
        );
      add(
        otherFields.length === 0,
        otherFields.length === 0
          ? w('没有查看其他字段。', 'You revealed no other field.')
          : w(
              `还查看了 ${otherFields.length} 个不需要的字段：只查看核对所需的那一项。`,
              `You also revealed ${otherFields.length} field(s) you did not need: reveal only what the check needs.`,
            ),
      );
      return { passed: findings.every((finding) => finding.ok), findings };
    }
    case 'take_complaint': {
      const recorded = updates.some((entry) => fieldsOf(entry).includes('complaints'));
      const acknowledged = updates.some(
        (entry) =>
          fieldsOf(entry).includes('complaintSteps') && entry.details.status === 'acknowledged',
      );
      add(
        recorded,
        recorded
          ? w(
              '登记了投诉，客户拿到了受理编号。',
              'You recorded the complaint; the customer has its reference.',
            )
          : w('还没有登记投诉。', 'You have not recorded the complaint yet.'),
      );
      add(
        acknowledged,
        acknowledged
          ? w('完成了受理确认。', 'You acknowledged it.')
          : w(
              '还没有受理确认：投诉须在 1 个工作日内确认受理。',
              'Not acknowledged yet: a complaint must be acknowledged within 1 working day.',
            ),
      );
      return { passed: findings.every((finding) => finding.ok), findings };
    }
    case 'offline_visit': {
      const offlineAt = entries.find(
        (entry) => entry.action === 'login_success' && entry.details.mode === 'offline',
      )?.seq;
      const visit = updates.find((entry) => fieldsOf(entry).includes('visits'));
      add(
        offlineAt !== undefined,
        offlineAt !== undefined
          ? w('离线登录成功。', 'You signed in offline.')
          : w(
              '还没有离线登录：断网后用上次联机登录的账号登录。',
              'You have not signed in offline: with no network, sign in as you last did online.',
            ),
      );
      add(
        visit !== undefined && (offlineAt === undefined || visit.seq > offlineAt),
        visit
          ? w('记录了走访，联网后会同步到总行。', 'You recorded the visit; it syncs once online.')
          : w('还没有记录走访。', 'You have not recorded the visit yet.'),
      );
      return { passed: findings.every((finding) => finding.ok), findings };
    }
  }
}

/** An exercise's task with its customer filled in. */
export function taskText(exercise: Exercise, customer: { idTail: string; name: string } | null) {
  const fill = (text: string) =>
    text
      .replaceAll('{idTail}', customer?.idTail ?? '—')
      .replaceAll('{name}', customer?.name ?? '—');
  return { 'zh-CN': fill(exercise.task['zh-CN']), en: fill(exercise.task.en) };
}

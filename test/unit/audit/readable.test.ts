// The audit log in words: every action and detail key has a name in both languages, a code no
// table names never reaches a person as a code, and the CSV is text a spreadsheet opens as text
// (a byte-order mark, fields quoted, a typed formula kept inert).
import { describe, expect, it } from 'vitest';
import { MASKED } from '../../../shared/access/masking';
import { auditActions } from '../../../shared/audit/entry';
import { auditCsv, readableAuditRow } from '../../../shared/audit/readable';
import { auditActionNames, auditDetailKeys, auditDetailLabels } from '../../../shared/audit/words';
import type { AuditLogRow } from '../../../shared/commands/audit';

const row = (part: Partial<AuditLogRow>): AuditLogRow => ({
  seq: 1,
  at: '2026-12-04T08:05:00.000Z',
  action: 'search',
  actor: 'user:teller1',
  staff: '柜员 王芳',
  customer: null,
  reason: null,
  details: [],
  ...part,
});

describe('the audit log in words', () => {
  it('names every action and detail key in both languages, English in ASCII', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const action of auditActions) expect(auditActionNames[locale][action]).toBeTruthy();
      for (const key of auditDetailKeys) expect(auditDetailLabels[locale][key]).toBeTruthy();
    }
    const english = JSON.stringify([auditActionNames.en, auditDetailLabels.en]);
    expect(english).toMatch(/^[\x20-\x7e]*$/);
    const chinese = new Set(Object.values(auditActionNames['zh-CN']));
    expect(chinese.size).toBe(auditActions.length);
  });

  it('shows codes as words, a masked value as hidden, and an unnamed code as other', () => {
    const words = readableAuditRow(
      row({
        action: 'login_failure',
        actor: 'unknown',
        staff: null,
        reason: 'SOMETHING_NEW_FROM_HQ',
        details: [
          { key: 'mode', value: 'offline' },
          { key: 'permission', value: 'administer_device:own_profile_only' },
          { key: 'error', value: 'VAULT_BUSY' },
          { key: 'stage', value: 'a_code_nobody_named' },
          { key: 'mutationId', value: '0b6c4b9e-2f7e-4a53-9d61-0c7f7a0d1e11' },
          { key: 'query', value: MASKED },
        ],
      }),
      'zh-CN',
    );
    expect(words.staff).toBe('未知用户');
    expect(words.reason).toBe('其他');
    expect(words.details).toEqual([
      { key: 'query', label: '查询内容', value: '已隐去' },
      { key: 'stage', label: '阶段', value: '其他' },
      { key: 'error', label: '错误', value: '数据库正被另一个进程使用，请稍后重试。' },
      { key: 'permission', label: '所需权限', value: '设备管理：只能管理本机档案' },
      { key: 'mode', label: '方式', value: '脱机' },
    ]);
    expect(JSON.stringify(words)).not.toMatch(/[A-Z_]{6,}|[0-9a-f]{8}-/);
  });

  it('names what the newer commands record: a task, its status and due day, a change sent back', () => {
    const task = readableAuditRow(
      row({
        action: 'update',
        details: [
          { key: 'fields', value: ['tasks'] },
          { key: 'taskId', value: '0b6c4b9e-2f7e-4a53-9d61-0c7f7a0d1e11' },
          { key: 'status', value: 'done' },
          { key: 'dueOn', value: '2030-01-02' },
        ],
      }),
      'en',
    );
    expect(task.details.map((detail) => `${detail.label}: ${detail.value}`)).toEqual([
      'Fields: Tasks',
      'Due on: 2030-01-02',
      'Status: Done',
    ]);
    const redo = readableAuditRow(
      row({ action: 'reject', details: [{ key: 'kind', value: 'redo' }] }),
      'zh-CN',
    );
    expect(redo.details[0]!.value).toBe('退回经办人重做');
  });

  it('writes CSV a spreadsheet opens as text: BOM, quoted fields, no live formula', () => {
    const csv = auditCsv(
      [
        row({
          customer: { id: 'x', number: null, name: null },
          details: [{ key: 'query', value: '=HYPERLINK("http://x"),1' }],
        }),
      ],
      'en',
    );
    expect(
      csv.startsWith('\ufeffNo.,Time,Staff,Action,Customer no.,Customer name,Reason,Details\r\n'),
    ).toBe(true);
    const line = csv.split('\r\n')[1]!;
    expect(line).toContain('Searched customers,No longer on this device,,,');
    expect(line).toContain('"Query: =HYPERLINK(""http://x""),1"');
    expect(auditCsv([row({ staff: '=cmd|x' })], 'zh-CN').split('\r\n')[1]).toContain(",'=cmd|x,");
  });
});

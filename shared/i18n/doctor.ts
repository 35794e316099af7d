// Names of the vault health checks, for `branchctl doctor` and IT's screen at the desk.
import type { DoctorCheckId } from '../commands/vault';
import type { Locale } from './errors';

export const doctorCheckLabels: Record<Locale, Record<DoctorCheckId, string>> = {
  'zh-CN': {
    secret_store: '操作系统密钥库',
    metadata: '档案描述文件 vault.json',
    key: '保险库密钥',
    staging_key: '无未完成的密钥轮换',
    open: '解密并打开数据库',
    profile_binding: '数据库与档案匹配',
    schema_version: '数据库结构版本',
    pragmas: '数据库安全设置',
    integrity: '数据库完整性',
    file_permissions: '文件访问权限',
  },
  en: {
    secret_store: 'OS keychain',
    metadata: 'profile descriptor vault.json',
    key: 'vault key',
    staging_key: 'no unfinished key rotation',
    open: 'decrypt and open the database',
    profile_binding: 'database belongs to this profile',
    schema_version: 'database schema version',
    pragmas: 'database safety settings',
    integrity: 'database integrity',
    file_permissions: 'file permissions',
  },
};

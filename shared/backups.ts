// Backups and the health report (pmw backup / restore / doctor, the Backups dialog). Pure types.

export const BACKUP_KINDS = ['daily', 'manual', 'pre-migration', 'pre-restore'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export interface BackupInfo {
  /** Absolute path of the backup's database file. */
  file: string;
  name: string;
  kind: BackupKind;
  createdAt: string;
  /** Bytes of the database file, and of its artifact store companion (`<file>-blobs`, 0 when absent). */
  size: number;
  blobSize: number;
  hasBlobs: boolean;
}

export interface RestoreResult {
  restored: BackupInfo;
  /** Where the database that was current went (kept, never deleted); null when there was none. */
  keptAside: string | null;
  schemaVersion: number;
  incidents: number;
}

export type DoctorStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  id: string;
  label: string;
  status: DoctorStatus;
  detail: string;
  /** What to do about it, when something is wrong. */
  fix?: string;
}

export interface DoctorReport {
  dbPath: string;
  checks: DoctorCheck[];
  /** Worst status over all checks. */
  status: DoctorStatus;
}

import { InitialSchema1764133200000 } from './1764133200000-initial-schema';
import { BackupStorage1764136800000 } from './1764136800000-backup-storage';

/** Every migration, oldest first. Append new migrations here (one line each). */
export const MIGRATIONS = [InitialSchema1764133200000, BackupStorage1764136800000];

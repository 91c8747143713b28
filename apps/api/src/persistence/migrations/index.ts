import { InitialSchema1764133200000 } from './1764133200000-initial-schema';

/** Every migration, oldest first. Append new migrations here (one line each). */
export const MIGRATIONS = [InitialSchema1764133200000];

/**
 * One embedded PostgreSQL 17 for the whole `npm test` run; each test file makes its own database on it
 * (createTestDatabase), so files run in parallel without sharing data.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../platform/db/embedded-postgres.ts';
import { createLogger } from '../../platform/logger.ts';

let server: EmbeddedPostgresHandle | undefined;
let dir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'anju-test-pg-'));
  await fs.chmod(dir, 0o755);
  server = await startEmbeddedPostgres(dir, createLogger('warn'));
  project.provide('pgUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

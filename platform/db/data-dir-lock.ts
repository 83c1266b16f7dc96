/**
 * One Anju per data directory. A lock file names the owning process; a lock left by a process that is
 * gone (a crash) is taken over, which is what lets start-up end that run's orphaned database server.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await fs.mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, 'anju.pid');
  const previous = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(previous) && previous > 0 && previous !== process.pid && alive(previous)) {
    const command = await fs.readFile(`/proc/${previous}/cmdline`, 'utf8').catch(() => '');
    if (!command || command.includes('node')) {
      throw new Error(`another Anju (pid ${previous}) is using ANJU_DATA_DIR ${dataDir}; stop it or choose another directory`);
    }
  }
  await fs.writeFile(file, `${process.pid}\n`);
  return async () => {
    const owner = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
    if (owner === process.pid) await fs.rm(file, { force: true });
  };
}

import { FSWatcher, StatWatcher, unwatchFile, watch, watchFile } from 'node:fs';
import path from 'node:path';

export interface TlsFileWatchOptions {
  /** Quiet time after the last change before `onChange` runs: a rotation writes several files. */
  debounceMs: number;
  /** Interval of the stat poll that backs up the folder watch. */
  pollMs: number;
}

/**
 * Calls `onChange` (debounced) when any of `files` may have changed. Two mechanisms, on purpose:
 * - `fs.watch` on each file's FOLDER, not on the file: rotation replaces files by rename (ours,
 *   cert-manager, Kubernetes Secret volumes swapping their `..data` symlink), and a watch on the
 *   old file's inode would go quiet after the first rename. Every event in the folder triggers a
 *   re-read; the caller ignores material that did not change.
 * - `fs.watchFile`, a slow stat poll: inotify does not see changes made on another host (NFS, some
 *   container volume drivers) and can run out of watches; the poll (stat follows symlinks) catches
 *   what the watch missed, at worst `pollMs` late.
 * Nothing here keeps the process alive; `stop()` releases everything.
 */
export function watchTlsFiles(
  files: readonly string[],
  onChange: () => void,
  options: TlsFileWatchOptions,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, options.debounceMs);
    timer.unref();
  };
  const folders: FSWatcher[] = [];
  for (const folder of new Set(files.map((file) => path.dirname(file)))) {
    try {
      const watcher = watch(folder, { persistent: false }, changed);
      // An error (folder removed, watch limit) must not crash the app: the poll still runs.
      watcher.on('error', () => watcher.close());
      folders.push(watcher);
    } catch {
      // No watch available here: the poll alone will do.
    }
  }
  const polls: Array<[string, StatWatcher]> = files.map((file) => [
    file,
    watchFile(file, { persistent: false, interval: options.pollMs }, (now, before) => {
      if (now.mtimeMs !== before.mtimeMs || now.ino !== before.ino || now.size !== before.size) changed();
    }),
  ]);
  return () => {
    clearTimeout(timer);
    for (const watcher of folders) watcher.close();
    for (const [file] of polls) unwatchFile(file);
  };
}

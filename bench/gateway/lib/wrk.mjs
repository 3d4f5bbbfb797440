// wrk (closed loop, C) as the throughput load, with the CPU time each listed process spent over
// the run read from /proc/<pid>/stat: CPU per request is steadier than req/s on a shared 2-core
// machine, where wrk, proxy and upstream compete for the same cores.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { startProgram } from './procs.mjs';

export const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find(existsSync) ?? which('wrk');
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function which(name) {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** utime + stime of a process (all its threads), in microseconds. */
export function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm)": state is field 3, utime 14, stime 15 (proc(5)); comm may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
}

/**
 * One wrk run. Throws on any non-2xx answer or socket error: a fast error is not throughput.
 * @returns {{rps: number, requests: number, cpu: Record<string, number>}}
 *   cpu: microseconds of CPU per request for each named pid.
 */
export async function runWrk({ url, headers = {}, script, seconds, connections = 32, pids = {} }) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  if (script) args.push('-s', script);
  args.push(url);
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMicros(pid)]));
  const { code, output } = await startProgram(WRK, args).done;
  const after = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMicros(pid)]));
  const fail = (why) => {
    throw new Error(`wrk ${url}: ${why}\n${output}`);
  };
  if (code !== 0) fail(`exited with ${code}`);
  const non2xx = output.match(/Non-2xx or 3xx responses:\s+(\d+)/);
  if (non2xx) fail(`${non2xx[1]} non-2xx/3xx answers`);
  const socket = output.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  if (socket && socket.slice(1).some((n) => Number(n) > 0)) fail(`socket errors (${socket[0]})`);
  const rps = Number(output.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  const requests = Number(output.match(/(\d+) requests in/)?.[1]);
  if (!(rps > 0 && requests > 0)) fail('no Requests/sec in its output');
  const cpu = Object.fromEntries(Object.keys(pids).map((name) => [name, (after[name] - before[name]) / requests]));
  return { rps, requests, cpu };
}

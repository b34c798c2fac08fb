import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

// CPU time of a process and everything under it, read from /proc (Linux only). A process's own
// utime+stime plus its cutime+cstime (children it has already reaped: for a postmaster, the
// backends that have exited), plus the same for every live descendant. Nothing is counted twice: a
// child's time moves into its parent's cutime only once the child has exited and been waited for.

let ticksPerSecond: number | undefined;

function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

interface ProcStat {
  pid: number;
  parentPid: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
  /** utime + stime only. */
  ownTicks: number;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null; // exited between listing and reading
  }
  // The command name (field 2) is in parentheses and may contain spaces; fields after it are plain.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // After the name: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17), so index = field - 3.
  const number = (field: number) => Number(fields[field - 3] ?? 0);
  const ownTicks = number(14) + number(15);
  return { pid, parentPid: number(4), ownTicks, ticks: ownTicks + number(16) + number(17) };
}

function allStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** Milliseconds of CPU used so far by `rootPid` and all its descendants (live ones, and reaped ones through cutime/cstime). */
export function processTreeCpuMs(rootPid: number): number {
  const stats = allStats();
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) children.set(stat.parentPid, [...(children.get(stat.parentPid) ?? []), stat]);
  const root = stats.find((stat) => stat.pid === rootPid);
  if (!root) return Number.NaN;
  let ticks = 0;
  const queue = [root];
  for (let stat = queue.pop(); stat; stat = queue.pop()) {
    ticks += stat.ticks;
    queue.push(...(children.get(stat.pid) ?? []));
  }
  return (ticks * 1000) / clockTicksPerSecond();
}

/** Milliseconds of CPU used so far by one process alone (utime+stime), e.g. one PostgreSQL backend. */
export function processCpuMs(pid: number): number {
  const stat = readStat(pid);
  return stat ? (stat.ownTicks * 1000) / clockTicksPerSecond() : Number.NaN;
}

/** Whether /proc can be read here (Linux); elsewhere CPU figures are reported as n/a. */
export function canReadProc(): boolean {
  return readStat(process.pid) !== null;
}

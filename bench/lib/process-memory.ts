import { readdirSync, readFileSync } from "node:fs";

// Resident memory of a process tree, from /proc (Linux only): VmRSS now and VmHWM (the peak RSS
// since the process started), in bytes, summed over the process and its live descendants
// (`next start` may run its server in a child process).

function parentOf(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(text.slice(text.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

/** The pid and its live descendants. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const parent = parentOf(Number(name));
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
  }
  const tree: number[] = [];
  const queue = [rootPid];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

function statusKiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return Number(match?.[1] ?? 0);
  } catch {
    return 0; // exited
  }
}

export interface MemoryReading {
  rssBytes: number;
  hwmBytes: number;
}

/** RSS and peak RSS of these processes together. */
export function readMemory(pids: number[]): MemoryReading {
  let rss = 0;
  let hwm = 0;
  for (const pid of pids) {
    rss += statusKiB(pid, "VmRSS");
    hwm += statusKiB(pid, "VmHWM");
  }
  return { rssBytes: rss * 1024, hwmBytes: hwm * 1024 };
}

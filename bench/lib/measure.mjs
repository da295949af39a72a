// What the load generator reads about the processes it measures: CPU time from /proc, memory from
// /proc and, for a JVM, the heap after a full GC through jcmd.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** User plus system CPU time of a process and its threads so far, in microseconds. */
export function cpuMicros(pid) {
  // Fields after the command name, which is in parentheses and may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return (ticks * 1e6) / CLOCK_TICKS_PER_SECOND;
}

function sumCpuMicros(pids) {
  return pids.reduce((sum, pid) => sum + cpuMicros(pid), 0);
}

/** CPU time of this process, in microseconds. */
export function ownCpuMicros() {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** Resident set size in bytes. */
export function rssBytes(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) * 1024;
}

/** Heap in use after a full GC, in bytes; null when the process is not a JVM. */
export function heapAfterGcBytes(pid, jcmd) {
  if (!jcmd) {
    return null;
  }
  execFileSync(jcmd, [String(pid), 'GC.run'], { stdio: 'ignore' });
  const info = execFileSync(jcmd, [String(pid), 'GC.heap_info']).toString();
  // G1 reports one heap; the serial collector (a JVM that sees one core) reports two generations.
  const used = [...info.matchAll(/(?:heap|generation)\s+total \d+K, used (\d+)K/g)];
  return used.length ? used.reduce((sum, m) => sum + Number(m[1]) * 1024, 0) : null;
}

/** The classes holding most of a JVM's heap, largest first: what each connection costs. */
export function heapHistogram(pid, jcmd, top = 15) {
  if (!jcmd) {
    return null;
  }
  const lines = execFileSync(jcmd, [String(pid), 'GC.class_histogram'], { maxBuffer: 64 << 20 })
    .toString()
    .split('\n');
  return lines
    .map((line) => /^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/.exec(line))
    .filter(Boolean)
    .slice(0, top)
    .map(([, instances, bytes, type]) => ({ type, instances: Number(instances), bytes: Number(bytes) }));
}

/** Median, p99 and max of a list of latencies in microseconds. */
export function latencySummary(samples) {
  if (samples.length === 0) {
    return { count: 0, medianMicros: null, p99Micros: null, maxMicros: null };
  }
  const sorted = Float64Array.from(samples).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    count: sorted.length,
    medianMicros: Math.round(at(0.5)),
    p99Micros: Math.round(at(0.99)),
    maxMicros: Math.round(sorted[sorted.length - 1]),
  };
}

/** Microseconds since an arbitrary origin, shared by every connection of this process. */
export function nowMicros() {
  return performance.now() * 1000;
}

/**
 * CPU spent by the server and by this client over a measured window, per unit of work. Started
 * after warm-up, ended before the connections close.
 */
export class CpuWindow {
  /** @param serverPids the server's processes: one, or every node and Redis of a cluster */
  constructor(serverPids) {
    this.serverPids = serverPids;
    this.serverStart = sumCpuMicros(serverPids);
    this.clientStart = ownCpuMicros();
    this.wallStart = nowMicros();
  }

  end(units) {
    const wall = nowMicros() - this.wallStart;
    const server = sumCpuMicros(this.serverPids) - this.serverStart;
    const client = ownCpuMicros() - this.clientStart;
    return {
      seconds: wall / 1e6,
      serverCpuPercent: round1((100 * server) / wall),
      clientCpuPercent: round1((100 * client) / wall),
      serverCpuMicrosPerUnit: units > 0 ? round1(server / units) : null,
      clientCpuMicrosPerUnit: units > 0 ? round1(client / units) : null,
    };
  }
}

export function round1(x) {
  return Math.round(x * 10) / 10;
}

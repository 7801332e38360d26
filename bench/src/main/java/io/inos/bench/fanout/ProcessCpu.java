package io.inos.bench.fanout;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time used so far, by this process or by another one (Linux {@code /proc/{pid}/stat}). */
final class ProcessCpu {

  private ProcessCpu() {
  }

  /** @return this JVM's CPU time in nanoseconds, or -1 when the JVM does not say */
  static long ownNs() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** @return the user + system CPU time of process {@code pid} in nanoseconds, or -1 when it cannot be read */
  static long ofPidNs(long pid, int clkTck) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name (field 2) is in parentheses and may hold spaces: count the fields after it
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime (14) and stime (15)
      return ticks * 1_000_000_000L / clkTck;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}

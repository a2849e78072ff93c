package io.streamsgd.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Linux {@code /proc} readings: CPU time, resident set size, load. Clock ticks are taken to be
 * 100 per second ({@code getconf CLK_TCK} on Linux x86-64 and arm64).
 */
final class Proc {
    private static final long TICK_MILLIS = 10;

    private Proc() {
    }

    /** User + system CPU time of a process (or, with a task path, a thread), in milliseconds; -1 if gone. */
    static long cpuMillis(Path statFile) {
        String stat = read(statFile);
        if (stat == null) {
            return -1;
        }
        // Fields after the parenthesized command name: state is field 3, utime 14, stime 15.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MILLIS;
    }

    static long cpuMillis(long pid) {
        return cpuMillis(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** VmRSS of a process in bytes, or -1. */
    static long rssBytes(long pid) {
        return statusKb(pid, "VmRSS:") * 1024;
    }

    /** VmHWM (peak RSS) of a process in bytes, or -1. */
    static long peakRssBytes(long pid) {
        return statusKb(pid, "VmHWM:") * 1024;
    }

    private static long statusKb(long pid, String field) {
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        if (status == null) {
            return -1;
        }
        for (String line : status.split("\n")) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    /** The 1-minute load average. */
    static double loadAverage() {
        String s = read(Path.of("/proc/loadavg"));
        return s == null ? Double.NaN : Double.parseDouble(s.split(" ")[0]);
    }

    /** Busy and total jiffies of the whole machine (all CPUs), from the first line of /proc/stat. */
    static long[] machineJiffies() {
        String s = read(Path.of("/proc/stat"));
        if (s == null) {
            return new long[] {0, 0};
        }
        String[] f = s.substring(0, s.indexOf('\n')).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0); // idle + iowait
        return new long[] {total - idle, total};
    }

    /** Names ({@code comm}, at most 15 characters) and CPU milliseconds of every thread of this process. */
    static List<Object[]> ownNativeThreads() {
        Path tasks = Path.of("/proc/self/task");
        try (var dirs = Files.list(tasks)) {
            return dirs.map(d -> new Object[] {strip(read(d.resolve("comm"))), cpuMillis(d.resolve("stat"))})
                    .filter(o -> o[0] != null && (long) o[1] >= 0)
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
    }
}

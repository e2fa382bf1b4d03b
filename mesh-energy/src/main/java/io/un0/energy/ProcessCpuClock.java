package io.un0.energy;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * This process's CPU time. The JVM's own figure moves in the kernel's clock ticks on Linux (10 ms): a one-millisecond
 * engine run read 0 in 177 of 200 tries and 10 ms in the rest, so a job's modelled joules were 0 or ten times too
 * many. Linux's {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)} counts every thread's time to the nanosecond,
 * threads that have ended included; it is read through JNA where libc has it, else the JVM's figure stands.
 */
final class ProcessCpuClock {

    /** The one libc call this needs; a timespec on 64-bit Linux is two longs (seconds, nanoseconds). */
    interface LibC extends Library {
        int clock_gettime(int clock, long[] timespec);
    }

    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;

    private final LibC libc;
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpuClock(LibC libc) {
        this.libc = libc;
    }

    /** The nanosecond clock where it can be read here, else the JVM's. */
    static ProcessCpuClock best() {
        try {
            LibC libc = Native.load("c", LibC.class);
            if (libc.clock_gettime(CLOCK_PROCESS_CPUTIME_ID, new long[2]) == 0) {
                return new ProcessCpuClock(libc);
            }
        } catch (LinkageError | RuntimeException unavailable) {
            // Not Linux, or no native access: the JVM's figure.
        }
        return new ProcessCpuClock(null);
    }

    /** Whether this reads the kernel's nanosecond clock rather than the JVM's tick-based figure. */
    boolean precise() {
        return libc != null;
    }

    double seconds() {
        if (libc != null) {
            long[] t = new long[2];
            if (libc.clock_gettime(CLOCK_PROCESS_CPUTIME_ID, t) == 0) {
                return t[0] + t[1] / 1e9;
            }
        }
        return os.getProcessCpuTime() / 1e9;
    }
}

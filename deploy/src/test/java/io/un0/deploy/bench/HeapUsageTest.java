package io.un0.deploy.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** jcmd's GC.heap_info as JDK 17 prints it, for the collectors a gateway may run with. */
class HeapUsageTest {

    @Test
    void g1HasOneHeapLineAndMetaspaceIsNotHeap() {
        HeapUsage heap = HeapUsage.parse("""
                18931:
                 garbage-first heap   total 17408K, used 2884K [0x00000000e0000000, 0x0000000100000000)
                  region size 1024K, 0 young (0K), 0 survivors (0K)
                 Metaspace       used 8940K, committed 9088K, reserved 1114112K
                  class space    used 1062K, committed 1152K, reserved 1048576K
                """);
        assertEquals(new HeapUsage(2884L * 1024, 17408L * 1024), heap);
    }

    @Test
    void serialAddsTheYoungAndOldGenerations() {
        HeapUsage heap = HeapUsage.parse("""
                19065:
                 def new generation   total 116160K, used 20659K [0x00000000e0000000, 0x00000000e7e00000, 0x00000000eaaa0000)
                  eden space 103296K,  20% used [0x00000000e0000000, 0x00000000e142cf78, 0x00000000e64e0000)
                  from space 12864K,   0% used [0x00000000e64e0000, 0x00000000e64e0000, 0x00000000e7170000)
                  to   space 12864K,   0% used [0x00000000e7170000, 0x00000000e7170000, 0x00000000e7e00000)
                 tenured generation   total 258048K, used 1024K [0x00000000eaaa0000, 0x00000000fa6a0000, 0x0000000100000000)
                   the space 258048K,   0% used [0x00000000eaaa0000, 0x00000000eaaa0000, 0x00000000eaaa0200, 0x00000000fa6a0000)
                 Metaspace       used 8961K, committed 9152K, reserved 1114112K
                """);
        assertEquals(new HeapUsage((20659L + 1024) * 1024, (116160L + 258048) * 1024), heap);
    }

    @Test
    void anotherFormIsRefusedWithTheOutputQuoted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeapUsage.parse("4242:\n ZHeap           used 10M, capacity 32M, max capacity 512M\n"));
        assertTrue(e.getMessage().contains("ZHeap"), e.getMessage());
    }
}

package io.un0.deploy.bench;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GeneratorGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One caller beside a fault: a one-image {@code Generate} at a steady pace through a gateway that stays up, each with
 * the interactive deadline, one at a time as a person waiting for each image would. What the faults section reads its
 * interactive p99 and its time to serve callers again from.
 */
final class InteractiveProbe {

    /** One call: when it started ({@link System#nanoTime}), how long it took, and how it ended. */
    record Call(long startNanos, double millis, Status.Code code) {

        long endNanos() {
            return startNanos + (long) (millis * 1e6);
        }

        boolean ok() {
            return code == Status.Code.OK;
        }
    }

    private final ManagedChannel channel;
    private final Duration every;
    private final Duration deadline;
    private final List<Call> calls = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    InteractiveProbe(ManagedChannel channel, Duration every, Duration deadline) {
        this.channel = channel;
        this.every = every;
        this.deadline = deadline;
        this.thread = new Thread(this::probe, "interactive-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void probe() {
        int i = 0;
        while (running) {
            long start = System.nanoTime();
            Status.Code code;
            try {
                GeneratorGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                        .generate(GenerateRequest.newBuilder().setClassId(i % 10).setCount(1).setSeed(7_000_000L + i).build());
                code = Status.Code.OK;
            } catch (StatusRuntimeException e) {
                code = e.getStatus().getCode();
            }
            synchronized (calls) {
                calls.add(new Call(start, (System.nanoTime() - start) / 1e6, code));
            }
            i++;
            long next = start + every.toNanos() - System.nanoTime();
            if (next > 0) {
                try {
                    Thread.sleep(next / 1_000_000, (int) (next % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Stops after the call in hand; the calls made, in order. */
    List<Call> stop() throws InterruptedException {
        running = false;
        thread.join(deadline.toMillis() + 5_000);
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }
}

package io.un0.worker;

import io.un0.proto.fixtures.ContractFixtures;
import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.Priority;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EngineRunTest {

    private static Assignment assignment(String id, int count, Precision precision, int steps) {
        return Assignment.newBuilder().setJob(Job.newBuilder().setJobId(id).setCount(count)).setPrecision(precision).setSteps(steps).build();
    }

    @Test
    void groupsBySettingsAndRespectsTheImageLimit() {
        List<EngineRun> plan = EngineRun.plan(List.of(
                assignment("a", 4, Precision.PRECISION_FP32, 1),
                assignment("b", 2, Precision.PRECISION_INT8, 1),
                assignment("c", 4, Precision.PRECISION_FP32, 1),
                assignment("d", 4, Precision.PRECISION_FP32, 1),
                assignment("e", 1, Precision.PRECISION_FP32, 2)), 8);
        assertEquals(4, plan.size());
        assertEquals(List.of("a", "c"), plan.get(0).assignments().stream().map(x -> x.getJob().getJobId()).toList());
        assertEquals(List.of("d"), plan.get(1).assignments().stream().map(x -> x.getJob().getJobId()).toList());
        assertEquals(8, plan.get(0).images());
        assertEquals(Precision.PRECISION_INT8, plan.get(2).precision());
        assertEquals(2, plan.get(3).steps());
    }

    @Test
    void interactiveJobsRunFirstWhateverTheirSettings() {
        Assignment.Builder waitedOn = assignment("i", 1, Precision.PRECISION_INT8, 2).toBuilder();
        waitedOn.getJobBuilder().setPriority(Priority.PRIORITY_INTERACTIVE);
        List<EngineRun> plan = EngineRun.plan(List.of(
                assignment("a", 4, Precision.PRECISION_FP32, 1),
                assignment("b", 4, Precision.PRECISION_INT8, 2),
                waitedOn.build(),
                assignment("c", 4, Precision.PRECISION_INT8, 2)), 8);
        assertEquals(List.of(List.of("i", "b"), List.of("c"), List.of("a")),
                plan.stream().map(r -> r.assignments().stream().map(x -> x.getJob().getJobId()).toList()).toList(),
                "the interactive job's run first, its batch-mates after it in arrival order");
    }

    @Test
    void anAssignmentLargerThanTheLimitRunsAlone() {
        List<EngineRun> plan = EngineRun.plan(List.of(assignment("big", 20, Precision.PRECISION_FP32, 1),
                assignment("small", 1, Precision.PRECISION_FP32, 1)), 8);
        assertEquals(2, plan.size());
        assertEquals(20, plan.get(0).images());
    }

    @Test
    void theGoldenAssignmentRunsAtItsPrecisionAndStepCount() throws Exception {
        Assignment golden = Assignment.parseFrom(ContractFixtures.bytes("assignment.binpb"));
        List<EngineRun> plan = EngineRun.plan(List.of(golden, golden), 8);
        assertEquals(1, plan.size());
        assertEquals(Precision.PRECISION_INT8, plan.get(0).precision());
        assertEquals(2, plan.get(0).steps());
        assertEquals(8, plan.get(0).images());
        assertEquals(7, golden.getJob().getClassId());
        assertEquals(1_000_042L, golden.getJob().getSeed());
    }
}

package io.un0.deploy.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchRecordsTest {

    @Test
    void aJobSeenThreeTimesRepeatsTwice() {
        BatchRecords.JobTally tally = new BatchRecords.JobTally();
        for (String job : new String[] {"b/0", "b/1", "b/1", "b/2", "b/1"}) {
            tally.add(job);
        }
        assertEquals(new BatchRecords.TopicCount("un0.jobs.v1", "jobs", 5, 3, 2), tally.count("un0.jobs.v1", "jobs"));
    }

    @Test
    void nothingReadIsNothingRepeated() {
        assertEquals(new BatchRecords.TopicCount("t", "results", 0, 0, 0), new BatchRecords.JobTally().count("t", "results"));
    }
}

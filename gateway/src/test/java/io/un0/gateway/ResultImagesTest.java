package io.un0.gateway;

import io.un0.gateway.results.ResultImages;
import io.un0.gateway.validation.ModelCatalogue;
import io.un0.proto.fixtures.ContractFixtures;
import io.un0.proto.v1.Image;
import io.un0.proto.v1.JobResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResultImagesTest {

    @Test
    void theGoldenResultShowsAsTheImagesTheCallerAskedFor() throws Exception {
        JobResult golden = JobResult.parseFrom(ContractFixtures.bytes("job-result.binpb"));
        List<Image> images = ResultImages.of(golden, ModelCatalogue.bundled(), 3);
        assertEquals(List.of(3, 4, 5, 6), images.stream().map(Image::getIndex).toList());
        assertEquals(List.of(1_000_042L, 1_000_043L, 1_000_044L, 1_000_045L), images.stream().map(Image::getSeed).toList());
        Image first = images.get(0);
        assertEquals(7, first.getClassId());
        assertEquals("sneaker", first.getClassName());
        assertEquals(2, first.getSteps());
        assertEquals(28, first.getWidth());
        assertEquals(golden.getPng(0), first.getPng());
    }
}

package io.un0.gateway.results;

import io.un0.gateway.validation.ModelCatalogue;
import io.un0.proto.v1.Image;
import io.un0.proto.v1.JobResult;

import java.util.ArrayList;
import java.util.List;

/** The images of a job's result as the public API shows them, with their class, seed and size. */
public final class ResultImages {

    private ResultImages() {
    }

    /** @param firstIndex the index of the result's first image within the caller's request */
    public static List<Image> of(JobResult r, ModelCatalogue catalogue, int firstIndex) {
        List<Image> images = new ArrayList<>(r.getPngCount());
        for (int k = 0; k < r.getPngCount(); k++) {
            images.add(Image.newBuilder().setIndex(firstIndex + k).setClassId(r.getClassId())
                    .setClassName(catalogue.className(r.getClassId())).setSeed(r.getSeeds(k))
                    .setSteps(r.getAccounting().getSteps()).setWidth(catalogue.imageSize()).setHeight(catalogue.imageSize())
                    .setPng(r.getPng(k)).build());
        }
        return images;
    }
}

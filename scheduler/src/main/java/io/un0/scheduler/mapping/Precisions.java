package io.un0.scheduler.mapping;

import io.un0.proto.ProtoVocabulary;
import io.un0.vocabulary.Precision;
import java.util.Collection;
import java.util.stream.Collectors;

/** The contract's precisions read as the vocabulary's, naming the envelope field where one is not a precision; and named for people. */
public final class Precisions {

    private Precisions() {
    }

    static Precision read(io.un0.proto.v1.Precision precision, String field) throws InvalidEnvelopeException {
        return ProtoVocabulary.fromProto(precision).orElseThrow(() -> new InvalidEnvelopeException(field,
                precision == io.un0.proto.v1.Precision.PRECISION_UNSPECIFIED ? "PRECISION_UNSPECIFIED is not a precision"
                        : "a precision number this scheduler does not know"));
    }

    /** For people: {@code fp32/int8}, in the vocabulary's order. */
    public static String named(Collection<Precision> precisions) {
        return precisions.stream().sorted().map(Precision::configName).collect(Collectors.joining("/"));
    }
}

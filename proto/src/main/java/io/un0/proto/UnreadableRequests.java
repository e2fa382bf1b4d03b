package io.un0.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes that are not the request message get {@code INVALID_ARGUMENT} naming the message type. grpc-java parses a
 * request before any interceptor sees it and answers a parse failure {@code UNKNOWN} ("Application error processing
 * RPC"), logging a stack trace per call. A service definition passed through {@link #refusedPrecisely} parses
 * leniently instead: an unreadable request becomes a marked empty message, which its handler refuses.
 */
public final class UnreadableRequests {

    /** The largest field number protobuf allows: no request of ours uses it, so an unknown field there marks a failure. */
    private static final int MARK = (1 << 29) - 1;

    private UnreadableRequests() {
    }

    /** {@code definition} with every method's request parsed leniently and unreadable requests refused. */
    public static ServerServiceDefinition refusedPrecisely(ServerServiceDefinition definition) {
        ServiceDescriptor old = definition.getServiceDescriptor();
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> m : definition.getMethods()) {
            methods.add(lenient(m));
        }
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(old.getName()).setSchemaDescriptor(old.getSchemaDescriptor());
        methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(b::addMethod);
        return b.build();
    }

    private static <Q, A> ServerMethodDefinition<Q, A> lenient(ServerMethodDefinition<Q, A> m) {
        MethodDescriptor<Q, A> method = m.getMethodDescriptor();
        if (!(method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<Q> strict)
                || !(strict.getMessagePrototype() instanceof Message prototype)) {
            return m;
        }
        MethodDescriptor<Q, A> tolerant = method.toBuilder().setRequestMarshaller(new LenientMarshaller<>(strict, prototype)).build();
        ServerCallHandler<Q, A> handler = m.getServerCallHandler();
        return ServerMethodDefinition.create(tolerant, (call, headers) -> refusing(call, headers, handler, prototype));
    }

    private static <Q, A> ServerCall.Listener<Q> refusing(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> handler,
                                                           Message prototype) {
        ServerCall.Listener<Q> next = handler.startCall(call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (message instanceof Message m && m.getUnknownFields().hasField(MARK)) {
                    refused = true;
                    String why = m.getUnknownFields().getField(MARK).getLengthDelimitedList().get(0).toStringUtf8();
                    call.close(Status.INVALID_ARGUMENT.withDescription("the request is not a " + prototype.getDescriptorForType().getFullName()
                            + " in protobuf's binary encoding: " + why), new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }

    private record LenientMarshaller<Q>(MethodDescriptor.PrototypeMarshaller<Q> strict, Message prototype)
            implements MethodDescriptor.PrototypeMarshaller<Q> {

        @Override
        public InputStream stream(Q value) {
            return strict.stream(value);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Q parse(InputStream stream) {
            try {
                return strict.parse(stream);
            } catch (StatusRuntimeException unreadable) {
                // Only the reason is needed, not the bytes: nothing is buffered for the requests that parse.
                String why = unreadable.getCause() != null ? unreadable.getCause().getMessage() : unreadable.getStatus().getDescription();
                return (Q) prototype.toBuilder().setUnknownFields(UnknownFieldSet.newBuilder().addField(MARK,
                        UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8(String.valueOf(why))).build()).build()).build();
            }
        }

        @Override
        public Q getMessagePrototype() {
            return strict.getMessagePrototype();
        }

        @Override
        public Class<Q> getMessageClass() {
            return strict.getMessageClass();
        }
    }
}

package io.un0.auth;

import io.grpc.Context;

/** The caller of the gRPC call being served, put in the call's context by {@link CallerInterceptor}. */
public final class Callers {

    static final Context.Key<Caller> KEY = Context.key("un0-caller");

    private Callers() {
    }

    /**
     * The current call's caller. Read it where the service method starts (the call's context is attached there), not
     * in work handed to other threads.
     *
     * @throws IllegalStateException outside a call that passed the interceptor: a service wired without it
     */
    public static Caller current() {
        Caller caller = KEY.get();
        if (caller == null) {
            throw new IllegalStateException("no caller in this context: the service is not behind CallerInterceptor");
        }
        return caller;
    }
}

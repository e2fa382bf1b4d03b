package io.un0.routing;

/** How long a job may wait: interactive work runs now or is refused; batch work may be held; deferrable work may wait for greener hours. */
public enum Urgency {
    INTERACTIVE, BATCH, DEFERRABLE
}

package io.un0.sim.optimum;

/**
 * Work that must run within an hour window on one of a set of pools. Work is divisible: any share of the images may
 * go to any allowed pool and hour.
 *
 * @param images       how many images, finite and &gt; 0
 * @param firstHour    first hour the work may run in, inclusive
 * @param lastHour     last hour the work may run in, inclusive; equal to {@code firstHour} for interactive work
 * @param allowedPools bit p set means pool p may run it (data residency narrows this)
 */
public record Demand(double images, int firstHour, int lastHour, long allowedPools) {

    public Demand {
        // Only the checks that need no horizon or pool count live here; OfflineOptimum checks the rest.
        if (!(images > 0) || Double.isInfinite(images)) {
            throw new IllegalArgumentException("images must be finite and > 0, was " + images);
        }
        if (firstHour < 0) {
            throw new IllegalArgumentException("firstHour must be >= 0, was " + firstHour);
        }
        if (lastHour < firstHour) {
            throw new IllegalArgumentException("lastHour " + lastHour + " is before firstHour " + firstHour);
        }
        if (allowedPools == 0) {
            throw new IllegalArgumentException("allowedPools is empty: the demand must allow at least one pool");
        }
    }
}

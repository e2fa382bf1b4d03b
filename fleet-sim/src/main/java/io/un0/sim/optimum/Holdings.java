package io.un0.sim.optimum;

import java.util.Arrays;

/**
 * Which slots each demand holds flow in, and how much; and, the other way round, which demands hold each slot. The
 * search walks from a demand to the slots it could hand over; the global relabel walks from a slot to its holders.
 */
final class Holdings {

    private final int[][] slotsOf;
    private final double[][] amountsOf;
    private final int[] slotCount;
    private final int[][] holdersOf;
    private final int[] holderCount;

    Holdings(int demands, int slots) {
        slotsOf = new int[demands][];
        amountsOf = new double[demands][];
        slotCount = new int[demands];
        holdersOf = new int[slots][];
        holderCount = new int[slots];
    }

    int slotCount(int demand) {
        return slotCount[demand];
    }

    int slot(int demand, int i) {
        return slotsOf[demand][i];
    }

    int holderCount(int slot) {
        return holderCount[slot];
    }

    int holder(int slot, int i) {
        return holdersOf[slot][i];
    }

    /** The flow {@code demand} holds in {@code slot}; 0 when it holds none. */
    double amount(int demand, int slot) {
        int i = indexOf(demand, slot);
        return i < 0 ? 0 : amountsOf[demand][i];
    }

    void add(int demand, int slot, double delta) {
        int i = indexOf(demand, slot);
        if (i >= 0) {
            amountsOf[demand][i] += delta;
            return;
        }
        int n = slotCount[demand];
        if (slotsOf[demand] == null) {
            // Most demands end up in a handful of slots, so start small.
            slotsOf[demand] = new int[4];
            amountsOf[demand] = new double[4];
        } else if (n == slotsOf[demand].length) {
            slotsOf[demand] = Arrays.copyOf(slotsOf[demand], 2 * n);
            amountsOf[demand] = Arrays.copyOf(amountsOf[demand], 2 * n);
        }
        slotsOf[demand][n] = slot;
        amountsOf[demand][n] = delta;
        slotCount[demand] = n + 1;

        int h = holderCount[slot];
        if (holdersOf[slot] == null) {
            holdersOf[slot] = new int[4];
        } else if (h == holdersOf[slot].length) {
            holdersOf[slot] = Arrays.copyOf(holdersOf[slot], 2 * h);
        }
        holdersOf[slot][h] = demand;
        holderCount[slot] = h + 1;
    }

    /** Moves {@code delta} of {@code demand}'s flow out of {@code slot}; a remainder within {@code tol} is dropped. */
    void take(int demand, int slot, double delta, double tol) {
        int i = indexOf(demand, slot);
        double left = amountsOf[demand][i] - delta;
        if (left > tol) {
            amountsOf[demand][i] = left;
            return;
        }
        // Dropping the entry removes the arc, so no search tries to move a rounding residue.
        int last = --slotCount[demand];
        slotsOf[demand][i] = slotsOf[demand][last];
        amountsOf[demand][i] = amountsOf[demand][last];
        int[] holders = holdersOf[slot];
        int lastHolder = --holderCount[slot];
        for (int j = 0; j < lastHolder; j++) {
            if (holders[j] == demand) {
                holders[j] = holders[lastHolder];
                break;
            }
        }
    }

    private int indexOf(int demand, int slot) {
        int[] s = slotsOf[demand];
        for (int i = 0, n = slotCount[demand]; i < n; i++) {
            if (s[i] == slot) {
                return i;
            }
        }
        return -1;
    }
}

package io.un0.sim.optimum;

/** A binary min-heap of slot indices keyed by slot cost, kept primitive to avoid boxing a year of slots. */
final class SlotHeap {

    private final double[] key;
    private final int[] heap;
    private int size;

    SlotHeap(double[] cost) {
        this.key = cost;
        this.heap = new int[cost.length];
    }

    boolean isEmpty() {
        return size == 0;
    }

    void push(int slot) {
        int i = size++;
        double k = key[slot];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (key[heap[parent]] <= k) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = slot;
    }

    int pop() {
        int top = heap[0];
        int last = heap[--size];
        double k = key[last];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && key[heap[child + 1]] < key[heap[child]]) {
                child++;
            }
            if (key[heap[child]] >= k) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = last;
        return top;
    }
}

package io.un0.vocabulary;

/** The kind of silicon a worker runs the generator on: what its execution provider says, the pool declares, the scheduler routes by and the accounting reports. */
public enum DeviceClass {
    CPU, GPU, NPU
}

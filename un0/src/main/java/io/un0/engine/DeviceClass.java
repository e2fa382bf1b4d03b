package io.un0.engine;

/** The kind of silicon an execution provider runs on; the scheduler routes by it. */
public enum DeviceClass {
    CPU, GPU, NPU
}

package io.un0.routing;

/** The silicon a pool runs on. */
public enum DeviceClass {
    CPU, GPU, NPU
}

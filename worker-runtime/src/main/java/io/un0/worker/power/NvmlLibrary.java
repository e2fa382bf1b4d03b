package io.un0.worker.power;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The calls {@link NvmlPower} makes into NVIDIA's management library, declared as in {@code nvml.h} and bound by JNA.
 * Each returns an {@code nvmlReturn_t}: {@link #SUCCESS}, or a code that {@link #nvmlErrorString} names; answers come
 * back through the by-reference arguments. Tests stand in for the library by implementing this interface.
 */
public interface NvmlLibrary extends Library {

    /** The soname the driver installs; the unversioned {@code libnvidia-ml.so} exists only with development packages. */
    String SONAME = "libnvidia-ml.so.1";

    int SUCCESS = 0;
    int ERROR_NOT_SUPPORTED = 3;

    /** {@code NVML_DEVICE_NAME_V2_BUFFER_SIZE}, also enough for {@code NVML_DEVICE_UUID_V2_BUFFER_SIZE}. */
    int TEXT_BUFFER_SIZE = 96;

    int nvmlInit_v2();

    int nvmlShutdown();

    String nvmlErrorString(int result);

    int nvmlDeviceGetCount_v2(IntByReference deviceCount);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    /** Writes a NUL-terminated name into {@code name}. */
    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    /** Writes a NUL-terminated UUID ({@code GPU-…}) into {@code uuid}. */
    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    /** Millijoules the device used since the driver was last loaded (Volta and newer). */
    int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference energy);

    /** The device's draw in milliwatts, averaged by the driver over a short window. */
    int nvmlDeviceGetPowerUsage(Pointer device, IntByReference power);
}

#!/usr/bin/env python3
"""Runs the Un-0 fp32 model (one step: one network evaluation per image) on the GPU at several batch sizes, each for
a measured window, and writes when each window began and ended (epoch seconds) so that the NVML probe's readings can
be cut to it. Runs the graph with onnxruntime's CUDA provider where it has one, else with PyTorch ops on CUDA
(onnx_torch.py); checks either against onnxruntime on the CPU. The data flow is the worker's: inputs made on the
host, copied to the device, the output copied back and the Euler step taken on the host.

The results file is rewritten after every step, so a run cut short still leaves what it measured."""

import argparse
import ctypes
import json
import math
import os
import sys
import time
import traceback

import numpy as np

CLASSES = 10


def feeds(batch, rng):
    """The engine's inputs for one step of batch images: noise, one-hot classes, t = 0 and step size d = 1."""
    return {"x": rng.standard_normal((batch, 1, 28, 28), dtype=np.float32),
            "label": np.eye(CLASSES, dtype=np.float32)[rng.integers(0, CLASSES, batch)],
            "t": np.zeros(batch, np.float32),
            "d": np.ones(batch, np.float32)}


class OrtCuda:
    how = ("onnxruntime InferenceSession, CUDAExecutionProvider only, its options at their defaults as the worker's engine leaves"
           " them; inputs from and outputs to host numpy at every call")

    def __init__(self, path):
        import onnxruntime as ort
        self.session = ort.InferenceSession(path, providers=["CUDAExecutionProvider"])
        if self.session.get_providers()[0] != "CUDAExecutionProvider":
            raise RuntimeError(f"onnxruntime put the session on {self.session.get_providers()}, not CUDA")

    def __call__(self, inputs):
        return self.session.run(["velocity"], inputs)[0]


class TorchOnnx:
    def __init__(self, path, device):
        import torch
        from onnx_torch import TorchGraph
        self.torch = torch
        self.device = torch.device(device)
        # fp32 as the model declares it: TF32 would round convolutions and matrix products to 10-bit mantissas.
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        self.graph = TorchGraph(path, self.device)
        self.how = (f"the ONNX graph interpreted with PyTorch {torch.__version__} ops (scripts/gpu-proof/onnx_torch.py) on "
                    f"{self.device}, TF32 off; inputs copied from host numpy and the output back at every call")

    def __call__(self, inputs):
        with self.torch.inference_mode():
            on_device = {k: self.torch.from_numpy(v).to(self.device) for k, v in inputs.items()}
            return self.graph(on_device)[0].cpu().numpy()


class NvmlCounter:
    """The GPU's energy counter read directly through ctypes at each window's edges: a check on the Java probe."""

    def __init__(self, index):
        self.lib = ctypes.CDLL("libnvidia-ml.so.1")
        self.lib.nvmlErrorString.restype = ctypes.c_char_p
        self._check("nvmlInit_v2", self.lib.nvmlInit_v2())
        self.handle = ctypes.c_void_p()
        self._check("nvmlDeviceGetHandleByIndex_v2", self.lib.nvmlDeviceGetHandleByIndex_v2(ctypes.c_uint(index), ctypes.byref(self.handle)))
        self.joules()

    def _check(self, function, result):
        if result != 0:
            raise RuntimeError(f"{function} failed: {self.lib.nvmlErrorString(result).decode()} (NVML error {result})")

    def joules(self):
        millijoules = ctypes.c_ulonglong()
        self._check("nvmlDeviceGetTotalEnergyConsumption", self.lib.nvmlDeviceGetTotalEnergyConsumption(self.handle, ctypes.byref(millijoules)))
        return millijoules.value / 1e3


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", required=True, help="the results file (JSON)")
    ap.add_argument("--batches", default="1,32,256")
    ap.add_argument("--seconds", type=float, default=8.0, help="how long each measured window should last")
    ap.add_argument("--ready-idle", type=float, default=3.0, help="seconds of nothing, the model loaded, before the windows")
    ap.add_argument("--budget", type=float, default=120.0, help="no window starts that would end later than this after start")
    ap.add_argument("--device", default="cuda", choices=["cuda", "cpu"], help="cpu: to check this script where there is no GPU")
    ap.add_argument("--gpu", type=int, default=0, help="the NVML index for the direct counter readings")
    args = ap.parse_args()
    started = time.time()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    result = {"model": args.model, "started": started, "phases": [], "notes": []}

    def save():
        with open(args.out + ".tmp", "w") as f:
            json.dump(result, f, indent=1)
        os.replace(args.out + ".tmp", args.out)

    def note(text):
        print(text, flush=True)
        result["notes"].append(text)
        save()

    result["environment"] = environment()
    save()

    try:
        nvml = NvmlCounter(args.gpu)
        result["direct_counter"] = f"libnvidia-ml.so.1 through ctypes, GPU {args.gpu}"
    except Exception as e:  # the probe's readings still give the energy
        nvml = None
        note(f"no direct NVML counter readings: {e}")

    run, how = runner(args, note)
    if run is None:
        return 3
    result["runner"] = how
    result["verification"] = verify(args.model, run)
    print("verification:", json.dumps(result["verification"]), flush=True)
    save()

    rng = np.random.default_rng(20261126)
    pools = {}
    for batch in (int(b) for b in args.batches.split(",")):
        pools[batch] = [feeds(batch, rng) for _ in range(4)]
        for inputs in pools[batch][:2]:
            run(inputs)  # first calls at a size pay for allocation and kernel choice
    result["phases"].append(window("ready-idle", 0, 0, nvml, lambda: time.sleep(args.ready_idle)))
    save()

    for batch, pool in pools.items():
        try:
            phase = measure(batch, pool, run, nvml, args, started)
        except Exception:
            note(f"batch {batch} failed: " + traceback.format_exc(limit=3))
            continue
        if isinstance(phase, str):
            note(phase)
            continue
        print(json.dumps(phase), flush=True)
        result["phases"].append(phase)
        save()
    result["ended"] = time.time()
    save()
    return 0


def measure(batch, pool, run, nvml, args, started):
    """A window of about args.seconds at this batch size, its number of calls fixed beforehand from a 1 s calibration."""
    calls, calibrated = 0, time.perf_counter()
    while calls < 3 or time.perf_counter() - calibrated < 1.0:
        step(run, pool[calls % len(pool)])
        calls += 1
    per_call = (time.perf_counter() - calibrated) / calls
    calls = max(3, math.ceil(args.seconds / per_call))
    if time.time() + calls * per_call > started + args.budget:
        return f"batch {batch}: skipped, {calls} calls of {per_call * 1e3:.2f} ms would end past the {args.budget:.0f} s budget"

    def work():
        for i in range(calls):
            step(run, pool[i % len(pool)])

    return window(f"batch-{batch}", batch, calls, nvml, work)


def step(run, inputs):
    """One Un-0 step as the engine takes it: x + d * velocity."""
    return inputs["x"] + inputs["d"][:, None, None, None] * run(inputs)


def window(name, batch, calls, nvml, work):
    """Runs work and says when it ran; each call returns its output on the host, so nothing is left running on the GPU."""
    e0 = nvml.joules() if nvml else None
    t0 = time.time()
    work()
    t1 = time.time()
    e1 = nvml.joules() if nvml else None
    phase = {"phase": name, "batch": batch, "calls": calls, "images": batch * calls, "t0": t0, "t1": t1, "seconds": t1 - t0,
             "images_per_s": batch * calls / (t1 - t0) if batch else None}
    if nvml:
        phase["direct_counter_joules"] = e1 - e0
    return phase


def runner(args, note):
    if args.device == "cuda":
        try:
            import onnxruntime as ort
            if "CUDAExecutionProvider" in ort.get_available_providers():
                run = OrtCuda(args.model)
                run(feeds(2, np.random.default_rng(0)))
                return run, run.how
            note(f"onnxruntime {ort.__version__} has no CUDA provider ({ort.get_available_providers()}): PyTorch runs the graph")
        except Exception as e:
            note(f"onnxruntime's CUDA provider cannot run the model ({e!r}): PyTorch runs the graph")
        try:
            import torch
            if not torch.cuda.is_available():
                note(f"PyTorch {torch.__version__} sees no CUDA device: nothing can run the model on the GPU")
                return None, None
        except Exception as e:
            note(f"PyTorch cannot be imported ({e!r}): nothing can run the model on the GPU")
            return None, None
    try:
        run = TorchOnnx(args.model, args.device)
        run(feeds(2, np.random.default_rng(0)))
        return run, run.how
    except Exception:
        note("PyTorch cannot run the graph: " + traceback.format_exc(limit=3))
        return None, None


def verify(model, run):
    """The largest difference from onnxruntime on the CPU, over 16 images."""
    inputs = feeds(16, np.random.default_rng(7))
    try:
        import onnxruntime as ort
        reference = ort.InferenceSession(model, providers=["CPUExecutionProvider"]).run(["velocity"], inputs)[0]
    except Exception as e:
        return {"checked": False, "why": f"onnxruntime on the CPU is not available: {e!r}"}
    got = run(inputs)
    return {"checked": True, "against": f"onnxruntime {ort.__version__} CPUExecutionProvider", "images": 16,
            "max_abs_diff": float(np.abs(got - reference).max()), "max_abs_reference": float(np.abs(reference).max())}


def environment():
    found = {"python": sys.version.split()[0], "numpy": np.__version__}
    try:
        import torch
        found["torch"] = torch.__version__
        found["torch_cuda"] = torch.version.cuda
        if torch.cuda.is_available():
            found["cuda_device"] = torch.cuda.get_device_name(0)
            found["cudnn"] = torch.backends.cudnn.version()
    except Exception as e:
        found["torch"] = f"unavailable: {e!r}"
    try:
        import onnxruntime as ort
        found["onnxruntime"] = ort.__version__
        found["onnxruntime_providers"] = ort.get_available_providers()
    except Exception as e:
        found["onnxruntime"] = f"unavailable: {e!r}"
    return found


if __name__ == "__main__":
    sys.exit(main())

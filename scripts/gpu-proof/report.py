#!/usr/bin/env python3
"""Cuts the NVML probe's readings (NvmlProbe's JSON lines) to the idle window and the model's windows and writes
gpu-proof.json: joules, J/image (total and above idle), images/s and watts, each with how it was obtained. Works with
whatever is there: a missing probe, idle window or model run leaves its figures null with the reason."""

import argparse
import json
import os


def read_probe(path):
    probe = {"start": None, "readings": [], "summary": None, "error": None}
    try:
        with open(path) as f:
            for line in f:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue  # a line cut by the probe's end
                if "summary" in record:
                    probe["summary"] = record
                elif "error" in record and "t" not in record:
                    probe["error"] = record["error"]
                elif "t" in record:
                    probe["readings"].append(record)
                else:
                    probe["start"] = record
    except OSError as e:
        probe["error"] = f"no probe output: {e}"
    return probe


def interpolate(points, t):
    """The value at t, linear between the two readings around it; None outside the readings."""
    for (ta, va), (tb, vb) in zip(points, points[1:]):
        if ta <= t <= tb:
            return va if tb == ta else va + (vb - va) * (t - ta) / (tb - ta)
    return None


def counter_joules(readings, t0, t1):
    points = [(r["t"], r["energy_j"]) for r in readings if r.get("energy_j") is not None]
    e0, e1 = interpolate(points, t0), interpolate(points, t1)
    return None if e0 is None or e1 is None else e1 - e0


def reading_joules(readings, t0, t1):
    """Trapezoids over the power readings inside [t0, t1], the edges interpolated; None unless readings span it."""
    points = [(r["t"], r["watts"]) for r in readings if r.get("watts") is not None]
    w0, w1 = interpolate(points, t0), interpolate(points, t1)
    if w0 is None or w1 is None:
        return None
    inside = [(t0, w0)] + [p for p in points if t0 < p[0] < t1] + [(t1, w1)]
    return sum((wa + wb) / 2 * (tb - ta) for (ta, wa), (tb, wb) in zip(inside, inside[1:]))


def per(value, divisor):
    return None if value is None or not divisor else value / divisor


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", required=True, help="where nvml-probe.jsonl, idle.json and bench.json are and gpu-proof.json goes")
    args = ap.parse_args()
    probe = read_probe(os.path.join(args.dir, "nvml-probe.jsonl"))
    readings = probe["readings"]
    report = {"device": (probe["start"] or {}).get("gpu"), "meter": (probe["start"] or {}).get("meter"),
              "probe": {"readings": len(readings), "error": probe["error"], "summary": probe["summary"]},
              "how": {"counter": "NvmlProbe (NvmlPower, the worker's meter, through JNA) read nvmlDeviceGetTotalEnergyConsumption"
                                 " every 200 ms; a window's joules are the counter's difference between its edges, each edge"
                                 " interpolated between the two readings around it: measured",
                      "readings": "the same probe's nvmlDeviceGetPowerUsage readings integrated by trapezoids over the window:"
                                  " measured readings, integrated (a cross-check)",
                      "direct_counter": "gpu_bench.py read the same counter through ctypes exactly at each window's edges: measured",
                      "dynamic": "(window joules - idle watts x window seconds) / images, the window's joules by the probe's"
                                 " counter (else the direct one), idle watts as dynamic_idle says"},
              "idle": None, "ready_idle": None, "batches": [], "notes": []}

    try:
        with open(os.path.join(args.dir, "idle.json")) as f:
            idle = json.load(f)
        seconds = idle["t1"] - idle["t0"]
        joules = counter_joules(readings, idle["t0"], idle["t1"])
        report["idle"] = {"seconds": seconds, "watts_by_counter": per(joules, seconds),
                          "watts_by_readings": per(reading_joules(readings, idle["t0"], idle["t1"]), seconds),
                          "what": "no process on the GPU but the probe (NVML only, no CUDA context)"}
    except (OSError, ValueError, KeyError) as e:
        report["notes"].append(f"no idle window: {e!r}")

    try:
        with open(os.path.join(args.dir, "bench.json")) as f:
            bench = json.load(f)
    except (OSError, ValueError) as e:
        bench = {}
        report["notes"].append(f"no model run: {e!r}")
    for key in ("runner", "verification", "environment", "notes"):
        report["model_" + key] = bench.get(key)
    if report["device"] is None and (bench.get("environment") or {}).get("cuda_device"):
        report["device"] = {"name": bench["environment"]["cuda_device"], "from": "PyTorch, the probe having named none"}

    for phase in bench.get("phases", []):
        joules = counter_joules(readings, phase["t0"], phase["t1"])
        by_readings = reading_joules(readings, phase["t0"], phase["t1"])
        seconds = phase["seconds"]
        figures = {"seconds": seconds, "joules_by_counter": joules, "watts_by_counter": per(joules, seconds),
                   "joules_by_readings": by_readings, "watts_by_readings": per(by_readings, seconds),
                   "joules_by_direct_counter": phase.get("direct_counter_joules")}
        if phase["phase"] == "ready-idle":
            figures["what"] = "the model loaded (CUDA context alive), nothing running"
            report["ready_idle"] = figures
            continue
        images = phase["images"]
        figures.update({"batch": phase["batch"], "calls": phase["calls"], "images": images, "images_per_s": phase["images_per_s"],
                        "j_per_image": per(joules, images), "j_per_image_by_readings": per(by_readings, images),
                        "j_per_image_by_direct_counter": per(phase.get("direct_counter_joules"), images)})
        report["batches"].append(figures)

    # Dynamic joules need idle watts: from the idle window where the probe read it, else from the direct readings
    # around the ready-idle window (a CUDA context then exists, so the figure runs a little higher).
    idle_watts = (report["idle"] or {}).get("watts_by_counter")
    report["dynamic_idle"] = "the idle window's watts by the probe's counter"
    if idle_watts is None:
        ready = report["ready_idle"] or {}
        idle_watts = per(ready.get("joules_by_direct_counter"), ready.get("seconds"))
        report["dynamic_idle"] = None if idle_watts is None else "the ready-idle window's watts by the direct counter: the probe read no idle window"
    for figures in report["batches"]:
        joules = figures["joules_by_counter"] if figures["joules_by_counter"] is not None else figures["joules_by_direct_counter"]
        figures["dynamic_j_per_image"] = None if joules is None or idle_watts is None else (joules - idle_watts * figures["seconds"]) / figures["images"]

    with open(os.path.join(args.dir, "gpu-proof.json"), "w") as f:
        json.dump(report, f, indent=1)
    print(json.dumps({"device": report["device"], "idle": report["idle"], "batches": report["batches"]}, indent=1))


if __name__ == "__main__":
    main()

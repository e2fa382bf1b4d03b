"""Runs an ONNX graph with PyTorch ops, on whichever device torch is given: for a GPU whose onnxruntime has no CUDA
provider. It knows exactly the op types that the Un-0 fp32 graph uses (opset 17, written by un0-train's OnnxGraph) and
refuses a graph with any other, naming it, rather than compute something else."""

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def _attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


class TorchGraph:
    SUPPORTED = {"Add", "Concat", "Conv", "Cos", "DepthToSpace", "Div", "Gemm", "Identity", "Mul", "ReduceMean",
                 "Reshape", "Sigmoid", "Sin", "Sqrt", "Sub", "Unsqueeze"}

    def __init__(self, path, device):
        model = onnx.load(path)
        graph = model.graph
        unknown = sorted({n.op_type for n in graph.node} - self.SUPPORTED)
        if unknown:
            raise NotImplementedError(f"{path}: op types {unknown} are not interpreted (only {sorted(self.SUPPORTED)})")
        self.device = device
        self.nodes = list(graph.node)  # ONNX requires nodes in topological order
        self.outputs = [o.name for o in graph.output]
        self.inputs = [i.name for i in graph.input]
        self.weights = {}
        # Shapes and axes stay on the host as lists: reading them from the GPU would wait for it at every call.
        self.host = {}
        for init in graph.initializer:
            array = numpy_helper.to_array(init)
            if array.dtype == np.int64:
                self.host[init.name] = array.tolist()
            else:
                self.weights[init.name] = torch.from_numpy(array.copy()).to(device)

    def __call__(self, feeds):
        """feeds: input name -> torch tensor on the device; returns the graph's outputs in order."""
        values = dict(self.weights)
        values.update(feeds)
        for node in self.nodes:
            args = [values[name] if name in values else self.host.get(name) for name in node.input if name]
            values[node.output[0]] = self._run(node, args)
        return [values[name] for name in self.outputs]

    @staticmethod
    def _run(node, args):
        op, attrs = node.op_type, _attributes(node)
        if op in ("Add", "Sub", "Mul", "Div"):
            return {"Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Div": torch.div}[op](args[0], args[1])
        if op in ("Sin", "Cos", "Sigmoid", "Sqrt"):
            return {"Sin": torch.sin, "Cos": torch.cos, "Sigmoid": torch.sigmoid, "Sqrt": torch.sqrt}[op](args[0])
        if op == "Identity":
            return args[0]
        if op == "Concat":
            return torch.cat(args, dim=attrs["axis"])
        if op == "Unsqueeze":  # opset 13+: the axes are an input
            x = args[0]
            rank = x.dim() + len(args[1])
            for axis in sorted(a % rank for a in args[1]):
                x = x.unsqueeze(axis)
            return x
        if op == "Reshape":  # 0 copies the input's dimension (allowzero = 0), -1 is inferred
            if attrs.get("allowzero", 0):
                raise NotImplementedError("Reshape with allowzero=1")
            shape = [args[0].shape[i] if s == 0 else s for i, s in enumerate(args[1])]
            return args[0].reshape(shape)
        if op == "ReduceMean":  # opset 17: axes an attribute; none means all
            axes = attrs.get("axes", list(range(args[0].dim())))
            return args[0].mean(dim=axes, keepdim=bool(attrs.get("keepdims", 1)))
        if op == "Gemm":
            a = args[0].t() if attrs.get("transA", 0) else args[0]
            b = args[1].t() if attrs.get("transB", 0) else args[1]
            y = attrs.get("alpha", 1.0) * (a @ b)
            return y + attrs.get("beta", 1.0) * args[2] if len(args) > 2 else y
        if op == "Conv":
            if attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
                raise NotImplementedError("Conv with auto_pad")
            pads = attrs.get("pads", [0, 0, 0, 0])
            half = len(pads) // 2
            x = args[0]
            if pads[:half] != pads[half:]:  # ONNX: all begins, then all ends; F.pad: last axis first, begin and end
                x = F.pad(x, [p for i in reversed(range(half)) for p in (pads[i], pads[i + half])])
                pads = [0] * len(pads)
            return F.conv2d(x, args[1], args[2] if len(args) > 2 else None, stride=attrs.get("strides", 1),
                            padding=pads[:half], dilation=attrs.get("dilations", 1), groups=attrs.get("group", 1))
        if op == "DepthToSpace":
            mode = attrs.get("mode", b"DCR")
            if mode not in (b"CRD", "CRD"):
                raise NotImplementedError(f"DepthToSpace mode {mode}")
            return F.pixel_shuffle(args[0], attrs["blocksize"])  # CRD is pixel shuffle's order
        raise NotImplementedError(op)

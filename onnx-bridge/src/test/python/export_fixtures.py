#!/usr/bin/python3
"""Exports the ONNX fixtures of the onnx-bridge tests with real torch.onnx.export.

Provenance
    torch  1.13.0a0 as it reports itself (Debian bookworm python3-torch 1.13.1+dfsg-4)
    onnx   1.12.0   (Debian bookworm python3-onnx 1.12.0-2+b4)
    command, from the repository root:
        /usr/bin/python3 onnx-bridge/src/test/python/export_fixtures.py \
            onnx-bridge/src/test/resources/dev/descent/onnx/fixtures

Each model is exported at opsets 13 and 17 with a symbolic batch dimension named "batch" on
its input "x" and output "y", in eval mode (BatchNorm uses running statistics). Weights come
from torch.manual_seed(SEED) and the BatchNorm running statistics are set to non-trivial
values, so that a wrong epsilon, mean or variance shows in the parity tests. Beside each model,
NAME.sample.json holds one input batch and torch's output on it (float32 values written with
repr, so they round-trip exactly).
"""
import json
import os
import sys

import onnx
import torch
from torch import nn

SEED = 20261129
OPSETS = (13, 17)


class Mlp(nn.Module):
    """Linear layers with ReLU, Tanh, Sigmoid and exact GELU (which exports as Erf)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(4, 16), nn.ReLU(),
            nn.Linear(16, 16), nn.Tanh(),
            nn.Linear(16, 8), nn.Sigmoid(),
            nn.Linear(8, 8), nn.GELU(),
            nn.Linear(8, 2))

    def forward(self, x):
        return self.net(x)


class SmallCnn(nn.Module):
    """Conv2d (padding, stride, dilation, groups), BatchNorm, MaxPool, AvgPool, a
    GlobalAveragePool branch, a flatten written as view(size(0), -1) (which torch exports as
    Shape/Gather/Unsqueeze/Concat/Reshape) and Linear; Softmax at the end."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, padding=1)
        self.pool1 = nn.MaxPool2d(2)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 6, kernel_size=3, padding=2, dilation=2, groups=2)
        self.pool2 = nn.AvgPool2d(kernel_size=2, stride=2)
        self.conv3 = nn.Conv2d(6, 6, kernel_size=3, stride=2, padding=1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(6 * 2 * 2 + 6, 3)

    def forward(self, x):
        h = self.bn1(self.pool1(torch.relu(self.conv1(x))))
        h = self.pool2(torch.tanh(self.conv2(h)))
        g = torch.flatten(self.gap(torch.relu(self.conv3(h))), 1)
        h = h.view(h.size(0), -1)
        return torch.softmax(self.fc(torch.cat([h, g], dim=1)), dim=1)


class LayerNormMlp(nn.Module):
    """Linear, LayerNorm (exported decomposed via ReduceMean at opset 13 and as
    LayerNormalization at opset 17), GELU, Linear."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 8)
        self.norm = nn.LayerNorm(8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(nn.functional.gelu(self.norm(self.fc1(x))))


def randomize_batchnorm(model, gen):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.5)
            m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
            m.bias.data.copy_(torch.randn(m.num_features, generator=gen) * 0.1)
        if isinstance(m, nn.LayerNorm):
            m.weight.data.copy_(torch.rand(m.normalized_shape, generator=gen) + 0.5)
            m.bias.data.copy_(torch.randn(m.normalized_shape, generator=gen) * 0.1)


def export(model, example, name, out_dir):
    gen = torch.Generator().manual_seed(SEED + 1)
    with torch.no_grad():
        randomize_batchnorm(model, gen)
    model.eval()
    sample = torch.randn(example.shape, generator=gen)
    with torch.no_grad():
        expected = model(sample)
    for opset in OPSETS:
        path = os.path.join(out_dir, f"{name}_opset{opset}.onnx")
        torch.onnx.export(
            model, example, path, opset_version=opset,
            input_names=["x"], output_names=["y"],
            dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}},
            training=torch.onnx.TrainingMode.EVAL, do_constant_folding=True)
        onnx.checker.check_model(onnx.load(path))
        ops = sorted({n.op_type for n in onnx.load(path).graph.node})
        print(f"{path}: {os.path.getsize(path)} bytes, ops {ops}")
    with open(os.path.join(out_dir, f"{name}.sample.json"), "w") as f:
        json.dump({"model": name, "input_shape": list(sample.shape),
                   "input": [float(v) for v in sample.flatten().tolist()],
                   "output_shape": list(expected.shape),
                   "output": [float(v) for v in expected.flatten().tolist()]}, f)
        f.write("\n")


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(SEED)
    export(Mlp(), torch.zeros(2, 4), "mlp", out_dir)
    export(SmallCnn(), torch.zeros(2, 1, 8, 8), "cnn", out_dir)
    export(LayerNormMlp(), torch.zeros(2, 6), "layernorm", out_dir)


if __name__ == "__main__":
    main()

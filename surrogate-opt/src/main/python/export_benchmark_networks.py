#!/usr/bin/python3
"""Trains and exports the torch networks of the surrogate benchmark problem set.

Provenance
    torch  1.13.0a0 as it reports itself (Debian bookworm python3-torch 1.13.1+dfsg-4)
    onnx   1.12.0   (Debian bookworm python3-onnx 1.12.0-2+b4)
    command, from the repository root:
        /usr/bin/python3 surrogate-opt/src/main/python/export_benchmark_networks.py \
            surrogate-opt/src/main/resources/dev/descent/surrogate/bench

Each network is a small MLP fitted in float32 by Adam (full batch of 4096 uniform points on
[-1, 1]^n, 1500 steps, lr 3e-3, seed SEED) to a closed-form function written below, then exported
in eval mode with torch.onnx.export at opset 17, input "x" and output "y" with a symbolic first
dimension "batch". Beside each model, NAME.sample.json holds four input rows and torch's float32
output on them (json writes floats with repr, so they round-trip), which the Java tests compare with ONNX
Runtime. The final training MSE of each fit is printed; the networks are surrogates in the
benchmark, so what matters is that they are smooth, multimodal and fixed, not that they fit well.
"""
import json
import math
import os
import sys

import onnx
import torch
from torch import nn

SEED = 20261130
OPSET = 17
SAMPLES = 4096
STEPS = 1500
LR = 3e-3


def peaks(x):
    """MATLAB's peaks function on [-3, 3]^2 mapped to [-1, 1]^2: three bumps and two wells."""
    u, v = 3 * x[:, 0], 3 * x[:, 1]
    return (3 * (1 - u) ** 2 * torch.exp(-u ** 2 - (v + 1) ** 2)
            - 10 * (u / 5 - u ** 3 - v ** 5) * torch.exp(-u ** 2 - v ** 2)
            - torch.exp(-(u + 1) ** 2 - v ** 2) / 3).unsqueeze(1) / 8


HARTMANN_A = torch.tensor([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
                           [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
HARTMANN_P = 1e-4 * torch.tensor([[1312, 1696, 5569, 124, 8283, 5886],
                                  [2329, 4135, 8307, 3736, 1004, 9991],
                                  [2348, 1451, 3522, 2883, 3047, 6650],
                                  [4047, 8828, 8732, 5743, 1091, 381]])
HARTMANN_ALPHA = torch.tensor([1.0, 1.2, 3.0, 3.2])


def hartmann_with_constraint(x):
    """Output 0: the negated Hartmann-6 function (maximum 3.32 at an interior point of [0, 1]^6)
    on [-1, 1]^6 mapped to [0, 1]^6. Output 1: a smooth constraint value, feasible when <= 0:
    the squared distance to (0.5, ..., 0.5) in the unit cube minus 0.6."""
    z = (x + 1) / 2
    inner = (HARTMANN_A.unsqueeze(0) * (z.unsqueeze(1) - HARTMANN_P.unsqueeze(0)) ** 2).sum(2)
    h = (HARTMANN_ALPHA * torch.exp(-inner)).sum(1)
    c = ((z - 0.5) ** 2).sum(1) - 0.6
    return torch.stack([h, c], 1)


STYBLINSKI_SHIFT = torch.linspace(-0.4, 0.4, 20)


def styblinski_tang(x):
    """The negated Styblinski-Tang function scaled to [-1, 1]^20 (x = 5 z), shifted per coordinate,
    divided by 100: 2^20 local maxima, the global one near z_i = -0.58 + shift_i."""
    z = 5 * (x - STYBLINSKI_SHIFT)
    return (-(z ** 4 - 16 * z ** 2 + 5 * z).sum(1) / 2 / 100).unsqueeze(1)


LATENT_DIRECTIONS = torch.linspace(-1, 1, 48 * 3).reshape(3, 48).sin()


def latent_scores(x):
    """Three smooth scores of a 48-dimensional 'latent' vector, in the spirit of a decoder
    followed by property predictors: tanh of two projections and a radial term."""
    p = x @ LATENT_DIRECTIONS.T
    return torch.stack([torch.tanh(p[:, 0]) + 0.3 * torch.sin(2 * p[:, 1]),
                        torch.tanh(p[:, 1] - 0.5 * p[:, 2]),
                        1 - (x ** 2).mean(1)], 1)


def mlp(sizes, activation):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(activation())
    return nn.Sequential(*layers)


NETWORKS = [
    # name, layer sizes, activation, target function
    ("peaks_n2_m1", [2, 32, 32, 1], nn.Tanh, peaks),
    ("hartmann_n6_m2", [6, 48, 48, 2], nn.Tanh, hartmann_with_constraint),
    ("styblinski_n20_m1", [20, 48, 48, 48, 1], nn.SiLU, styblinski_tang),
    ("latent_n48_m3", [48, 64, 3], nn.Tanh, latent_scores),
]


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, sizes, activation, target in NETWORKS:
        torch.manual_seed(SEED)
        net = mlp(sizes, activation)
        x = 2 * torch.rand(SAMPLES, sizes[0]) - 1
        y = target(x)
        optimizer = torch.optim.Adam(net.parameters(), lr=LR)
        for _ in range(STEPS):
            optimizer.zero_grad()
            loss = ((net(x) - y) ** 2).mean()
            loss.backward()
            optimizer.step()
        net.eval()
        path = os.path.join(out_dir, name + ".onnx")
        torch.onnx.export(net, torch.zeros(1, sizes[0]), path, opset_version=OPSET,
                          input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
        onnx.checker.check_model(onnx.load(path))
        sample = 2 * torch.rand(4, sizes[0]) - 1
        with torch.no_grad():
            output = net(sample)
        with open(os.path.join(out_dir, name + ".sample.json"), "w") as f:
            json.dump({"input": sample.tolist(),
                       "output": output.tolist()},
                      f, indent=1)
        print(f"{name}: sizes {sizes}, final MSE {loss.item():.3e}, "
              f"target variance {y.var().item():.3e}, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main(sys.argv[1])

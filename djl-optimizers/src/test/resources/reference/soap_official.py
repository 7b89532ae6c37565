#!/usr/bin/env python3
"""Generate reference parameter trajectories from the OFFICIAL SOAP implementation.

What it does
    Runs the official SOAP optimizer (PyTorch) on fixed, deterministic inputs and writes the
    parameter after every call of step() as CSV (soap_official.csv next to this file). The Java
    test SoapOfficialTest recomputes the same inputs and compares.

Official code used (imported at runtime from the given folder, not copied here)
    repository : https://github.com/nikhilvyas/SOAP
    path       : soap.py
    commit     : a1e553530fde97d0e6b307d7c82ac6d38b072340
Torch used
    Debian python3-torch 1.13.1+dfsg-4 (torch.__version__ == "1.13.0a0"), CPU, /usr/bin/python3

Problem
    One parameter of the config's shape, row-major flat index i: p0[i] = 0.5*cos(0.3*i + 0.1).
    For call t = 1..25: p.grad = g_t[i] = sin(0.7*t + 1.3*i + 0.37*i*i) * (1 + 0.1*(i % 5)),
    computed in float64 and cast; then optimizer.step(); record p. The quadratic phase keeps
    the per-axis statistics well conditioned (eigenvalue gaps >= 0.01 of the largest), so that
    the eigenbases are determined (up to sign, to which SOAP is invariant) in float32 too.
    Every config runs in float32 and float64.

float64 runs
    soap.py creates its statistics with torch.zeros (the default dtype) and decomposes them
    after .float(); for a float64 run the default dtype is set to float64 and Tensor.float is
    replaced by the identity while stepping, so the official code runs entirely in float64
    (otherwise its eigenvectors would carry float32 rounding). The code itself is unchanged.

Output
    '#' comment lines, then header "config,dtype,step,i,p", one row per (config, dtype, call, i);
    p printed as repr(float(x)) (exact round trip).

Regenerate
    mkdir -p /tmp/soapref && git --git-dir=/work/.mirror/nikhilvyas+SOAP/repo archive \
      a1e553530fde97d0e6b307d7c82ac6d38b072340 soap.py | tar -x -C /tmp/soapref
    /usr/bin/python3 djl-optimizers/src/test/resources/reference/soap_official.py /tmp/soapref \
      djl-optimizers/src/test/resources/reference/soap_official.csv
"""

import math
import sys

COMMIT = "a1e553530fde97d0e6b307d7c82ac6d38b072340"
STEPS = 25

# name -> (shape, SOAP kwargs; anything not listed is the reference default)
CONFIGS = [
    ("defaults", (4, 4), dict()),
    ("frequency3", (3, 4), dict(lr=1e-2, betas=(0.9, 0.99), shampoo_beta=0.8,
                                precondition_frequency=3, weight_decay=0.0)),
    ("merge_dims", (2, 2, 5), dict(lr=1e-2, merge_dims=True, max_precond_dim=5,
                                   precondition_frequency=4)),
    ("partial_no_bias", (3, 4), dict(lr=1e-2, max_precond_dim=3, correct_bias=False,
                                     precondition_frequency=5)),
    ("normalize_3d", (3, 3, 3), dict(lr=1e-2, normalize_grads=True, precondition_frequency=5)),
    ("precondition_1d", (2,), dict(lr=1e-2, precondition_1d=True, precondition_frequency=5)),
    ("vector", (6,), dict(lr=1e-2)),
]


def size(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def initial_values(n):
    return [0.5 * math.cos(0.3 * i + 0.1) for i in range(n)]


def gradient_values(t, n):
    return [math.sin(0.7 * t + 1.3 * i + 0.37 * i * i) * (1 + 0.1 * (i % 5)) for i in range(n)]


def run(torch, SOAP, shape, kwargs, dtype):
    n = size(shape)
    p = torch.nn.Parameter(torch.tensor(initial_values(n), dtype=torch.float64)
                           .to(dtype).reshape(shape))
    opt = SOAP([p], **kwargs)
    trajectory = []
    for t in range(1, STEPS + 1):
        p.grad = torch.tensor(gradient_values(t, n), dtype=torch.float64).to(dtype).reshape(shape)
        opt.step()
        trajectory.append([float(x) for x in p.detach().reshape(-1).tolist()])
    return trajectory


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: soap_official.py <folder with soap.py> [out.csv]\n")
        return 2
    sys.path.insert(0, argv[1])
    import torch
    from soap import SOAP

    torch.set_num_threads(1)
    lines = [
        "# Reference trajectories from the official SOAP (github.com/nikhilvyas/SOAP soap.py @ "
        + COMMIT + ")",
        "# generator: soap_official.py; torch " + torch.__version__ + " (Debian python3-torch), CPU",
        "config,dtype,step,i,p",
    ]
    to_float = torch.Tensor.float
    for name, shape, kwargs in CONFIGS:
        for dtype, dname in ((torch.float32, "float32"), (torch.float64, "float64")):
            torch.set_default_dtype(dtype)
            if dtype == torch.float64:
                torch.Tensor.float = lambda self: self
            try:
                trajectory = run(torch, SOAP, shape, kwargs, dtype)
            finally:
                torch.Tensor.float = to_float
                torch.set_default_dtype(torch.float32)
            for t, values in enumerate(trajectory, start=1):
                for i, v in enumerate(values):
                    lines.append("%s,%s,%d,%d,%s" % (name, dname, t, i, repr(v)))
    text = "\n".join(lines) + "\n"
    if len(argv) == 3:
        with open(argv[2], "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

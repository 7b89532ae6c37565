#!/usr/bin/env python3
"""Generate reference parameter trajectories from the OFFICIAL AdaBelief implementation.

What it does
    Runs the official AdaBelief optimizer (PyTorch) on a fixed, deterministic problem and
    writes the parameter value after every step as CSV (adabelief_official.csv next to this
    file). The Java tests recompute the same inputs and compare against these values.

Official code used (imported at runtime from the given folder, not copied here)
    repository : https://github.com/juntang-zhuang/Adabelief-Optimizer
    path       : pypi_packages/adabelief_pytorch0.2.1  (package adabelief_pytorch 0.2.1)
    commit     : 2855178eff6776762793f915ce2c615f776a1e4b
Torch used
    Debian python3-torch 1.13.1+dfsg-4 (torch.__version__ == "1.13.0a0"), CPU, /usr/bin/python3

Problem
    One parameter tensor p of shape (10,), p0[i] = 0.5*cos(0.3*i + 0.1) (float64, then cast).
    For step t = 1..30: p.grad = fresh tensor g_t[i] = sin(0.7*t + 1.3*i) * (1 + 0.1*i)
    (float64, then cast; independent of p), then optimizer.step(); record p.
    Every config is run in torch.float32 and torch.float64.

Output
    '#' comment lines, then header "config,dtype,step,i,p", one row per (config, dtype, step, i).
    p is printed as repr(float(x)), which round-trips exactly (float32 values are widened to
    double first, so parsing the text as double and narrowing to float gives the exact value).

Regenerate
    mkdir -p /tmp/adabelief && cd /work/.mirror/juntang-zhuang+Adabelief-Optimizer/repo && \
      git archive 2855178eff6776762793f915ce2c615f776a1e4b pypi_packages/adabelief_pytorch0.2.1 \
      | tar -x -C /tmp/adabelief
    /usr/bin/python3 djl-optimizers/src/test/resources/reference/adabelief_official.py \
      /tmp/adabelief/pypi_packages/adabelief_pytorch0.2.1 \
      djl-optimizers/src/test/resources/reference/adabelief_official.csv
    (requires Debian packages python3-torch, python3-tabulate, python3-colorama; with no
    second argument the CSV goes to stdout)
"""

import contextlib
import math
import sys

COMMIT = "2855178eff6776762793f915ce2c615f776a1e4b"
N = 10
STEPS = 30

# name -> AdaBelief kwargs (anything not listed is the package default)
CONFIGS = [
    ("rectify", dict(lr=1e-2)),
    ("plain", dict(lr=1e-2, rectify=False)),
    ("amsgrad", dict(lr=1e-2, rectify=False, amsgrad=True)),
    ("amsgrad_rectify", dict(lr=1e-2, amsgrad=True)),
    ("decoupled_wd", dict(lr=1e-2, weight_decay=0.1)),
    ("fixed_wd", dict(lr=1e-2, weight_decay=0.01, fixed_decay=True)),
    ("coupled_wd", dict(lr=1e-2, weight_decay=0.1, weight_decouple=False, rectify=False)),
    ("no_degenerate", dict(lr=1e-2, degenerated_to_sgd=False)),
    ("betas", dict(lr=1e-2, betas=(0.8, 0.9), eps=1e-8)),
    ("defaults", dict()),
]


def initial_values():
    return [0.5 * math.cos(0.3 * i + 0.1) for i in range(N)]


def gradient_values(t):
    return [math.sin(0.7 * t + 1.3 * i) * (1 + 0.1 * i) for i in range(N)]


def run(torch, AdaBelief, kwargs, dtype):
    p = torch.nn.Parameter(torch.tensor(initial_values(), dtype=torch.float64).to(dtype))
    # The constructor prints banners to stdout; keep them out of the CSV.
    with contextlib.redirect_stdout(sys.stderr):
        opt = AdaBelief([p], **kwargs)
    trajectory = []
    for t in range(1, STEPS + 1):
        # fresh tensor every step: coupled weight decay modifies the grad in place
        p.grad = torch.tensor(gradient_values(t), dtype=torch.float64).to(dtype)
        opt.step()
        trajectory.append([float(x) for x in p.detach().tolist()])
    return trajectory


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: adabelief_official.py <path/to/adabelief_pytorch0.2.1> [out.csv]\n")
        return 2
    sys.path.insert(0, argv[1])
    import torch
    from adabelief_pytorch import AdaBelief

    torch.set_num_threads(1)
    lines = [
        "# Reference trajectories from the official AdaBelief (adabelief_pytorch 0.2.1)",
        "# generator: adabelief_official.py; code: github.com/juntang-zhuang/Adabelief-Optimizer "
        "pypi_packages/adabelief_pytorch0.2.1 @ " + COMMIT,
        "# torch " + torch.__version__ + " (Debian python3-torch), CPU",
        "config,dtype,step,i,p",
    ]
    for name, kwargs in CONFIGS:
        for dtype, dname in ((torch.float32, "float32"), (torch.float64, "float64")):
            for t, values in enumerate(run(torch, AdaBelief, kwargs, dtype), start=1):
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

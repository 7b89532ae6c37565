#!/usr/bin/env python3
"""Generate reference parameter trajectories from the OFFICIAL Muon implementation.

What it does
    Runs KellerJordan/Muon's SingleDeviceMuonWithAuxAdam (and, for the non-Nesterov config, the
    same module's muon_update inside the same step code) on fixed, deterministic parameters and
    gradients, and writes every parameter after every step as gzipped CSV (muon_official.csv.gz next to this
    file). The Java test MuonOfficialTest recomputes the same inputs and compares.

Official code used (imported at runtime from the given folder, not copied here)
    repository : https://github.com/KellerJordan/Muon
    path       : muon.py
    commit     : 857d1adc159e098212f828d927460782d3da59e9
Torch used
    Debian python3-torch 1.13.1+dfsg-4 (torch.__version__ == "1.13.0a0"), CPU, /usr/bin/python3

Precision
    The reference casts to bfloat16 inside zeropower_via_newtonschulz5 (X = G.bfloat16()). For a
    comparison at float32/float64 precision, Tensor.bfloat16 is replaced by the identity while the
    optimizer steps, so the official Newton-Schulz code runs in the parameters' own dtype. Nothing
    else is changed.

Problem
    Parameters (name: shape, group):
        w_wide: (4, 6) Muon;  w_tall: (6, 4) Muon (transposed inside Newton-Schulz);
        conv: (3, 2, 2, 2) Muon (viewed as (3, 8));  bias: (5,) AdamW;  embedding: (5, 3) AdamW.
    Each starts at p0[i] = 0.5*cos(0.3*i + 0.1) over its row-major flat index i (float64, then
    cast). For step t = 1..25, p.grad = g_t[i] = sin(0.7*t + 1.3*i) * (1 + 0.1*i) over the flat
    index (float64, then cast; independent of p), then step(); record every parameter.
    Every config runs in torch.float32 and torch.float64.

Output
    '#' comment lines, then header "config,dtype,param,step,i,p", one row per value; p is
    repr(float(x)), which round-trips exactly.

Regenerate
    cd /work/.mirror/KellerJordan+Muon/repo && mkdir -p /tmp/muon && \\
      git show 857d1adc159e098212f828d927460782d3da59e9:muon.py > /tmp/muon/muon.py
    /usr/bin/python3 djl-optimizers/src/test/resources/reference/muon_official.py /tmp/muon \\
      djl-optimizers/src/test/resources/reference/muon_official.csv.gz
"""

import contextlib
import gzip
import math
import sys

import torch

COMMIT = "857d1adc159e098212f828d927460782d3da59e9"
STEPS = 25
PARAMS = [
    ("w_wide", (4, 6), True),
    ("w_tall", (6, 4), True),
    ("conv", (3, 2, 2, 2), True),
    ("bias", (5,), False),
    ("embedding", (5, 3), False),
]
# name -> (muon group kwargs, adam group kwargs, nesterov); unlisted values are the defaults
CONFIGS = [
    ("defaults", dict(), dict(), True),
    ("decay", dict(lr=0.05, momentum=0.9, weight_decay=0.1),
     dict(lr=1e-2, betas=(0.8, 0.99), eps=1e-8, weight_decay=0.05), True),
    ("plain_momentum", dict(lr=0.03), dict(lr=1e-2), False),
]


def start(n):
    return [0.5 * math.cos(0.3 * i + 0.1) for i in range(n)]


def gradient(t, n):
    return [math.sin(0.7 * t + 1.3 * i) * (1 + 0.1 * i) for i in range(n)]


@contextlib.contextmanager
def newton_schulz_in_own_dtype():
    original = torch.Tensor.bfloat16
    torch.Tensor.bfloat16 = lambda self, *args, **kwargs: self
    try:
        yield
    finally:
        torch.Tensor.bfloat16 = original


def run(muon, config, dtype):
    name, muon_kwargs, adam_kwargs, nesterov = config
    params = {}
    for pname, shape, _ in PARAMS:
        n = math.prod(shape)
        params[pname] = torch.nn.Parameter(
            torch.tensor(start(n), dtype=torch.float64).to(dtype).reshape(shape))
    groups = [
        dict(params=[params[p] for p, _, m in PARAMS if m], use_muon=True, **muon_kwargs),
        dict(params=[params[p] for p, _, m in PARAMS if not m], use_muon=False, **adam_kwargs),
    ]
    optimizer = muon.SingleDeviceMuonWithAuxAdam(groups)
    if not nesterov:
        # The class always passes nesterov=True; the module's own muon_update takes the flag.
        official_update = muon.muon_update
        muon.muon_update = lambda grad, buf, beta=0.95, ns_steps=5, nesterov=True: \
            official_update(grad, buf, beta=beta, ns_steps=ns_steps, nesterov=False)
    rows = []
    try:
        for t in range(1, STEPS + 1):
            for pname, shape, _ in PARAMS:
                n = math.prod(shape)
                params[pname].grad = (
                    torch.tensor(gradient(t, n), dtype=torch.float64).to(dtype).reshape(shape))
            with newton_schulz_in_own_dtype():
                optimizer.step()
            for pname, _, _ in PARAMS:
                for i, v in enumerate(params[pname].detach().reshape(-1).tolist()):
                    rows.append(f"{name},{str(dtype)[6:]},{pname},{t},{i},{float(v)!r}")
    finally:
        if not nesterov:
            muon.muon_update = official_update
    return rows


def main():
    sys.path.insert(0, sys.argv[1])
    import muon  # the official module

    out = (
        (gzip.open(sys.argv[2], "wt") if sys.argv[2].endswith(".gz") else open(sys.argv[2], "w"))
        if len(sys.argv) > 2
        else sys.stdout
    )
    with out:
        print("# Reference trajectories from the official Muon (KellerJordan/Muon muon.py)", file=out)
        print(f"# generator: muon_official.py; code: github.com/KellerJordan/Muon muon.py @ {COMMIT}",
              file=out)
        print(f"# torch {torch.__version__} (Debian python3-torch), CPU; Newton-Schulz in the"
              " parameters' dtype (bfloat16 cast disabled)", file=out)
        print("config,dtype,param,step,i,p", file=out)
        for config in CONFIGS:
            for dtype in (torch.float32, torch.float64):
                for row in run(muon, config, dtype):
                    print(row, file=out)


if __name__ == "__main__":
    main()

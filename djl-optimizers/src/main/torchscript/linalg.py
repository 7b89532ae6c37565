#!/usr/bin/env python3
"""Writes linalg.pt: torch.linalg.eigh and torch.linalg.qr as a TorchScript module, for Descent's
matrix-preconditioned optimizers (SOAP, Shampoo).

Why: DJL's NDArray API has no eigendecomposition or QR, but libtorch has LAPACK-backed ones;
DJL runs TorchScript modules, so a two-line module exposes them in the engine, where they run
on the engine's threads (and device) instead of on a host copy.

Module: forward(a: Tensor, op: Tensor) -> List[Tensor]
    op == 0: [eigenvalues in descending order, eigenvectors as columns in that order]
             (torch.linalg.eigh of the symmetric a, flipped)
    op == 1: [Q] of torch.linalg.qr(a) (reduced)
Results are contiguous (row-major): LAPACK's are column-major, and a matrix product with a
column-major operand rounds differently from one with its row-major copy, so a checkpointed
(row-major) basis would not continue bit-identically.
A failed decomposition raises, which reaches Java as an EngineException.

Regenerate (Debian's python3-torch 1.13; libtorch 2.7.1 loads it):
    python3 djl-optimizers/src/main/torchscript/linalg.py \
        djl-optimizers/src/main/resources/dev/descent/optim/linalg.pt
"""
import sys
from typing import List

import torch


class Linalg(torch.nn.Module):
    def forward(self, a: torch.Tensor, op: torch.Tensor) -> List[torch.Tensor]:
        if int(op.item()) == 0:
            values, vectors = torch.linalg.eigh(a)
            return [values.flip(0).contiguous(), vectors.flip(1).contiguous()]
        q, _ = torch.linalg.qr(a)
        return [q.contiguous()]


if __name__ == "__main__":
    torch.jit.script(Linalg()).save(sys.argv[1])

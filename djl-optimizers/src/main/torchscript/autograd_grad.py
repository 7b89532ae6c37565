#!/usr/bin/env python3
"""Writes autograd_grad.pt: torch.autograd.grad as a TorchScript module, for Descent's curvature code.

Why: DJL exposes only Tensor.backward, which accumulates into .grad. A double backward through
.grad (create_graph=True) leaves a reference cycle between a parameter and its gradient that
DJL cannot break (it has no way to reset .grad to None), so every Hessian-vector product would
leak its graph. torch.autograd.grad returns the gradients instead of storing them, so nothing
is left behind. DJL runs TorchScript modules and packs NDArrays named "x[]" into List[Tensor].

Module: forward(outputs: List[Tensor], inputs: List[Tensor], grad_outputs: List[Tensor],
flags: Tensor) -> List[Tensor]: torch.autograd.grad(outputs, inputs, grad_outputs,
retain_graph=flags[0] != 0, create_graph=flags[1] != 0, allow_unused=True) over the outputs
that require gradients (the others have no graph and contribute zero), with zeros for inputs
the outputs do not depend on.

Regenerate (Debian's python3-torch 1.13; libtorch 2.7.1 loads it):
    python3 djl-optimizers/src/main/torchscript/autograd_grad.py \
        djl-optimizers/src/main/resources/dev/descent/curvature/autograd_grad.pt
"""
import sys
from typing import List, Optional

import torch


class AutogradGrad(torch.nn.Module):
    def forward(self, outputs: List[torch.Tensor], inputs: List[torch.Tensor],
                grad_outputs: List[torch.Tensor], flags: torch.Tensor) -> List[torch.Tensor]:
        # An output without a graph (a gradient part that is constant in the inputs, e.g. the
        # output bias's under a linear objective) contributes nothing: leave it out.
        used: List[torch.Tensor] = []
        seeds: List[Optional[torch.Tensor]] = []
        for i in range(len(outputs)):
            if outputs[i].requires_grad:
                used.append(outputs[i])
                seeds.append(grad_outputs[i])
        if len(used) == 0:
            return [torch.zeros_like(x) for x in inputs]
        grads = torch.autograd.grad(used, inputs, grad_outputs=seeds,
                                    retain_graph=bool(flags[0].item() != 0),
                                    create_graph=bool(flags[1].item() != 0),
                                    allow_unused=True)
        result: List[torch.Tensor] = []
        for i in range(len(inputs)):
            g = grads[i]
            if g is None:
                result.append(torch.zeros_like(inputs[i]))
            else:
                result.append(g)
        return result


if __name__ == "__main__":
    torch.jit.script(AutogradGrad()).save(sys.argv[1])

#!/usr/bin/env python3
"""Reference trajectories of greedy block coordinate descent from the OFFICIAL implementation.

What it does
    Runs IssamLaradji/BlockCoordinateDescent's own selection rules (FB_selection_rules,
    VB_selection_rules), partition rule ("Sort") and update rules (Lb, Hb, LS) with its loss
    objects (Least_Square, Logistic, Softmax) on small deterministic problems, the same loop as
    its trainval.train (x0 = 0; f recorded before each step), and writes f and the chosen block
    after every iteration to bcd_official.csv next to this file. It also writes the reference's
    lattice partitions (get_rb_indices, get_tp_indices). The Java test BlockCoordinateOfficialTest
    rebuilds the same problems and compares.

Official code used (imported at runtime from the given folder, not copied here)
    repository : https://github.com/IssamLaradji/BlockCoordinateDescent
    commit     : 322066b270ebea06745ad3425d0771a8d2f221c6
    files      : src/losses.py, src/partition_rules/partition_rules.py,
                 src/selection_rules/{FB,VB}_selection_rules.py, tree_algorithms.py,
                 src/update_rules/{update_rules,line_search}.py
    Modules the reference imports but these cases do not use are stubbed in sys.modules:
    numba (jit = identity), cvxopt (only its QP rule needs it), scipy's old arpack path (aliased
    to scipy.sparse.linalg.eigsh).
Python used
    CPython 3 with numpy 2.4.6, scipy 1.17.1.

Problems (i = row, j = column, 0-based; the Java test builds the same)
    Least squares "ls": A is 24 x 40, A[i][j] = (1 + sin(1.3 i + 0.7 j)) * 3 cos(0.9 j + 0.2)
        where sin(2.1 i + 3.7 j) > -0.2, else 0; b[i] = cos(0.5 i) * 5. Block size 4.
    Logistic "lg": A is 30 x 12 by the same formula; b[i] = sign(sin(1.7 i + 0.4)) (+-1).
        Block size 3.
    Softmax "sf": A is 20 x 6 by the same formula; labels c[i] = (i * 7 + i // 3) mod 3, one-hot
        into 3 classes; x is features x classes, row-major. Block size 3.
    Lattice partitions for nrows = 5, ncols = 4.

Usage
    git -C <mirror> archive 322066b src | tar -x -C /tmp/bcdref
    python3 bcd_official.py /tmp/bcdref > bcd_official.csv
"""
import sys
import types

import numpy as np
import scipy.sparse.linalg


def stub_modules():
    numba = types.ModuleType("numba")
    numba.jit = lambda f: f
    sys.modules["numba"] = numba
    cvxopt = types.ModuleType("cvxopt")
    cvxopt.solvers = types.SimpleNamespace(options={})
    cvxopt.matrix = cvxopt.spmatrix = None
    cvxopt.setseed = lambda s: None
    sys.modules["cvxopt"] = cvxopt
    arpack = types.ModuleType("scipy.sparse.linalg.eigen.arpack")
    arpack.eigsh = scipy.sparse.linalg.eigsh
    eigen = types.ModuleType("scipy.sparse.linalg.eigen")
    eigen.arpack = arpack
    sys.modules["scipy.sparse.linalg.eigen"] = eigen
    sys.modules["scipy.sparse.linalg.eigen.arpack"] = arpack


def design(m, p):
    a = np.zeros((m, p))
    for i in range(m):
        for j in range(p):
            if np.sin(2.1 * i + 3.7 * j) > -0.2:
                a[i, j] = (1 + np.sin(1.3 * i + 0.7 * j)) * 3 * np.cos(0.9 * j + 0.2)
    return a


def run(case, loss_name, a, b, block_size, partition_rule, selection, update, iters):
    from src import losses
    from src.partition_rules import partition_rules
    from src.selection_rules import FB_selection_rules, VB_selection_rules
    from src.update_rules import update_rules

    args = {"L2": 0, "L1": 0, "block_size": block_size, "update_rule": update}
    loss = losses.create_lossObject(loss_name, a, b, args)
    partition = partition_rules.get_partition(a, b, loss, block_size, p_rule=partition_rule)
    x = np.zeros(loss.n_params)
    block = np.array([], int)
    for it in range(iters + 1):
        f = loss.f_func(x, a, b)
        print("%s,%s,%s,%s,%d,%.17g,%s" % (case, partition_rule, selection, update, it, f,
                                          " ".join(str(int(v)) for v in np.sort(block))))
        if it == iters:
            break
        if partition is None:
            block, args = VB_selection_rules.select(selection, x, a, b, loss, args, iteration=it)
        else:
            block, args = FB_selection_rules.select(selection, x, a, b, loss, args, partition,
                                                    iteration=it)
        x, args = update_rules.update(update, x, a, b, loss, args=args, block=np.asarray(block),
                                      iteration=it)


def main():
    stub_modules()
    sys.path.insert(0, sys.argv[1])
    from src.selection_rules import tree_algorithms as ta

    print("case,partition,selection,update,iteration,f,block")
    a = design(24, 40)
    b = np.array([np.cos(0.5 * i) * 5 for i in range(24)])
    for update in ["Lb", "Hb"]:
        for sel in ["GS", "GSL", "GSD", "GSQ"]:
            run("ls", "ls", a, b, 4, "Sort", sel, update, 40)
        for sel in ["GS", "GSD", "GSDHb", "IHT"]:
            run("ls", "ls", a, b, 4, "VB", sel, update, 40)
    a = design(30, 12)
    b = np.array([np.sign(np.sin(1.7 * i + 0.4)) for i in range(30)])
    for sel, part in [("GS", "Sort"), ("GSL", "Sort"), ("GS", "VB")]:
        run("lg", "lg", a, b, 3, part, sel, "LS", 20)
        run("lg", "lg", a, b, 3, part, sel, "Lb", 20)
    a = design(20, 6)
    y = np.zeros((20, 3))
    for i in range(20):
        y[i, (i * 7 + i // 3) % 3] = 1
    run("sf", "sf", a, y, 3, "Sort", "GSL", "Lb", 20)
    run("sf", "sf", a, y, 3, "Sort", "GSQ", "Hb", 20)
    run("sf", "sf", a, y, 3, "VB", "GS", "Hb", 20)
    for name, blocks in [("redblack", ta.get_rb_indices(5, 4)), ("tree", ta.get_tp_indices(5, 4))]:
        for k, blk in enumerate(blocks):
            print("partition,%s,%d,,,,%s" % (name, k, " ".join(str(int(v)) for v in np.sort(blk))))


if __name__ == "__main__":
    main()

package dev.descent.solve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gaussian belief propagation for Q_bb x_b = h on a block whose graph (an edge i–j wherever Q_ij ≠
 * 0, i ≠ j) is a forest: the exact block minimizer of ½xᵀQx − cᵀx, as in the message-passing
 * section of Nutini, Laradji and Schmidt (arXiv 1712.08580, §5; the reference's {@code bpGabp}
 * update). Messages in information form, from i to a neighbour j:
 *
 * <pre>
 *   P_i\j = Q_ii + Σ_{k ∈ N(i)∖j} P_k→i,    h_i\j = h_i + Σ_{k ∈ N(i)∖j} h_k→i,
 *   P_i→j = −Q_ij² / P_i\j,                  h_i→j = −Q_ij h_i\j / P_i\j,
 *   x_i   = (h_i + Σ_{k ∈ N(i)} h_k→i) / (Q_ii + Σ_{k ∈ N(i)} P_k→i).
 * </pre>
 *
 * <p>Schedule: one pass from the leaves to a root of each tree and one pass back, which on a forest
 * gives the exact marginals (each message is computed once, after all the messages it depends on).
 * Deviation from the reference: it sweeps all messages in index order up to 100 times until their
 * change is below 1e-8, which on a forest converges to the same fixed point after at most
 * diameter-many sweeps; the two-pass schedule reaches it in O(|b|) work. A block with a cycle is
 * refused: on loopy graphs the method is not exact.
 */
public final class GaussianBeliefPropagation {

    private GaussianBeliefPropagation() {}

    /**
     * Solves Q_bb x = h by belief propagation.
     *
     * @param q a symmetric matrix (only the block's rows and columns are read), not modified
     * @param block distinct coordinates in [0, q.rows()), not modified
     * @param h the right-hand side, one entry per block coordinate, not modified
     * @return x, one entry per block coordinate (in block order)
     * @throws IllegalArgumentException when the block's graph has a cycle (naming an edge that
     *     closes it), when Q_bb is not positive definite along the messages, or on bad indices
     */
    public static double[] solveForest(CsrMatrix q, int[] block, double[] h) {
        int n = block.length;
        if (h.length != n) {
            throw new IllegalArgumentException(
                    "h must have one entry per block coordinate (" + n + "), got " + h.length);
        }
        int[] local = new int[q.rows()];
        Arrays.fill(local, -1);
        for (int i = 0; i < n; i++) {
            if (block[i] < 0 || block[i] >= q.rows()) {
                throw new IllegalArgumentException(
                        "block[" + i + "] = " + block[i] + " is outside [0, " + q.rows() + ")");
            }
            if (local[block[i]] >= 0) {
                throw new IllegalArgumentException("block repeats coordinate " + block[i]);
            }
            local[block[i]] = i;
        }
        List<List<int[]>> edges = new ArrayList<>(); // per local node: {neighbour, csr index}
        int[] parentUf = new int[n];
        for (int i = 0; i < n; i++) {
            parentUf[i] = i;
            edges.add(new ArrayList<>());
        }
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            int gi = block[i];
            for (int k = q.rowStart[gi]; k < q.rowStart[gi + 1]; k++) {
                int j = local[q.columns[k]];
                if (j < 0 || q.values[k] == 0) {
                    continue;
                }
                if (j == i) {
                    diag[i] = q.values[k];
                    continue;
                }
                edges.get(i).add(new int[] {j, k});
                if (i < j) {
                    int ri = find(parentUf, i);
                    int rj = find(parentUf, j);
                    if (ri == rj) {
                        throw new IllegalArgumentException(
                                "the block is not a forest: edge ("
                                        + gi
                                        + ", "
                                        + block[j]
                                        + ") closes a cycle; Gaussian belief propagation is exact"
                                        + " only on forests");
                    }
                    parentUf[ri] = rj;
                }
            }
        }
        // BFS order per tree, parent and the coupling Q_{v,parent}
        int[] order = new int[n];
        int[] parent = new int[n];
        double[] toParent = new double[n];
        boolean[] seen = new boolean[n];
        int size = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int root = 0; root < n; root++) {
            if (seen[root]) {
                continue;
            }
            seen[root] = true;
            parent[root] = -1;
            queue.add(root);
            while (!queue.isEmpty()) {
                int v = queue.poll();
                order[size++] = v;
                for (int[] e : edges.get(v)) {
                    if (!seen[e[0]]) {
                        seen[e[0]] = true;
                        parent[e[0]] = v;
                        toParent[e[0]] = q.values[e[1]];
                        queue.add(e[0]);
                    }
                }
            }
        }
        double[] totalP = diag.clone(); // Q_vv + messages received so far
        double[] totalH = h.clone();
        double[] upP = new double[n];
        double[] upH = new double[n];
        for (int idx = n - 1; idx >= 0; idx--) { // leaves first: v → parent
            int v = order[idx];
            if (parent[v] < 0) {
                continue;
            }
            double pv = positive(totalP[v], block[v]);
            upP[v] = -toParent[v] * toParent[v] / pv;
            upH[v] = -toParent[v] * totalH[v] / pv;
            totalP[parent[v]] += upP[v];
            totalH[parent[v]] += upH[v];
        }
        for (int idx = 0; idx < n; idx++) { // root first: parent → v
            int v = order[idx];
            int p = parent[v];
            if (p < 0) {
                continue;
            }
            double pp = positive(totalP[p] - upP[v], block[p]);
            totalP[v] += -toParent[v] * toParent[v] / pp;
            totalH[v] += -toParent[v] * (totalH[p] - upH[v]) / pp;
        }
        double[] x = new double[n];
        for (int v = 0; v < n; v++) {
            x[v] = totalH[v] / positive(totalP[v], block[v]);
        }
        return x;
    }

    private static double positive(double precision, int coordinate) {
        if (!(precision > 0)) {
            throw new IllegalArgumentException(
                    "Q_bb is not positive definite: precision "
                            + precision
                            + " at coordinate "
                            + coordinate);
        }
        return precision;
    }

    private static int find(int[] uf, int i) {
        while (uf[i] != i) {
            uf[i] = uf[uf[i]];
            i = uf[i];
        }
        return i;
    }
}

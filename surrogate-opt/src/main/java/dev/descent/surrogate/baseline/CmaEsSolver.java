package dev.descent.surrogate.baseline;

import dev.descent.surrogate.Limits;
import dev.descent.surrogate.SurrogateProblem;
import java.util.Arrays;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.hipparchus.random.MersenneTwister;

/**
 * CMA-ES (Hansen &amp; Ostermeier 2001; Hansen, arXiv:1604.00772) from Hipparchus 4.0.2 ({@link
 * CMAESOptimizer}) on the handling's merit, behind the common solver interface and evaluator.
 *
 * <p>Deviations from the reference: the reference has no CMA-ES baseline; the library optimizes the
 * scalar merit (the penalty even under a barrier handling, with scale 1), not the barrier itself.
 *
 * <p>Settings: initial mean x₀, σ = r₀ in every coordinate (at most the box side), population 4 +
 * ⌊3 ln n⌋ (the library's default), active CMA, full covariance, the bounds passed to the library
 * (it repairs points onto them), stop fitness off, Mersenne Twister seeded by the run seed; the
 * library's generations are the iterations. Its own stopping tests (σ and fitness ranges) give
 * {@link dev.descent.surrogate.ExitStatus#RADIUS_BELOW_MINIMUM}. On a plateau around the best point
 * the library's flat-fitness rule grows σ every generation until its covariance matrix cannot be
 * decomposed (after about 2,300 generations in 2-D): that ends the run with {@link
 * dev.descent.surrogate.ExitStatus#NUMERICAL_FAILURE} and the best point so far (pycma, the
 * reference CMA-ES, stops on flat fitness instead).
 */
public final class CmaEsSolver extends LibraryOptimizer {

    @Override
    public String name() {
        return "cma-es";
    }

    @Override
    protected long optimize(
            SurrogateProblem problem, Limits limits, long seed, ObjectiveFunction objective) {
        int n = problem.dimension();
        double[] lower = problem.lower();
        double[] upper = problem.upper();
        double[] sigma = new double[n];
        Arrays.fill(sigma, problem.initialRadius());
        for (int i = 0; i < n; i++) {
            sigma[i] = Math.min(sigma[i], upper[i] - lower[i]);
        }
        CMAESOptimizer optimizer =
                new CMAESOptimizer(
                        intIterations(limits),
                        0,
                        true,
                        0,
                        0,
                        new MersenneTwister(seed),
                        false,
                        null);
        try {
            optimizer.optimize(
                    MaxEval.unlimited(),
                    objective,
                    GoalType.MAXIMIZE,
                    new InitialGuess(problem.start()),
                    new SimpleBounds(lower, upper),
                    new CMAESOptimizer.Sigma(sigma),
                    new CMAESOptimizer.PopulationSize(4 + (int) (3 * Math.log(n))));
        } catch (MathIllegalStateException e) {
            throw new NumericalFailure(optimizer.getIterations(), e);
        }
        return optimizer.getIterations();
    }
}

package dev.descent.optim;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A per-parameter override of the learning-rate scale and the weight decay, e.g. no decay on biases
 * and norm gains. Rules are tried in the order they were added to a builder; the first whose
 * predicate matches decides.
 *
 * <pre>{@code
 * Descent.adaBelief()
 *         .optWeightDecays(0.01f)
 *         .optParameterRule(ParameterRule.oneDimensional().weightDecay(0))
 *         .build();
 * }</pre>
 *
 * @param matches which parameters the rule applies to
 * @param learningRateScale multiplies the learning rate of matching parameters
 * @param weightDecay replaces the weight decay of matching parameters; {@code NaN} keeps it
 */
public record ParameterRule(
        Predicate<ParameterInfo> matches, double learningRateScale, double weightDecay) {

    /** Validates the components. */
    public ParameterRule {
        Objects.requireNonNull(matches, "matches");
        Arguments.nonNegative("learningRateScale", learningRateScale);
        if (!Double.isNaN(weightDecay)) {
            Arguments.nonNegative("weightDecay", weightDecay);
        }
    }

    /**
     * A rule for the parameters a predicate selects, changing nothing until configured.
     *
     * @param matches the predicate
     * @return the rule
     */
    public static ParameterRule matching(Predicate<ParameterInfo> matches) {
        return new ParameterRule(matches, 1.0, Double.NaN);
    }

    /**
     * A rule for parameters whose name contains a match of a regular expression. Names come from
     * the block the optimizer is bound to ({@link BindingListener}, {@link
     * Descent#trainingConfig(ai.djl.training.loss.Loss, ai.djl.training.optimizer.Optimizer)} or
     * {@link DescentOptimizer#bind}); the rule throws on a parameter without one.
     *
     * @param regex the regular expression, searched for in the name
     * @return the rule
     * @throws IllegalStateException (when matched) for a parameter of no bound block
     */
    public static ParameterRule nameMatches(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return matching(
                p -> {
                    if (!p.named()) {
                        throw new IllegalStateException(
                                "ParameterRule.nameMatches(\""
                                        + regex
                                        + "\") needs parameter names, but parameter '"
                                        + p.id()
                                        + "' has none: bind the optimizer to the model being"
                                        + " trained (Descent.trainingConfig(loss, optimizer),"
                                        + " BindingListener.of(optimizer) or optimizer.bind(block))");
                    }
                    return pattern.matcher(p.name()).find();
                });
    }

    /**
     * A rule for parameters with at most one dimension: biases and normalization gains.
     *
     * @return the rule
     */
    public static ParameterRule oneDimensional() {
        return matching(p -> p.shape().dimension() <= 1);
    }

    /**
     * Returns a copy that sets the weight decay of matching parameters.
     *
     * @param decay the weight decay, finite and {@code >= 0}
     * @return the new rule
     */
    public ParameterRule weightDecay(double decay) {
        return new ParameterRule(matches, learningRateScale, decay);
    }

    /**
     * Returns a copy that scales the learning rate of matching parameters.
     *
     * @param scale the factor, finite and {@code >= 0}
     * @return the new rule
     */
    public ParameterRule learningRateScale(double scale) {
        return new ParameterRule(matches, scale, weightDecay);
    }
}

package dev.descent.curvature;

/**
 * A Monte Carlo estimate.
 *
 * @param mean the sample mean
 * @param standardError the standard error of the mean (sample standard deviation / √n)
 * @param samples the number of samples n
 */
public record Estimate(double mean, double standardError, int samples) {}

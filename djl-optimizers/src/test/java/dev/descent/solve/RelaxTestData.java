package dev.descent.solve;

final class RelaxTestData {

    private RelaxTestData() {}

    static double[] linspace(double a, double b, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a + (b - a) * i / (n - 1);
        }
        return x;
    }
}

package io.un0.quality;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;

/**
 * Fréchet distance between Gaussians fitted to two feature sets:
 * {@code |μ1 − μ2|² + tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^½)}. With our Fashion-MNIST classifier's features this is FD-FMNIST,
 * the same construction as FID but <em>not</em> Inception FID: its values are not comparable with published FIDs.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    public static double between(double[][] a, double[][] b) {
        if (a.length < 2 || b.length < 2 || a[0].length != b[0].length) {
            throw new IllegalArgumentException("need at least two feature vectors of equal length on each side");
        }
        double[] muA = mean(a);
        double[] muB = mean(b);
        RealMatrix covA = new Covariance(a).getCovarianceMatrix();
        RealMatrix covB = new Covariance(b).getCovarianceMatrix();
        double meanTerm = 0;
        for (int i = 0; i < muA.length; i++) {
            meanTerm += (muA[i] - muB[i]) * (muA[i] - muB[i]);
        }
        // tr((ΣA ΣB)^½) = tr((ΣA^½ ΣB ΣA^½)^½), and the latter is symmetric positive semi-definite.
        RealMatrix rootA = symmetricSqrt(covA);
        RealMatrix inner = rootA.multiply(covB).multiply(rootA);
        RealMatrix symmetric = inner.add(inner.transpose()).scalarMultiply(0.5);
        double traceRoot = 0;
        for (double ev : new EigenDecomposition(symmetric).getRealEigenvalues()) {
            traceRoot += Math.sqrt(Math.max(ev, 0));
        }
        return meanTerm + covA.getTrace() + covB.getTrace() - 2 * traceRoot;
    }

    private static RealMatrix symmetricSqrt(RealMatrix m) {
        EigenDecomposition e = new EigenDecomposition(m);
        double[] ev = e.getRealEigenvalues();
        RealMatrix v = e.getV();
        int n = ev.length;
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            d[i][i] = Math.sqrt(Math.max(ev[i], 0));
        }
        return v.multiply(new Array2DRowRealMatrix(d, false)).multiply(e.getVT());
    }

    private static double[] mean(double[][] x) {
        double[] mu = new double[x[0].length];
        for (double[] row : x) {
            for (int j = 0; j < mu.length; j++) {
                mu[j] += row[j];
            }
        }
        for (int j = 0; j < mu.length; j++) {
            mu[j] /= x.length;
        }
        return mu;
    }
}

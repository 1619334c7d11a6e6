package io.eventlake.bench.fraud;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trained baseline of the Practical Handbook (chapter 3, "baseline feature transformation" and "baseline fraud
 * detection system"), rebuilt on {@link HandbookSimulator}'s stream so the transform can be compared with a trained
 * model on the same events: a logistic regression over the book's 15 features, the amount; whether the transaction is
 * at a weekend and at night (0-6 h); the customer's number of transactions and mean amount over the last 1, 7 and 30
 * days (the transaction included); the terminal's number of transactions and share of fraud over 1, 7 and 30 days that
 * end {@code delay} before the transaction (labels are known only after the feedback delay). Fitted by iteratively
 * reweighted least squares on standardized features (a small ridge term for stability) over the training days, with
 * the labels of those days, which a deployment would have once the delay has passed; scored on later days only.
 */
final class HandbookLogistic {

    static final String[] FEATURES = {"amount", "weekend", "night", "customer_nb_1d", "customer_avg_1d",
        "customer_nb_7d", "customer_avg_7d", "customer_nb_30d", "customer_avg_30d", "terminal_nb_1d",
        "terminal_risk_1d", "terminal_nb_7d", "terminal_risk_7d", "terminal_nb_30d", "terminal_risk_30d"};
    private static final long DAY = 86_400_000L;
    private static final int[] WINDOWS = {1, 7, 30};
    private static final double RIDGE = 1e-4;

    private HandbookLogistic() {
    }

    /** The book's features of every transaction (in the list's time order), each computed from the past only. */
    static double[][] features(List<HandbookSimulator.Transaction> txs, long delayMs) {
        int n = txs.size();
        Map<Integer, List<Integer>> byCustomer = new HashMap<>();
        Map<Integer, List<Integer>> byTerminal = new HashMap<>();
        for (int i = 0; i < n; i++) {
            byCustomer.computeIfAbsent(txs.get(i).customer(), k -> new ArrayList<>()).add(i);
            byTerminal.computeIfAbsent(txs.get(i).terminal(), k -> new ArrayList<>()).add(i);
        }
        double[][] x = new double[n][FEATURES.length];
        for (int i = 0; i < n; i++) {
            HandbookSimulator.Transaction t = txs.get(i);
            ZonedDateTime time = Instant.ofEpochMilli(t.timeMs()).atZone(ZoneOffset.UTC);
            x[i][0] = t.amount();
            x[i][1] = time.getDayOfWeek() == DayOfWeek.SATURDAY || time.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : 0;
            x[i][2] = time.getHour() < 6 ? 1 : 0;
        }
        for (List<Integer> own : byCustomer.values()) {
            Prefix p = new Prefix(txs, own, false);
            for (int k = 0; k < own.size(); k++) {
                long t = txs.get(own.get(k)).timeMs();
                for (int w = 0; w < WINDOWS.length; w++) {
                    // (t - w days, t]: the transaction itself included, as the book's rolling windows.
                    int from = p.firstAfter(t - WINDOWS[w] * DAY);
                    int count = k + 1 - from;
                    x[own.get(k)][3 + 2 * w] = count;
                    x[own.get(k)][4 + 2 * w] = (p.sum[k + 1] - p.sum[from]) / count;
                }
            }
        }
        for (List<Integer> own : byTerminal.values()) {
            Prefix p = new Prefix(txs, own, true);
            for (int k = 0; k < own.size(); k++) {
                long end = txs.get(own.get(k)).timeMs() - delayMs;
                int to = p.firstAfter(end);
                for (int w = 0; w < WINDOWS.length; w++) {
                    // (t - delay - w days, t - delay]: only transactions whose labels are known by now.
                    int from = p.firstAfter(end - WINDOWS[w] * DAY);
                    int count = Math.max(0, to - from);
                    x[own.get(k)][9 + 2 * w] = count;
                    x[own.get(k)][10 + 2 * w] = count == 0 ? 0 : (p.sum[to] - p.sum[from]) / count;
                }
            }
        }
        return x;
    }

    /** Per entity, its transactions' times and the prefix sums of their amounts (or fraud labels). */
    private static final class Prefix {
        final long[] times;
        final double[] sum;

        Prefix(List<HandbookSimulator.Transaction> txs, List<Integer> own, boolean labels) {
            times = new long[own.size()];
            sum = new double[own.size() + 1];
            for (int k = 0; k < own.size(); k++) {
                HandbookSimulator.Transaction t = txs.get(own.get(k));
                times[k] = t.timeMs();
                sum[k + 1] = sum[k] + (labels ? (t.fraud() ? 1 : 0) : t.amount());
            }
        }

        /** Index of the first transaction later than {@code time}. */
        int firstAfter(long time) {
            int lo = 0;
            int hi = times.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (times[mid] <= time) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** A fitted model: feature means and deviations, then an intercept and one weight per feature. */
    record Model(double[] mean, double[] sd, double[] beta) {

        double score(double[] features) {
            double z = beta[0];
            for (int j = 0; j < features.length; j++) {
                z += beta[j + 1] * (features[j] - mean[j]) / sd[j];
            }
            return 1 / (1 + Math.exp(-z));
        }

        String describe() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "intercept %.2f", beta[0]));
            for (int j = 0; j < FEATURES.length; j++) {
                b.append(String.format(Locale.ROOT, ", %s %.2f", FEATURES[j], beta[j + 1]));
            }
            return b.toString();
        }
    }

    /** Fits the logistic regression on the rows {@code train} (true = in the training set). */
    static Model fit(double[][] x, boolean[] y, boolean[] train) {
        int d = FEATURES.length;
        double[] mean = new double[d];
        double[] sd = new double[d];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (train[i]) {
                n++;
                for (int j = 0; j < d; j++) {
                    mean[j] += x[i][j];
                }
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < x.length; i++) {
            if (train[i]) {
                for (int j = 0; j < d; j++) {
                    sd[j] += (x[i][j] - mean[j]) * (x[i][j] - mean[j]);
                }
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = Math.max(1e-9, Math.sqrt(sd[j] / n));
        }
        double[] beta = new double[d + 1];
        double[] row = new double[d + 1];
        for (int iteration = 0; iteration < 25; iteration++) {
            double[] gradient = new double[d + 1];
            double[][] hessian = new double[d + 1][d + 1];
            for (int i = 0; i < x.length; i++) {
                if (!train[i]) {
                    continue;
                }
                row[0] = 1;
                for (int j = 0; j < d; j++) {
                    row[j + 1] = (x[i][j] - mean[j]) / sd[j];
                }
                double z = 0;
                for (int j = 0; j <= d; j++) {
                    z += beta[j] * row[j];
                }
                double p = 1 / (1 + Math.exp(-z));
                double w = Math.max(p * (1 - p), 1e-12);
                double r = (y[i] ? 1 : 0) - p;
                for (int a = 0; a <= d; a++) {
                    gradient[a] += r * row[a];
                    for (int b = 0; b <= a; b++) {
                        hessian[a][b] += w * row[a] * row[b];
                    }
                }
            }
            for (int a = 0; a <= d; a++) {
                for (int b = 0; b < a; b++) {
                    hessian[b][a] = hessian[a][b];
                }
                if (a > 0) {
                    gradient[a] -= RIDGE * n * beta[a];
                    hessian[a][a] += RIDGE * n;
                }
            }
            double[] step = solve(hessian, gradient);
            double largest = 0;
            for (int j = 0; j <= d; j++) {
                beta[j] += step[j];
                largest = Math.max(largest, Math.abs(step[j]));
            }
            if (largest < 1e-6) {
                break;
            }
        }
        return new Model(mean, sd, beta);
    }

    /** Solves a x = b by Gaussian elimination with partial pivoting (a and b are overwritten). */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            double tb = b[c];
            b[c] = b[pivot];
            b[pivot] = tb;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k < n; k++) {
                    a[r][k] -= f * a[c][k];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < n; k++) {
                s -= a[r][k] * x[k];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }
}

package io.eventlake.bench.fraud;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An independent transaction simulator, written from the public description of the one in "Reproducible Machine
 * Learning for Credit Card Fraud Detection - Practical Handbook" (Le Borgne, Siblini, Lebichot, Bontempi; chapter 3,
 * "Transaction data simulator"). It shares no code or constants with eventlake's generator. Customers and terminals
 * sit on a 100 x 100 grid; a customer uses the terminals within radius r, makes Poisson(mean per day) transactions a
 * day at a normal time of day around noon, with normal amounts (negative ones redrawn uniformly); then three fraud
 * scenarios label transactions: (1) every amount above 220; (2) each day 2 terminals are compromised and all their
 * transactions in the next 28 days are fraud; (3) each day 3 customers are compromised and, over the next 14 days, a
 * third of their transactions have their amount multiplied by 5 and are fraud. Our own random streams, so the
 * figures are not the book's dataset, only its design.
 */
public final class HandbookSimulator {

    /** One transaction; {@code scenario} is 0 for legitimate ones, else 1-3. */
    public record Transaction(long id, long timeMs, int customer, int terminal, double amount, int scenario) {

        public boolean fraud() {
            return scenario != 0;
        }
    }

    private final int customers;
    private final int terminals;
    private final int days;
    private final double radius;
    private final long startMs;
    private final long seed;

    public HandbookSimulator(int customers, int terminals, int days, double radius, long startMs, long seed) {
        this.customers = customers;
        this.terminals = terminals;
        this.days = days;
        this.radius = radius;
        this.startMs = startMs;
        this.seed = seed;
    }

    /** The book's dataset size: 5,000 customers, 10,000 terminals, 183 days, r = 5. */
    public static HandbookSimulator bookSize(long startMs, long seed) {
        return new HandbookSimulator(5000, 10_000, 183, 5, startMs, seed);
    }

    /** All transactions, labelled, in time order. */
    public List<Transaction> generate() {
        Random r = new Random(seed);
        double[] cx = new double[customers];
        double[] cy = new double[customers];
        double[] meanAmount = new double[customers];
        double[] perDay = new double[customers];
        for (int c = 0; c < customers; c++) {
            cx[c] = 100 * r.nextDouble();
            cy[c] = 100 * r.nextDouble();
            meanAmount[c] = 5 + 95 * r.nextDouble();
            perDay[c] = 4 * r.nextDouble();
        }
        double[] tx = new double[terminals];
        double[] ty = new double[terminals];
        for (int t = 0; t < terminals; t++) {
            tx[t] = 100 * r.nextDouble();
            ty[t] = 100 * r.nextDouble();
        }
        // Day, customer, terminal, time of day (s), amount.
        List<double[]> rows = new ArrayList<>();
        for (int c = 0; c < customers; c++) {
            int[] near = terminalsWithin(cx[c], cy[c], tx, ty);
            Random cr = new Random(seed * 31 + c);
            for (int d = 0; d < days; d++) {
                int n = poisson(cr, perDay[c]);
                for (int k = 0; k < n; k++) {
                    int seconds = (int) (86_400 / 2.0 + 20_000 * cr.nextGaussian());
                    if (seconds <= 0 || seconds >= 86_400) {
                        continue;
                    }
                    double amount = meanAmount[c] + meanAmount[c] / 2 * cr.nextGaussian();
                    if (amount < 0) {
                        amount = cr.nextDouble() * meanAmount[c] * 2;
                    }
                    amount = Math.round(amount * 100) / 100.0;
                    if (near.length > 0) {
                        rows.add(new double[] {d, c, near[cr.nextInt(near.length)], seconds, amount, 0});
                    }
                }
            }
        }
        // Scenario 1.
        for (double[] row : rows) {
            if (row[4] > 220) {
                row[5] = 1;
            }
        }
        // Scenario 2: index rows by terminal, then by customer, for the daily draws.
        Map<Integer, List<double[]>> byTerminal = new HashMap<>();
        Map<Integer, List<double[]>> byCustomer = new HashMap<>();
        for (double[] row : rows) {
            byTerminal.computeIfAbsent((int) row[2], k -> new ArrayList<>()).add(row);
            byCustomer.computeIfAbsent((int) row[1], k -> new ArrayList<>()).add(row);
        }
        Random fr = new Random(seed ^ 0x5EED);
        for (int d = 0; d < days; d++) {
            for (int k = 0; k < 2; k++) {
                for (double[] row : byTerminal.getOrDefault(fr.nextInt(terminals), List.of())) {
                    if (row[0] >= d && row[0] < d + 28) {
                        row[5] = 2;
                    }
                }
            }
        }
        for (int d = 0; d < days; d++) {
            List<double[]> compromised = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                for (double[] row : byCustomer.getOrDefault(fr.nextInt(customers), List.of())) {
                    if (row[0] >= d && row[0] < d + 14) {
                        compromised.add(row);
                    }
                }
            }
            int frauds = compromised.size() / 3;
            for (int k = 0; k < frauds; k++) {
                int pick = k + fr.nextInt(compromised.size() - k);
                double[] row = compromised.get(pick);
                compromised.set(pick, compromised.get(k));
                compromised.set(k, row);
                row[4] = Math.round(row[4] * 5 * 100) / 100.0;
                row[5] = 3;
            }
        }
        List<Transaction> out = new ArrayList<>(rows.size());
        for (double[] row : rows) {
            long time = startMs + (long) row[0] * 86_400_000L + (long) row[3] * 1000L;
            out.add(new Transaction(0, time, (int) row[1], (int) row[2], row[4], (int) row[5]));
        }
        out.sort(Comparator.comparingLong(Transaction::timeMs));
        List<Transaction> numbered = new ArrayList<>(out.size());
        for (int i = 0; i < out.size(); i++) {
            Transaction t = out.get(i);
            numbered.add(new Transaction(i, t.timeMs(), t.customer(), t.terminal(), t.amount(), t.scenario()));
        }
        return numbered;
    }

    private int[] terminalsWithin(double x, double y, double[] tx, double[] ty) {
        List<Integer> near = new ArrayList<>();
        for (int t = 0; t < tx.length; t++) {
            double dx = tx[t] - x;
            double dy = ty[t] - y;
            if (Math.sqrt(dx * dx + dy * dy) < radius) {
                near.add(t);
            }
        }
        return near.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int poisson(Random r, double lambda) {
        double limit = Math.exp(-lambda);
        double p = r.nextDouble();
        int k = 0;
        while (p > limit) {
            p *= r.nextDouble();
            k++;
        }
        return k;
    }
}

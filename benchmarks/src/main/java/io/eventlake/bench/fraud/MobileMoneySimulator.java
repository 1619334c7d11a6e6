package io.eventlake.bench.fraud;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A second independent stream, of another shape than {@link HandbookSimulator}: mobile money after the public
 * description of PaySim (Lopez-Rojas, Elmir, Axelsson, "PaySim: a financial mobile money simulator for fraud
 * detection", EMSS 2016, and its published dataset's documentation). It shares no code or constants with eventlake's
 * generator, and none of its numbers was chosen after measuring the transform on it.
 *
 * <p>Accounts, not cards: a client's transactions are cash-ins and cash-outs at agents, payments to merchants,
 * transfers to other clients and debits, in the published dataset's type shares (35 % cash-out, 34 % payment, 22 %
 * cash-in, 8.4 % transfer, 0.65 % debit) with its median amounts per type (cash-in and cash-out about 145,000, payment
 * 9,500, transfer 486,000, debit 3,000 in local currency; log-normal), in one-hour steps over 30 days with the day's
 * cycle (almost nothing at night). The fraud is PaySim's: an agent takes control of a client's account and empties it
 * by a transfer of its whole balance (in chunks of at most 10,000,000) to a mule account, which cashes it out at an
 * agent within the hour; about 0.13 % of transactions are fraud, half transfers, half cash-outs, at any hour.
 *
 * <p>Choices of ours where the description is silent (stated, not tuned): 20,000 clients making Poisson(m) transactions
 * a month with m log-normal around 8; each client's amounts scaled by a log-normal factor (sigma 0.6) and each
 * amount by another (sigma 0.8); a client keeps 3 merchants, 2 agents and 3 payees it uses most of the time; a
 * balance at the takeover of that scale x 500,000 x log-normal (sigma 0.8); mules are reused about twice.
 * Our own random streams: not the published dataset, only its design.
 */
public final class MobileMoneySimulator {

    /** The transaction types, in the order of {@link #TYPE_SHARES}. */
    public static final String[] TYPES = {"CASH_OUT", "PAYMENT", "CASH_IN", "TRANSFER", "DEBIT"};
    private static final double[] TYPE_SHARES = {0.352, 0.338, 0.220, 0.084, 0.0065};
    private static final double[] TYPE_MEDIANS = {147_000, 9_500, 143_000, 486_000, 3_000};
    /** Relative activity per hour of the day: almost nothing from midnight to 6. */
    private static final double[] HOURS = {0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.05, 0.3, 0.6, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 0.6, 0.3, 0.1};
    private static final double CHUNK = 10_000_000;
    private static final long HOUR = 3_600_000L;

    /** Fraud patterns of the labelled transactions. */
    public static final String TAKEOVER_TRANSFER = "takeover_transfer";
    public static final String MULE_CASH_OUT = "mule_cash_out";

    /**
     * One transaction; {@code pattern} is null for legitimate ones. Names as the dataset's: clients {@code C...},
     * merchants {@code M...}, agents {@code A...}, banks {@code B...}; mules are clients.
     */
    public record Transaction(long id, long timeMs, String type, String origin, String destination, double amount,
        String pattern) {

        public boolean fraud() {
            return pattern != null;
        }
    }

    private final int clients;
    private final int days;
    private final long startMs;
    private final long seed;

    public MobileMoneySimulator(int clients, int days, long startMs, long seed) {
        this.clients = clients;
        this.days = days;
        this.startMs = startMs;
        this.seed = seed;
    }

    /** All transactions, labelled, in time order. */
    public List<Transaction> generate() {
        Random r = new Random(seed);
        int merchants = Math.max(10, clients / 4);
        int agents = Math.max(10, clients / 10);
        double[] hourCdf = cdf(HOURS);
        double[] typeCdf = cdf(TYPE_SHARES);
        List<Transaction> out = new ArrayList<>();
        double[] scale = new double[clients];
        for (int c = 0; c < clients; c++) {
            scale[c] = Math.exp(0.6 * r.nextGaussian());
            double perMonth = 8 * Math.exp(0.8 * r.nextGaussian());
            int[] favouriteMerchants = draw(r, 3, merchants);
            int[] favouriteAgents = draw(r, 2, agents);
            int[] payees = draw(r, 3, clients);
            int n = poisson(r, perMonth * days / 30.0);
            for (int k = 0; k < n; k++) {
                int type = pick(r, typeCdf);
                long time = startMs + r.nextInt(days) * 24 * HOUR + pick(r, hourCdf) * HOUR
                    + (long) (r.nextDouble() * HOUR);
                double amount = round(TYPE_MEDIANS[type] * scale[c] * Math.exp(0.8 * r.nextGaussian()));
                String dest = switch (TYPES[type]) {
                    case "PAYMENT" -> "M" + (r.nextDouble() < 0.8 ? favouriteMerchants[r.nextInt(3)] : r.nextInt(merchants));
                    case "CASH_IN", "CASH_OUT" -> "A" + (r.nextDouble() < 0.9 ? favouriteAgents[r.nextInt(2)]
                        : r.nextInt(agents));
                    case "TRANSFER" -> "C" + (r.nextDouble() < 0.7 ? payees[r.nextInt(3)] : r.nextInt(clients));
                    default -> "B" + r.nextInt(10);
                };
                out.add(new Transaction(0, time, TYPES[type], "C" + c, dest, amount, null));
            }
        }
        // Takeovers: half the frauds are transfers, so 0.13 % fraud needs takeovers of 0.065 % of the legitimate count.
        Random fr = new Random(seed ^ 0x7A4E5L);
        int takeovers = (int) Math.round(out.size() * 0.00065);
        int mules = Math.max(1, takeovers / 2);
        for (int k = 0; k < takeovers; k++) {
            int victim = fr.nextInt(clients);
            String mule = "C" + (clients + fr.nextInt(mules));
            long time = startMs + (long) (fr.nextDouble() * days * 24 * HOUR);
            double balance = round(500_000 * scale[victim] * Math.exp(0.8 * fr.nextGaussian()));
            for (double left = balance; left > 0; left -= CHUNK) {
                double amount = round(Math.min(left, CHUNK));
                out.add(new Transaction(0, time, "TRANSFER", "C" + victim, mule, amount, TAKEOVER_TRANSFER));
                long cashOut = time + (long) (fr.nextDouble() * HOUR);
                out.add(new Transaction(0, cashOut, "CASH_OUT", mule, "A" + fr.nextInt(agents), amount,
                    MULE_CASH_OUT));
                time += 1000;
            }
        }
        out.sort(Comparator.comparingLong(Transaction::timeMs));
        List<Transaction> numbered = new ArrayList<>(out.size());
        for (int i = 0; i < out.size(); i++) {
            Transaction t = out.get(i);
            numbered.add(new Transaction(i, t.timeMs(), t.type(), t.origin(), t.destination(), t.amount(),
                t.pattern()));
        }
        return numbered;
    }

    private static double round(double amount) {
        return Math.round(amount * 100) / 100.0;
    }

    private static int[] draw(Random r, int n, int bound) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextInt(bound);
        }
        return out;
    }

    private static double[] cdf(double[] weights) {
        double[] c = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            c[i] = sum;
        }
        for (int i = 0; i < c.length; i++) {
            c[i] /= sum;
        }
        return c;
    }

    private static int pick(Random r, double[] cdf) {
        double u = r.nextDouble();
        for (int i = 0; i < cdf.length; i++) {
            if (u < cdf[i]) {
                return i;
            }
        }
        return cdf.length - 1;
    }

    private static int poisson(Random r, double lambda) {
        // Knuth's method in steps of 30 keeps exp(-lambda) away from underflow for the busiest clients.
        int k = 0;
        for (double left = lambda; left > 0; left -= 30) {
            double limit = Math.exp(-Math.min(left, 30));
            double p = r.nextDouble();
            while (p > limit) {
                p *= r.nextDouble();
                k++;
            }
        }
        return k;
    }
}

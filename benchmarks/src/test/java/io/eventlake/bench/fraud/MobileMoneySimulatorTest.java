package io.eventlake.bench.fraud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MobileMoneySimulatorTest {

    private static final long HOUR = 3_600_000L;

    private final List<MobileMoneySimulator.Transaction> txs = new MobileMoneySimulator(2000, 30, 0, 42).generate();

    @Test
    void theSameSeedGivesTheSameStreamInTimeOrder() {
        assertEquals(txs, new MobileMoneySimulator(2000, 30, 0, 42).generate());
        for (int i = 1; i < txs.size(); i++) {
            assertTrue(txs.get(i - 1).timeMs() <= txs.get(i).timeMs(), "time order at " + i);
            assertEquals(i, txs.get(i).id());
        }
    }

    /** PaySim's shares: about 0.13 % fraud, as many takeover transfers as mule cash-outs, none of other types. */
    @Test
    void fraudIsPaySimsShareAndShape() {
        long transfers = txs.stream().filter(t -> MobileMoneySimulator.TAKEOVER_TRANSFER.equals(t.pattern())).count();
        long cashOuts = txs.stream().filter(t -> MobileMoneySimulator.MULE_CASH_OUT.equals(t.pattern())).count();
        double share = (transfers + cashOuts) / (double) txs.size();
        assertEquals(transfers, cashOuts);
        assertTrue(share > 0.0009 && share < 0.0017, "fraud share " + share);
        assertTrue(txs.stream().filter(MobileMoneySimulator.Transaction::fraud)
            .allMatch(t -> t.type().equals("TRANSFER") || t.type().equals("CASH_OUT")));
    }

    /** Each takeover's transfer reaches a mule that cashes out the same amount within the hour; mules do nothing else. */
    @Test
    void everyTakeoverIsCashedOutByItsMuleWithinTheHour() {
        Map<String, List<MobileMoneySimulator.Transaction>> cashOuts = new HashMap<>();
        for (MobileMoneySimulator.Transaction t : txs) {
            if (MobileMoneySimulator.MULE_CASH_OUT.equals(t.pattern())) {
                cashOuts.computeIfAbsent(t.origin(), k -> new java.util.ArrayList<>()).add(t);
            }
        }
        for (MobileMoneySimulator.Transaction t : txs) {
            if (MobileMoneySimulator.TAKEOVER_TRANSFER.equals(t.pattern())) {
                assertTrue(cashOuts.getOrDefault(t.destination(), List.of()).stream().anyMatch(c -> c.amount() == t
                    .amount() && c.timeMs() >= t.timeMs() && c.timeMs() - t.timeMs() <= HOUR), "cash-out of " + t);
            } else if (!t.fraud()) {
                assertTrue(!cashOuts.containsKey(t.origin()), "a mule's legitimate transaction " + t);
            }
        }
    }
}

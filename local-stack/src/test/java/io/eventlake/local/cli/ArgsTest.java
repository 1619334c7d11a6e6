package io.eventlake.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class ArgsTest {

    private static final Set<String> KNOWN = Set.of("events", "set");

    /** Two --set options both apply (a second one used to replace the first silently). */
    @Test
    void repeatedSetOptionsAddUp() {
        Args args = new Args(new String[] {"up", "--set", "a.x=1", "--events", "5", "--set", "b.y=2,c.z=3"}, 1, KNOWN);
        assertEquals("a.x=1,b.y=2,c.z=3", args.get("set", ""));
        assertEquals(5, args.getLong("events", 0));
    }

    @Test
    void anyOtherOptionGivenTwiceIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Args(new String[] {"up", "--events", "5", "--events", "6"}, 1, KNOWN));
        assertTrue(e.getMessage().contains("--events is given twice ('5' and '6')"), e.getMessage());
    }
}

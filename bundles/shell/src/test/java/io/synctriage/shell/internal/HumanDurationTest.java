package io.synctriage.shell.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class HumanDurationTest {

    @Test
    public void twoLargestUnitsHoursUpToTwoDays() {
        assertEquals("0 s", HumanDuration.of(0));
        assertEquals("45 s", HumanDuration.of(45));
        assertEquals("10 min", HumanDuration.of(600));
        assertEquals("1 min 30 s", HumanDuration.of(90));
        assertEquals("24 h", HumanDuration.of(86_400));
        assertEquals("36 h 30 min", HumanDuration.of(131_400));
        assertEquals("12 h 5 min", HumanDuration.of(43_500 + 59));
        assertEquals("7 d", HumanDuration.of(604_800));
        assertEquals("90 d 12 h", HumanDuration.of(90 * 86_400 + 12 * 3_600 + 1_800));
        assertEquals("-5 min", HumanDuration.of(-300));
    }

    @Test
    public void aPeriodWithItsTolerance() {
        assertEquals("24 h ± 10 min", HumanDuration.period(86_400L, 600L));
        assertEquals("7 d", HumanDuration.period(604_800L, null));
        assertEquals("7 d", HumanDuration.period(604_800L, 0L));
        assertEquals("-", HumanDuration.period(null, 600L));
    }
}

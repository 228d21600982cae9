package dev.kvsim.sla;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The agreement's tiers on a 30-day month (43,200 minutes): 99.95 %, 99.00 % and 95.00 % are boundaries. */
class CreditTiersTest {

    private static final long MONTH = 30L * 24 * 60;

    @Test
    void commitmentIs9995PercentAndTwentyOneMinutesKeepIt() {
        assertEquals(0, CreditTiers.creditPercent(MONTH, 0));
        assertEquals(0, CreditTiers.creditPercent(MONTH, 21));
        assertEquals("99.9513", CreditTiers.availabilityPercent(MONTH, 21).toPlainString());
        assertEquals(15, CreditTiers.creditPercent(MONTH, 22));
        assertEquals("99.9490", CreditTiers.availabilityPercent(MONTH, 22).toPlainString());
    }

    @Test
    void ninetyNinePercentIsStillFifteen() {
        assertEquals(15, CreditTiers.creditPercent(MONTH, 432));
        assertEquals("99.0000", CreditTiers.availabilityPercent(MONTH, 432).toPlainString());
        assertEquals(30, CreditTiers.creditPercent(MONTH, 433));
    }

    @Test
    void ninetyFivePercentIsStillThirty() {
        assertEquals(30, CreditTiers.creditPercent(MONTH, 2160));
        assertEquals("95.0000", CreditTiers.availabilityPercent(MONTH, 2160).toPlainString());
        assertEquals(100, CreditTiers.creditPercent(MONTH, 2161));
    }

    @Test
    void aPartialMonthIsItsOwnPeriod() {
        long tenDays = 10L * 24 * 60;  // 14,400 minutes: 99.95 % allows 7.2 of them
        assertEquals(0, CreditTiers.creditPercent(tenDays, 7));
        assertEquals(15, CreditTiers.creditPercent(tenDays, 8));
        assertEquals(0, CreditTiers.creditPercent(0, 0));
        assertEquals("100.0000", CreditTiers.availabilityPercent(0, 0).toPlainString());
    }
}

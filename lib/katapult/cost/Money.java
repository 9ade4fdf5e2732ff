package katapult.cost;

import java.util.Locale;

/** How amounts of dollars are written. */
public final class Money {

    private Money() {
    }

    public static String dollars(double amount) {
        return String.format(Locale.ROOT, "$%.4f", amount);
    }

    public static String perHour(double amount) {
        return dollars(amount) + "/hour";
    }
}

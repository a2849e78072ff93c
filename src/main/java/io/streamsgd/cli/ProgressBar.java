package io.streamsgd.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress line on stderr: {@code [#####.....]  45%  123,456 events  12,345 events/s}. On a
 * terminal it is rewritten in place at most 4 times a second; otherwise (a log file) a new line
 * is printed every 5 seconds. Without a known total only the count and rate are shown.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastPrintNanos;

    ProgressBar(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Shows progress if it is time to.
     *
     * @param fraction done, in [0, 1], or NaN when unknown
     * @param events events so far
     */
    void update(double fraction, long events) {
        long now = System.nanoTime();
        if (now - lastPrintNanos < (terminal ? 250_000_000L : 5_000_000_000L)) {
            return;
        }
        lastPrintNanos = now;
        print(fraction, events, now);
    }

    /** Shows the final state and ends the line. */
    void finish(double fraction, long events) {
        print(fraction, events, System.nanoTime());
        if (terminal) {
            out.println();
        }
        out.flush();
    }

    static String line(double fraction, long events, double seconds) {
        StringBuilder b = new StringBuilder();
        if (!Double.isNaN(fraction)) {
            int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * WIDTH);
            b.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3.0f%%  ", fraction * 100));
        }
        b.append(String.format(Locale.ROOT, "%,d events  %,.0f events/s", events, seconds > 0 ? events / seconds : 0.0));
        return b.toString();
    }

    private void print(double fraction, long events, long now) {
        String text = line(fraction, events, (now - startNanos) / 1e9);
        if (terminal) {
            out.print("\r" + text);
        } else {
            out.println(text);
        }
        out.flush();
    }
}

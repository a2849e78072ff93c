package io.streamsgd.offline;

import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.learn.Regularization;
import io.streamsgd.learn.Schedule;
import java.util.List;
import java.util.Locale;

/**
 * Prints, as Markdown tables for BENCHMARKS.md, the single-pass progressive figures of the
 * reference data sets ({@code ../shared/data}, JSON Lines) under the default settings except one:
 * <ul>
 *   <li>{@code l1}: L1 gravity g on fine_foods (and the spambase sets) against nonzeros;
 *   <li>{@code l2}: L2 decay lambda on the same;
 *   <li>{@code rate}: the adaptive schedule's learning rate on the three sets.
 * </ul>
 * Deterministic: no randomness anywhere, so a rerun prints the same numbers.
 *
 * <p>Run: {@code bench/sweeps.sh [l1] [l2] [rate]} (all three by default).
 */
public final class ReferenceSweeps {
    static final List<String> DATA_SETS = List.of("spambase_raw.jsonl", "spambase_log1p.jsonl", "fine_foods.jsonl");
    static final double[] GRAVITIES = {0, 1e-7, 3e-7, 1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2};
    static final double[] DECAYS = {0, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3};
    static final double[] RATES = {0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5};

    private ReferenceSweeps() {
    }

    public static void main(String[] args) {
        List<String> which = args.length == 0 ? List.of("l1", "l2", "rate") : List.of(args);
        if (which.contains("l1")) {
            penaltyTable("L1 gravity g (`--l1`)", GRAVITIES, true);
        }
        if (which.contains("l2")) {
            penaltyTable("L2 decay lambda (`--l2`)", DECAYS, false);
        }
        if (which.contains("rate")) {
            rateTable();
        }
    }

    private static void penaltyTable(String title, double[] strengths, boolean l1) {
        System.out.println("| " + title + " | " + String.join(" | ", DATA_SETS.stream()
                .map(d -> d.replace(".jsonl", "") + " loss / acc. / nnz").toList()) + " |");
        System.out.println("|---|---|---|---|");
        for (double g : strengths) {
            Regularization reg = l1 ? new Regularization(g, 0, 1, Double.POSITIVE_INFINITY)
                    : new Regularization(0, g, 1, Double.POSITIVE_INFINITY);
            StringBuilder row = new StringBuilder("| " + (g == 0 ? "0" : String.format(Locale.ROOT, "%.0e", g)) + " |");
            for (String dataSet : DATA_SETS) {
                FileTrainer.Result r = ReferenceRuns.run(dataSet, LearnerConfig.defaults().withRegularization(reg));
                row.append(String.format(Locale.ROOT, " %.4f / %.1f%% / %,d |", r.meanLoss(), 100 * r.accuracy(), r.nonzeros()));
            }
            System.out.println(row);
        }
        System.out.println();
    }

    private static void rateTable() {
        System.out.println("| adaptive learning rate | " + String.join(" | ", DATA_SETS.stream()
                .map(d -> d.replace(".jsonl", "") + " loss / acc.").toList()) + " |");
        System.out.println("|---|---|---|---|");
        for (double eta : RATES) {
            StringBuilder row = new StringBuilder("| " + eta + (eta == Schedule.Kind.ADAPTIVE.defaultLearningRate() ? " (default)" : "") + " |");
            for (String dataSet : DATA_SETS) {
                FileTrainer.Result r = ReferenceRuns.run(dataSet,
                        LearnerConfig.defaults().withSchedule(Schedule.Kind.ADAPTIVE, eta));
                row.append(String.format(Locale.ROOT, " %.4f / %.1f%% |", r.meanLoss(), 100 * r.accuracy()));
            }
            System.out.println(row);
        }
        System.out.println();
    }
}

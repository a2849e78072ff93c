package io.streamsgd.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * A JMH-free loop over {@link PipelineBenchmark}'s operations (parse, learn, parse and learn, one
 * pass over a real data file per operation), reporting events per second of wall-clock time and
 * of the thread's CPU time (which time-slicing with other processes does not dilute), for
 * profiling and for quick comparisons on a busy machine.
 *
 * <p>Run: {@code java -cp <test classpath> io.streamsgd.bench.PipelineLoop [seconds] [rounds] [file...]};
 * {@code -Dops=parse,learn} runs only some of the operations; {@code fileTrainer} (not run by
 * default) is the pass on two threads, whose CPU column counts the calling thread only.
 */
public final class PipelineLoop {
    private PipelineLoop() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String[] files = args.length > 2 ? java.util.Arrays.copyOfRange(args, 2, args.length)
                : new String[] {"fine_foods.libsvm", "spambase_log1p.libsvm"};
        PipelineBenchmark[] benches = new PipelineBenchmark[files.length];
        for (int f = 0; f < files.length; f++) {
            benches[f] = new PipelineBenchmark();
            benches[f].file = files[f];
            benches[f].setUp();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double sink = 0;
        for (int r = 0; r < rounds; r++) {
            for (int f = 0; f < files.length; f++) {
                PipelineBenchmark b = benches[f];
                int rows = b.rows();
                for (String op : System.getProperty("ops", "parse,learn,parseAndLearn").split(",")) {
                    long wall0 = System.nanoTime();
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long passes = 0;
                    long deadline = wall0 + (long) (seconds * 1e9);
                    do {
                        sink += switch (op) {
                            case "parse" -> b.parse();
                            case "learn" -> b.learn();
                            case "fileTrainer" -> b.fileTrainer();
                            default -> b.parseAndLearn();
                        };
                        passes++;
                    } while (System.nanoTime() < deadline);
                    double wall = (System.nanoTime() - wall0) / 1e9;
                    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                    System.out.printf(Locale.ROOT, "round %d %-22s %-14s %,10.0f events/s wall %,10.0f events/s cpu%n",
                            r, files[f], op, passes * rows / wall, passes * rows / cpu);
                }
            }
        }
        System.out.println(sink == 42 ? "" : " ");
    }
}

package io.streamsgd.learn;

/**
 * Exact, O(1) catch-up of the regularization a weight missed while its feature was absent.
 *
 * <p>A weight absent from the events of steps {@code from+1 .. to} receives, at each of those
 * steps {@code t}, only the regularization of {@link Regularization}: decay by
 * {@code d_t = 1 - rho_t l2}, then (every K-th step) truncation by {@code alpha_t = K rho_t g}.
 * For a positive weight inside the truncation zone these steps compose into one affine map
 * clamped at zero:
 * <pre>
 *   w_to = max(0, w_from * D(from, to) - A(from, to)),
 *   D(from, to) = prod_{t in (from,to]} d_t,
 *   A(from, to) = sum_{truncation steps t in (from,to]} alpha_t * D(t, to)
 * </pre>
 * (a negative weight is the mirror image), because a weight shrinks monotonically and never
 * crosses zero, and once zero stays zero. A weight above the threshold theta only decays until
 * the first truncation step at which its decayed magnitude is within theta ({@link #zoneEntry});
 * from there on the map above applies. Without L2, {@code T(T(v,a),b) = T(v,a+b)}
 * (Langford, Li and Zhang 2009) is the special case {@code D = 1}.
 *
 * <p>The regularization rate {@code rho_t} depends on the step alone (see {@link Schedule}), so
 * D and A depend on the step range alone. A constant rate gives closed forms
 * ({@link ConstantRate}); a varying one keeps prefix sums of {@code log d_t} and the discounted
 * truncation sums since an epoch start ({@link VaryingRate}, the caching scheme of Lipton and
 * Elkan 2015, "Efficient Elastic Net Regularization for Sparse Linear Models"); the learner
 * starts a new epoch by bringing every weight up to date at deterministic steps.
 *
 * <p>Mahout's {@code PriorFunction.age} has the same shape but applies every missed step at the
 * current rate; this catch-up is exact for any schedule: it equals (to rounding) applying
 * {@link Regularization#applyStep} once per missed step.
 */
public abstract class LazyRegularizer {
    protected final Regularization reg;
    protected final int k;
    private final double theta;

    protected LazyRegularizer(Regularization reg) {
        this.reg = reg;
        this.k = reg.truncateEvery();
        this.theta = reg.theta();
    }

    /** The catch-up for a regularization and the regularization rates of a schedule. */
    public static LazyRegularizer of(Regularization reg, Schedule schedule, int epochCapacity) {
        if (schedule.hasConstantRegularizationRate() || reg.isNone()) {
            return new ConstantRate(reg, schedule.regularizationRate(1));
        }
        return new VaryingRate(reg, schedule, epochCapacity);
    }

    /**
     * The value of a weight that was {@code v} after step {@code from}, after the regularization
     * of steps {@code from+1 .. to} (all of which must have been {@link #advance advanced}).
     * Returns {@code v} unchanged when {@code from >= to}; a zero result is {@code +0.0}.
     */
    public final double catchUp(double v, long from, long to) {
        if (v == 0.0) {
            return 0.0;
        }
        if (from >= to) {
            return v;
        }
        return missedSteps(v, from, to);
    }

    /**
     * {@link #catchUp} of a non-zero weight over at least one step: the composition of the class
     * comment. A subclass may compute common cases faster, with the same result to the bit.
     */
    double missedSteps(double v, long from, long to) {
        if (!reg.hasL1()) {
            return reg.hasL2() ? v * decay(from, to) : v;
        }
        double a = Math.abs(v);
        long start = from;
        if (a > theta) {
            if (!reg.hasL2()) {
                return v; // above the threshold nothing ever truncates or decays it
            }
            long entry = zoneEntry(a, from, to);
            if (entry < 0) {
                return v * decay(from, to);
            }
            a *= decay(from, entry - 1);
            start = entry - 1;
        }
        if (truncationSteps(start, to) == 0) {
            return Math.copySign(a * decay(start, to), v);
        }
        return Truncation.residual(a * decay(start, to) - truncationSum(start, to), lastAlpha(to), v);
    }

    /**
     * Reads, without using it, the memory a {@link #catchUp} from {@code from} to {@code to} will
     * read, so that a caller with several catch-ups to make can overlap their cache misses.
     * Returns a value only so that the read cannot be optimized away.
     */
    double prepare(long from, long to) {
        return 0.0;
    }

    /** The truncation amount {@code K rho_e g} of the last truncation step {@code e <= to}. */
    protected abstract double lastAlpha(long to);

    /** Records the regularization rate of step {@code step}; called once per step, in order. */
    public abstract void advance(long step);

    /** The first step of the current epoch (0 for closed forms, which have no epochs). */
    public abstract long epochStart();

    /** True when the learner should bring every weight up to date and {@link #startEpoch}. */
    public abstract boolean wantsNewEpoch();

    /** Starts an epoch at {@code step}: every weight must have been caught up to it. */
    public abstract void startEpoch(long step);

    /** Rebuilds the per-step state after a restore: epoch start and steps done. */
    public abstract void resume(long epochStart, long step);

    /** {@code D(from, to)}: the product of the decays of steps {@code from+1 .. to}. */
    protected abstract double decay(long from, long to);

    /** {@code A(from, to)}: the truncations of steps {@code from+1 .. to}, each decayed to {@code to}. */
    protected abstract double truncationSum(long from, long to);

    /**
     * The first truncation step {@code e} in {@code (from, to]} with {@code a D(from, e) <= theta}
     * (the decayed magnitude is compared after the decay of step e, as the eager step does), or
     * -1 when there is none. Requires L2 and {@code a > theta}.
     */
    protected abstract long zoneEntry(double a, long from, long to);

    /** Number of multiples of K in {@code (from, to]}. */
    protected final long truncationSteps(long from, long to) {
        return k == 1 ? to - from : Math.floorDiv(to, k) - Math.floorDiv(from, k);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + reg + "}";
    }

    /**
     * Closed forms for a constant rate: {@code d^n = exp(n log1p(-rho l2))}, geometric sums via expm1.
     *
     * <p>The transcendental functions of a catch-up depend only on the number of missed steps
     * {@code n} (or truncations {@code m}): for gaps below {@value #TABLE_SIZE} they are kept in
     * a table (2 MB), filled on first use with exactly the values the formulas compute, so a table
     * hit gives the same bits as the computation ({@code Math.expm1}, a native call in Java 17,
     * costs several times {@code Math.exp}, and a catch-up needs both). Longer gaps compute.
     */
    static final class ConstantRate extends LazyRegularizer {
        /** Gaps (in steps or truncations) below this are served from the table. */
        static final int TABLE_SIZE = 1 << 17;

        private final double logDecay; // log(1 - rho l2) <= 0
        private final double alpha; // K rho g
        private final double expm1K; // expm1(K log d), the denominator of the geometric sums
        // [2n] = exp(n log d) and [2n+1] = expm1(K n log d) / expm1(K log d), side by side for
        // locality (a catch-up of n steps with K = 1 needs both); 0 until first used (the quotient
        // is never 0; a decay that underflows to 0 is just computed each time)
        private final double[] tables;
        // K = 1, theta = infinity, L1 and L2: the elastic net's soft threshold, whose catch-up
        // over n steps is residual(|v| d^n - alpha (1 - d^n) / (1 - d), alpha)
        private final boolean softElastic;

        ConstantRate(Regularization reg, double rate) {
            super(reg);
            this.logDecay = reg.hasL2() ? Math.log1p(-rate * reg.l2()) : 0.0;
            this.alpha = reg.truncateEvery() * rate * reg.l1();
            this.expm1K = Math.expm1(k * logDecay);
            if (logDecay != 0.0) {
                tables = new double[2 * TABLE_SIZE];
            } else {
                tables = null;
            }
            this.softElastic = k == 1 && reg.theta() == Double.POSITIVE_INFINITY && reg.hasL1() && logDecay != 0.0;
        }

        @Override
        double prepare(long from, long to) {
            long n = to - from;
            return tables != null && n > 0 && n < TABLE_SIZE ? tables[2 * (int) n] : 0.0;
        }

        /** {@code exp(n log d)} for {@code n >= 0}. */
        private double decayOver(long n) {
            if (n < TABLE_SIZE) {
                double d = tables[2 * (int) n];
                if (d == 0.0) {
                    d = Math.exp(n * logDecay);
                    tables[2 * (int) n] = d;
                }
                return d;
            }
            return Math.exp(n * logDecay);
        }

        /** {@code (1 - d^{Km}) / (1 - d^K)} for {@code m >= 1}, as expm1 quotients. */
        private double geometricSum(long m) {
            if (m < TABLE_SIZE) {
                double q = tables[2 * (int) m + 1];
                if (q == 0.0) {
                    q = Math.expm1(k * m * logDecay) / expm1K;
                    tables[2 * (int) m + 1] = q;
                }
                return q;
            }
            return Math.expm1(k * m * logDecay) / expm1K;
        }

        /**
         * The general composition, specialized: with K = 1 and theta infinite it reduces to
         * {@code residual(|v| D - A, alpha, v)} with {@code D = exp(n log d)} and
         * {@code A = alpha * exp(0) * geometricSum(n) = alpha * geometricSum(n)}, the very same
         * operations on the very same values.
         */
        @Override
        double missedSteps(double v, long from, long to) {
            if (softElastic) {
                long n = to - from;
                return Truncation.residual(Math.abs(v) * decayOver(n) - alpha * geometricSum(n), alpha, v);
            }
            return super.missedSteps(v, from, to);
        }

        @Override
        public void advance(long step) {
        }

        @Override
        public long epochStart() {
            return 0;
        }

        @Override
        public boolean wantsNewEpoch() {
            return false;
        }

        @Override
        public void startEpoch(long step) {
        }

        @Override
        public void resume(long epochStart, long step) {
        }

        @Override
        protected double decay(long from, long to) {
            return logDecay == 0.0 ? 1.0 : decayOver(to - from);
        }

        @Override
        protected double truncationSum(long from, long to) {
            long m = truncationSteps(from, to);
            if (m <= 0) {
                return 0.0;
            }
            if (logDecay == 0.0) {
                return alpha * m;
            }
            long last = k == 1 ? to : Math.floorDiv(to, k) * k;
            // sum_{i<m} d^{(to-last) + iK} = d^{to-last} (1 - d^{Km}) / (1 - d^K)
            return alpha * decayOver(to - last) * geometricSum(m);
        }

        @Override
        protected double lastAlpha(long to) {
            return alpha;
        }

        @Override
        protected long zoneEntry(double a, long from, long to) {
            double theta = reg.theta();
            double need = Math.ceil(Math.log(theta / a) / logDecay); // decay steps to reach theta
            if (!(need <= to - from)) {
                return -1;
            }
            long j = Math.max(1, (long) need);
            // log/exp rounding may put the estimate one off: settle on the first j that is within.
            while (j > 1 && a * Math.exp((j - 1) * logDecay) <= theta) {
                j--;
            }
            while (a * Math.exp(j * logDecay) > theta) {
                j++;
            }
            long e = Math.floorDiv(from + j + k - 1, k) * k; // first truncation step >= from + j
            return e <= to ? e : -1;
        }
    }

    /**
     * Prefix sums for a rate that varies with the step: per step since the epoch start,
     * {@code L[t] = sum log d} and the discounted truncation sum {@code B[t] = B[t-1] d_t + alpha_t},
     * so that {@code D = exp(L[to] - L[from])} and {@code A = B[to] - B[from] D}. Memory is two
     * doubles per step of the epoch; the epoch ends at {@code capacity} steps.
     */
    static final class VaryingRate extends LazyRegularizer {
        private final Schedule schedule;
        private final int capacity;
        private long epoch;
        private long last; // last step advanced
        private double[] logDecays = new double[1024];
        private double[] discounted = new double[1024];

        VaryingRate(Regularization reg, Schedule schedule, int capacity) {
            super(reg);
            if (capacity < 1) {
                throw new IllegalArgumentException("epoch capacity must be >= 1, got " + capacity);
            }
            this.schedule = schedule;
            this.capacity = capacity;
        }

        @Override
        public void advance(long step) {
            if (step != last + 1) {
                throw new IllegalStateException("steps must advance one at a time: at " + last + ", got " + step);
            }
            int i = (int) (step - epoch);
            if (i >= logDecays.length) {
                int n = Math.max(i + 1, logDecays.length * 2);
                logDecays = java.util.Arrays.copyOf(logDecays, n);
                discounted = java.util.Arrays.copyOf(discounted, n);
            }
            double rate = schedule.regularizationRate(step);
            double d = 1.0 - rate * reg.l2();
            logDecays[i] = logDecays[i - 1] + (reg.hasL2() ? Math.log1p(-rate * reg.l2()) : 0.0);
            double alpha = step % k == 0 ? k * rate * reg.l1() : 0.0;
            discounted[i] = discounted[i - 1] * d + alpha;
            last = step;
        }

        @Override
        public long epochStart() {
            return epoch;
        }

        @Override
        public boolean wantsNewEpoch() {
            return last - epoch >= capacity;
        }

        @Override
        public void startEpoch(long step) {
            if (step != last) {
                throw new IllegalStateException("an epoch starts at the last step advanced (" + last + "), got " + step);
            }
            epoch = step;
            logDecays[0] = 0.0;
            discounted[0] = 0.0;
        }

        @Override
        public void resume(long epochStart, long step) {
            epoch = epochStart;
            last = epochStart;
            logDecays[0] = 0.0;
            discounted[0] = 0.0;
            for (long t = epochStart + 1; t <= step; t++) {
                advance(t);
            }
        }

        private int at(long step) {
            long i = step - epoch;
            if (i < 0 || step > last) {
                throw new IllegalStateException("step " + step + " is outside the epoch [" + epoch + ", " + last + "]");
            }
            return (int) i;
        }

        @Override
        protected double decay(long from, long to) {
            if (!reg.hasL2()) {
                return 1.0;
            }
            return Math.exp(logDecays[at(to)] - logDecays[at(from)]);
        }

        @Override
        protected double truncationSum(long from, long to) {
            return discounted[at(to)] - discounted[at(from)] * decay(from, to);
        }

        @Override
        protected double lastAlpha(long to) {
            return k * schedule.regularizationRate(Math.floorDiv(to, k) * k) * reg.l1();
        }

        @Override
        protected long zoneEntry(double a, long from, long to) {
            long first = (Math.floorDiv(from, k) + 1) * k;
            long lastTruncation = Math.floorDiv(to, k) * k;
            double theta = reg.theta();
            if (first > to || a * decay(from, lastTruncation) > theta) {
                return -1;
            }
            long lo = 0;
            long hi = (lastTruncation - first) / k; // the answer is first + K * (smallest i in [lo, hi] within)
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                if (a * decay(from, first + mid * k) <= theta) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return first + lo * k;
        }
    }
}

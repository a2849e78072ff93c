package io.streamsgd.learn;

import java.util.Locale;

/**
 * A loss of the linear score (margin) {@code z = w.x + b} against a label, with its derivative
 * in {@code z}: the gradient in a weight {@code w_j} is {@code derivative(z, y) * x_j}.
 *
 * <p>Labels are normalized once by {@link #label(double)}: classification losses take 0/1, -1/+1
 * (or booleans mapped to 1/0 by the parser) and use {@code y} in {0, 1} internally; the squared
 * loss takes any finite number. For every finite margin the loss and derivative are finite.
 */
public enum Loss {
    /**
     * Log loss of the logistic model: {@code p = 1/(1+e^-z)},
     * {@code loss = -(y log p + (1-y) log(1-p)) = softplus(z) - y z}, derivative {@code p - y}.
     * The loss is evaluated with {@code |z|} clipped to {@link #LOGIT_CLIP}, i.e. with {@code p}
     * clipped to {@code [1e-15, 1 - 1e-15]} as the peers' progressive figures are.
     */
    LOGISTIC {
        @Override
        public double loss(double z, double y) {
            double c = Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, z));
            // = softplus(c) - y c, written without the cancellation between its two terms
            return y * softplus(-c) + (1 - y) * softplus(c);
        }

        @Override
        public double derivative(double z, double y) {
            return sigmoid(z) - y;
        }

        @Override
        public double prediction(double z) {
            return sigmoid(z);
        }

        @Override
        public double predictionChange(double z, double y, double a) {
            // u = y'z obeys du/ds = a / (1 + e^u), so u + e^u grows by a: u = x - W(e^x).
            double sign = 2 * y - 1;
            double u0 = sign * z;
            if (a < 1e-9) {
                return super.predictionChange(z, y, a); // first order is exact to rounding here
            }
            double e = Math.exp(u0);
            // When the prediction is confidently right (e^u >> a), x - W(e^x) cancels to a change
            // far below the rounding of x ~ e^u: the first-order step a / (1 + e^u) is then the
            // more accurate, its error (a / (1 + e^u))^2 / 2 being below that rounding, 2^-52 e^u,
            // once e^3u > 2^52 a^2.
            if (e * e * e > 0x1p52 * a * a || e == Double.POSITIVE_INFINITY) {
                return super.predictionChange(z, y, a);
            }
            double x = a + u0 + e;
            if (x == Double.POSITIVE_INFINITY) {
                // a and e^u both near the largest double: u is negligible beside e^u, so u grows
                // to ln(e^u + a) to rounding
                return sign * Math.log1p(a / e);
            }
            return sign * (x - lambertWOfExp(x)) - z;
        }
    },
    /**
     * Squared loss {@code (z - y)^2 / 2}, derivative {@code z - y}; the prediction is {@code z}.
     * The residual is clipped to {@code +-}{@link #RESIDUAL_CLIP} so that both stay finite.
     */
    SQUARED {
        @Override
        public double loss(double z, double y) {
            double r = residual(z, y);
            return 0.5 * r * r;
        }

        @Override
        public double derivative(double z, double y) {
            return residual(z, y);
        }

        @Override
        public double prediction(double z) {
            return z;
        }

        @Override
        public double predictionChange(double z, double y, double a) {
            // dz/ds = -a (z - y): the residual decays exponentially, never past the label.
            return -residual(z, y) * -Math.expm1(-a);
        }

        @Override
        public double label(double raw) {
            if (!Double.isFinite(raw)) {
                throw new IllegalArgumentException("label must be a finite number, got " + raw);
            }
            return raw;
        }

        @Override
        public boolean isClassification() {
            return false;
        }
    },
    /**
     * Hinge loss {@code max(0, 1 - y'z)} with {@code y' = 2y - 1} in {-1, +1}; subgradient
     * {@code -y'} where {@code y'z < 1}, else 0. The prediction is the sign of the margin (+1/-1).
     */
    HINGE {
        @Override
        public double loss(double z, double y) {
            return Math.max(0.0, 1.0 - (2 * y - 1) * z);
        }

        @Override
        public double derivative(double z, double y) {
            double s = 2 * y - 1;
            return s * z < 1.0 ? -s : 0.0;
        }

        @Override
        public double prediction(double z) {
            return z >= 0 ? 1.0 : -1.0;
        }

        @Override
        public double predictionChange(double z, double y, double a) {
            // moves toward the margin at unit speed, stopping on it
            double sign = 2 * y - 1;
            double gap = 1.0 - sign * z;
            return gap > 0 ? sign * Math.min(a, gap) : 0.0;
        }
    };

    /** {@code ln((1 - 1e-15) / 1e-15)}: the margin at which the clipped probability saturates. */
    public static final double LOGIT_CLIP = 34.538776394910684;

    /** Largest residual the squared loss uses: its square stays finite. */
    public static final double RESIDUAL_CLIP = 1e150;

    static double residual(double z, double y) {
        return Math.max(-RESIDUAL_CLIP, Math.min(RESIDUAL_CLIP, z - y));
    }

    /** The loss at margin {@code z} for a normalized label {@code y}. */
    public abstract double loss(double z, double y);

    /** d loss / d z at margin {@code z} for a normalized label {@code y}. */
    public abstract double derivative(double z, double y);

    /** What the model predicts: a probability, a value or a sign. */
    public abstract double prediction(double z);

    /**
     * The importance-aware change of the margin (Karampatziakis and Langford 2011, "Online
     * Importance Weight Aware Updates"): the margin after following the loss's gradient flow
     * {@code dz/ds = -derivative(z, y)} for {@code a} units of "time", minus {@code z}, where
     * {@code a = h * sum_j eta_j x_j^2} is what one plain step of importance {@code h} would
     * multiply the derivative by. Unlike the plain step {@code -a * derivative}, to which it is
     * equal to first order, it never overshoots the label, whatever the step size or importance.
     */
    public double predictionChange(double z, double y, double a) {
        return -a * derivative(z, y);
    }

    /** {@code W(e^x)}, the Lambert W function of {@code e^x}, by Newton's method. */
    static double lambertWOfExp(double x) {
        // Solve v + ln v = x for v > 0 (equivalently v e^v = e^x). Far left W(e^x) = e^x (1 - e^x + ...):
        // start there, as Newton from 0.1 would need more halvings than it is allowed.
        if (x < -700) {
            return Math.exp(x); // the relative error e^x is below the precision of a double
        }
        double v = x < -30 ? Math.exp(x) : x < 1 ? Math.exp(x) / (1 + Math.exp(x)) + 0.1 : x - Math.log(x) + 0.5;
        v = Math.max(v, 1e-300);
        for (int i = 0; i < 50; i++) {
            double f = v + Math.log(v) - x;
            double next = v - f / (1 + 1 / v);
            if (next <= 0) {
                next = v / 2;
            }
            if (Math.abs(next - v) <= 1e-15 * v) {
                return next;
            }
            v = next;
        }
        return v;
    }

    /** True when labels are classes and accuracy and AUC are meaningful. */
    public boolean isClassification() {
        return true;
    }

    /** Whether the margin predicts the positive class (for accuracy and AUC). */
    public boolean predictsPositive(double z) {
        return z >= 0;
    }

    /**
     * Normalizes a raw label: for classification 1 stays 1, 0 and -1 become 0.
     *
     * @throws IllegalArgumentException for any other value, naming the accepted ones
     */
    public double label(double raw) {
        if (raw == 1.0) {
            return 1.0;
        }
        if (raw == 0.0 || raw == -1.0) {
            return 0.0;
        }
        throw new IllegalArgumentException(
                "label for " + name().toLowerCase(Locale.ROOT) + " must be 0/1, -1/+1 or true/false, got " + raw);
    }

    /** Parses {@code logistic|squared|hinge}. */
    public static Loss parse(String name) {
        for (Loss l : values()) {
            if (l.name().equalsIgnoreCase(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "', expected logistic, squared or hinge");
    }

    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** {@code log(1 + e^z)} without overflow. */
    static double softplus(double z) {
        return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

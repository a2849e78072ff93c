package io.streamsgd.app;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key: its name, default, the values it accepts and a one-line description,
 * in the manner of Kafka's {@code ConfigDef}. A per-model key is a template whose name contains
 * {@value #MODEL_PLACEHOLDER}, e.g. {@code model.<name>.l1}.
 *
 * <p>{@link #parse} is the validator: it turns the text of a value into {@code T} or throws a
 * {@link ConfigException} naming the key, the value's origin and the accepted range. Values are
 * stripped of surrounding white space first (properties files keep trailing blanks).
 *
 * @param <T> the type of the parsed value
 */
public final class Setting<T> {
    /** Stands for the model's name in per-model keys. */
    public static final String MODEL_PLACEHOLDER = "<name>";

    private final String key;
    private final String defaultValue;
    private final String defaultDoc;
    private final String accepted;
    private final String doc;
    private final Function<String, T> parser;

    private Setting(String key, String defaultValue, String defaultDoc, String accepted, String doc,
                    Function<String, T> parser) {
        this.key = Objects.requireNonNull(key, "key");
        this.defaultValue = defaultValue;
        this.defaultDoc = defaultDoc != null ? defaultDoc : defaultValue;
        this.accepted = Objects.requireNonNull(accepted, "accepted");
        this.doc = Objects.requireNonNull(doc, "doc");
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /** A text value; {@code defaultValue} null means none (the key is then optional and unset). */
    static Setting<String> text(String key, String defaultValue, String doc) {
        return new Setting<>(key, defaultValue, null, "a non-empty string", doc, s -> {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            return s;
        });
    }

    /** A Kafka topic name: 1 to 249 of letters, digits, '.', '_' and '-', not "." or "..". */
    static Setting<String> topic(String key, String defaultValue, String doc) {
        return new Setting<>(key, defaultValue, null, "a topic name of 1 to 249 letters, digits, '.', '_' and '-'", doc,
                s -> {
                    if (!s.matches("[a-zA-Z0-9._-]{1,249}") || s.equals(".") || s.equals("..")) {
                        throw new IllegalArgumentException("bad topic");
                    }
                    return s;
                });
    }

    /** A replication factor: -1 for the broker's default, else 1 to 32767. */
    static Setting<Short> replication(String key, String doc) {
        return new Setting<>(key, "-1", null, "-1 (the broker's default.replication.factor) or an integer in [1, 32767]",
                doc, s -> {
                    short v = Short.parseShort(s);
                    if (v == 0 || v < -1) {
                        throw new IllegalArgumentException("out of range");
                    }
                    return v;
                });
    }

    /** A comma-separated list of names made of letters, digits, '_' and '-', without repeats. */
    static Setting<List<String>> names(String key, String defaultValue, String doc) {
        return new Setting<>(key, defaultValue, null,
                "a comma-separated list of distinct names of letters, digits, '_' and '-'", doc, s -> {
                    List<String> names = Arrays.stream(s.split(",", -1)).map(String::strip).toList();
                    if (names.stream().anyMatch(n -> !isName(n)) || names.stream().distinct().count() != names.size()) {
                        throw new IllegalArgumentException("bad list");
                    }
                    return names;
                });
    }

    static Setting<Integer> integer(String key, int defaultValue, int min, int max, String doc) {
        return new Setting<>(key, String.valueOf(defaultValue), null, "an integer in [" + min + ", " + max + "]", doc,
                s -> {
                    int v = Integer.parseInt(s);
                    if (v < min || v > max) {
                        throw new IllegalArgumentException("out of range");
                    }
                    return v;
                });
    }

    static Setting<Long> longInteger(String key, long defaultValue, long min, long max, String doc) {
        return new Setting<>(key, String.valueOf(defaultValue), null, "an integer in [" + min + ", " + max + "]", doc,
                s -> {
                    long v = Long.parseLong(s);
                    if (v < min || v > max) {
                        throw new IllegalArgumentException("out of range");
                    }
                    return v;
                });
    }

    /**
     * A number at least {@code min} (strictly more than it if {@code !minInclusive}); finite
     * unless {@code infinityAllowed}, in which case {@code Infinity} (or {@code inf}) is accepted.
     */
    static Setting<Double> number(String key, String defaultValue, String defaultDoc, double min, boolean minInclusive,
                                  boolean infinityAllowed, String doc) {
        String accepted = (infinityAllowed ? "a number " : "a finite number ") + (minInclusive ? ">= " : "> ")
                + format(min) + (infinityAllowed ? ", or Infinity" : "");
        return new Setting<>(key, defaultValue, defaultDoc, accepted, doc, s -> {
            double v = parseDouble(s);
            boolean aboveMin = minInclusive ? v >= min : v > min;
            if (!aboveMin || Double.isNaN(v) || (!infinityAllowed && Double.isInfinite(v))) {
                throw new IllegalArgumentException("out of range");
            }
            return v;
        });
    }

    static Setting<Boolean> bool(String key, boolean defaultValue, String doc) {
        return new Setting<>(key, String.valueOf(defaultValue), null, "true or false", doc, s -> switch (
                s.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean");
        });
    }

    /** One of {@code choices}, ignoring case; parsed to the lower-case choice. */
    static Setting<String> choice(String key, String defaultValue, List<String> choices, String doc) {
        return new Setting<>(key, defaultValue, null, "one of " + String.join(", ", choices), doc, s -> {
            String lower = s.toLowerCase(Locale.ROOT);
            if (!choices.contains(lower)) {
                throw new IllegalArgumentException("not a choice");
            }
            return lower;
        });
    }

    /** This setting with a default described in words (a computed default), for the reference. */
    Setting<T> withDefaultDoc(String description) {
        return new Setting<>(key, defaultValue, description, accepted, doc, parser);
    }

    /** The key, or the template of a per-model key. */
    public String key() {
        return key;
    }

    /** Whether this is a per-model key ({@code model.<name>....}). */
    public boolean perModel() {
        return key.contains(MODEL_PLACEHOLDER);
    }

    /** The key of this per-model setting for {@code model}; the key itself for a global one. */
    public String keyFor(String model) {
        return key.replace(MODEL_PLACEHOLDER, model);
    }

    /** The default value as text, or null when there is none or it is computed. */
    public String defaultValue() {
        return defaultValue;
    }

    /** The default as documented (may describe a computed default), or null. */
    public String defaultDoc() {
        return defaultDoc;
    }

    /** What values are accepted, e.g. {@code an integer in [0, 65535]}. */
    public String accepted() {
        return accepted;
    }

    /** One line saying what the setting does. */
    public String doc() {
        return doc;
    }

    /**
     * Parses and validates a value.
     *
     * @param key the concrete key (for a per-model setting, the model's key)
     * @param value the value's text
     * @param origin where it came from, for the message (a file, an environment variable)
     * @throws ConfigException if the value is not accepted
     */
    T parse(String key, String value, String origin) {
        try {
            return parser.apply(value.strip());
        } catch (RuntimeException e) { // NumberFormatException included
            throw ConfigException.invalid(key, value, origin, accepted);
        }
    }

    /** Letters, digits, '_' and '-', 1 to 100 characters: safe in keys, topic keys and env names. */
    static boolean isName(String s) {
        if (s.isEmpty() || s.length() > 100) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static double parseDouble(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("infinity") || lower.equals("inf") || lower.equals("+infinity") || lower.equals("+inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (lower.contains("nan") || lower.contains("infinity")) {
            throw new IllegalArgumentException("not accepted: " + s); // -Infinity, NaN
        }
        return Double.parseDouble(s);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    @Override
    public String toString() {
        return key + " (" + accepted + (defaultDoc != null ? ", default " + defaultDoc : "") + ")";
    }
}

package io.streamsgd.testkit;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, e.g. to check dashboards and alert rules against
 * the names a service really exposes. A lexical scan, not a parser: enough for the expressions we
 * write (selectors, functions, aggregations with by/without, on/ignoring/group_x, offset,
 * subqueries) and deliberately strict about what it cannot classify.
 */
public final class PromQlNames {
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern BRACES = Pattern.compile("\\{[^{}]*}");
    private static final Pattern BRACKETS = Pattern.compile("\\[[^\\[\\]]*]");
    /** by (...), without (...), on (...), ignoring (...), group_left (...), group_right (...). */
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)\\b(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of(
            "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
            "offset", "bool", "inf", "nan", "Inf", "NaN", "atan2");

    private PromQlNames() {}

    /** Metric names selected by {@code expr}; function and aggregation names are not included. */
    public static Set<String> metricNames(String expr) {
        String rest = STRING.matcher(expr).replaceAll("\"\"");
        rest = BRACES.matcher(rest).replaceAll("{}");
        rest = BRACKETS.matcher(rest).replaceAll("[]");
        rest = LABEL_LIST.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            String word = m.group(1);
            boolean call = m.group(2) != null;
            if (call || KEYWORDS.contains(word)) {
                continue; // a function or aggregation (sum, rate, histogram_quantile, time, ...)
            }
            names.add(word);
        }
        return names;
    }
}

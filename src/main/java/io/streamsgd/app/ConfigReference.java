package io.streamsgd.app;

import java.util.List;

/**
 * The configuration reference as a Markdown table, generated from {@link ConfigKeys} so that the
 * README cannot drift from the code ({@code run --print-config-reference} prints it; a test checks
 * the README holds it verbatim).
 */
public final class ConfigReference {
    private ConfigReference() {
    }

    /** The reference: global keys, the {@code kafka.*} pass-through, then per-model keys. */
    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| Key | Default | Accepted | Description |\n");
        b.append("|---|---|---|---|\n");
        rows(b, ConfigKeys.GLOBAL);
        b.append("| `kafka.<setting>` | | any Kafka client or Streams setting | Passed to Kafka Streams and its clients"
                + " without the prefix (SASL/SSL, `num.stream.threads`, `producer.*`, ...). |\n");
        rows(b, ConfigKeys.MODEL_KEYS);
        b.append('\n');
        b.append("Every key can be overridden by an environment variable: `STREAMSGD_` followed by the key in upper"
                + " case with `.` and `-` replaced by `_` (`model.l1.truncate-every` is"
                + " `STREAMSGD_MODEL_L1_TRUNCATE_EVERY`). A `kafka.*` setting given only in the environment is read"
                + " with `_` as `.` (`STREAMSGD_KAFKA_SASL_MECHANISM` is `kafka.sasl.mechanism`).\n");
        return b.toString();
    }

    private static void rows(StringBuilder b, List<Setting<?>> settings) {
        for (Setting<?> s : settings) {
            b.append("| `").append(s.key()).append("` | ")
                    .append(s.defaultDoc() == null ? "" : code(s.defaultDoc())).append(" | ")
                    .append(escape(s.accepted())).append(" | ")
                    .append(escape(s.doc())).append(" |\n");
        }
    }

    /** A default that is a value is shown as code; one described in words is not. */
    private static String code(String defaultDoc) {
        return defaultDoc.contains(" ") ? escape(defaultDoc) : "`" + defaultDoc + "`";
    }

    private static String escape(String text) {
        // '<' would open an HTML tag and hide the text; '>' alone renders as is.
        return text.replace("|", "\\|").replace("<", "&lt;");
    }
}

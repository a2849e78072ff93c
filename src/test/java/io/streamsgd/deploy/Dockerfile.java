package io.streamsgd.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of a Dockerfile, enough of the syntax for the checks in the deploy tests:
 * line continuations, comments, exec-form (JSON array) and shell-form arguments, flags such as
 * {@code COPY --chown=}. Parser directives and heredocs are not supported (we use neither).
 */
record Dockerfile(List<Instruction> instructions) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");

    record Instruction(String keyword, String arguments) {
        /** Exec-form arguments ({@code ["a", "b"]}); fails for shell form. */
        List<String> execForm() {
            if (!arguments.startsWith("[")) {
                throw new IllegalStateException(keyword + " is not in exec (JSON array) form: " + arguments);
            }
            try {
                return JSON.readValue(arguments, new TypeReference<List<String>>() {});
            } catch (IOException e) {
                throw new UncheckedIOException(keyword + " arguments are not a JSON array: " + arguments, e);
            }
        }

        /** Whitespace-separated words without leading {@code --flag=value} options. */
        List<String> wordsWithoutFlags() {
            List<String> words = new ArrayList<>(Arrays.asList(arguments.trim().split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            return words;
        }
    }

    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (logical.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (logical.length() > 0 && trimmed.startsWith("#")) {
                continue; // comment lines inside a continued instruction are dropped by Docker too
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.append(trimmed);
            String full = logical.toString().strip();
            logical.setLength(0);
            int space = full.indexOf(' ');
            instructions.add(space < 0
                    ? new Instruction(full.toUpperCase(Locale.ROOT), "")
                    : new Instruction(full.substring(0, space).toUpperCase(Locale.ROOT), full.substring(space + 1).strip()));
        }
        return new Dockerfile(List.copyOf(instructions));
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The last instruction with this keyword (the effective one for CMD, ENTRYPOINT, USER, ...). */
    Instruction last(String keyword) {
        List<Instruction> matching = all(keyword);
        if (matching.isEmpty()) {
            throw new IllegalStateException("no " + keyword + " instruction");
        }
        return matching.get(matching.size() - 1);
    }

    /** COPY instructions as (sources, destination); {@code --from=} copies (multi-stage) are skipped. */
    List<Map.Entry<List<String>, String>> copies() {
        List<Map.Entry<List<String>, String>> copies = new ArrayList<>();
        for (Instruction copy : all("COPY")) {
            if (copy.arguments().contains("--from=")) {
                continue;
            }
            List<String> words = copy.wordsWithoutFlags();
            copies.add(Map.entry(List.copyOf(words.subList(0, words.size() - 1)), words.get(words.size() - 1)));
        }
        return copies;
    }

    /** ENV KEY=value pairs (quotes removed). */
    Map<String, String> env() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Instruction instruction : all("ENV")) {
            Matcher m = ENV_PAIR.matcher(instruction.arguments());
            while (m.find()) {
                String value = m.group(2);
                if (value.startsWith("\"")) {
                    value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
                }
                env.put(m.group(1), value);
            }
        }
        return env;
    }
}

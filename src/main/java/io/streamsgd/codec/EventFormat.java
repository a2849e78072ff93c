package io.streamsgd.codec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The text formats events can be read from, one event a line, with their file extensions. */
public enum EventFormat {
    /** JSON Lines, one event object a line (product brief section 2); {@code .json} is read as such. */
    JSONL("jsonl", ".jsonl", ".json", ".ndjson"),
    /** LibSVM / SVMlight: {@code label index:value ...}. */
    LIBSVM("libsvm", ".libsvm", ".svm"),
    /** Vowpal Wabbit text: {@code label [importance] ['tag]|ns f[:v] ...}. */
    VW("vw", ".vw"),
    /** CSV with a header line. */
    CSV("csv", ".csv");

    private final String code;
    private final List<String> extensions;

    EventFormat(String code, String... extensions) {
        this.code = code;
        this.extensions = List.of(extensions);
    }

    /** The name used on the command line, e.g. {@code libsvm}. */
    public String code() {
        return code;
    }

    /** The file extensions of this format, lowercase with the dot. */
    public List<String> extensions() {
        return extensions;
    }

    /**
     * The format a file name's extension stands for, ignoring case ({@code train.LibSVM} is LibSVM).
     *
     * @throws IllegalArgumentException if the extension is none of the known ones
     */
    public static EventFormat fromFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        for (EventFormat format : values()) {
            for (String extension : format.extensions) {
                if (lower.endsWith(extension)) {
                    return format;
                }
            }
        }
        throw new IllegalArgumentException("cannot tell the event format of '" + fileName
                + "' from its extension; expected one of " + allExtensions());
    }

    /**
     * The format with the given {@link #code()}, ignoring case.
     *
     * @throws IllegalArgumentException if no format has that code
     */
    public static EventFormat fromCode(String code) {
        String lower = code.toLowerCase(Locale.ROOT);
        for (EventFormat format : values()) {
            if (format.code.equals(lower)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown event format '" + code + "'; expected one of "
                + Arrays.stream(values()).map(EventFormat::code).toList());
    }

    /** A new reader of this format with default limits (and, for CSV, the label column {@code label}). */
    public LineReader newLineReader() {
        return newLineReader(ReadLimits.DEFAULTS, CsvReader.DEFAULT_LABEL_COLUMN);
    }

    /**
     * A new reader of this format. Readers keep per-file state (CSV's header) and scratch space:
     * one per file and thread.
     *
     * @param csvLabelColumn the label column for CSV (null: no labels); ignored by other formats
     */
    public LineReader newLineReader(ReadLimits limits, String csvLabelColumn) {
        return switch (this) {
            case JSONL -> new JsonEventReader(limits)::readLine;
            case LIBSVM -> new LibSvmReader(limits);
            case VW -> new VwReader(limits);
            case CSV -> new CsvReader(csvLabelColumn, limits);
        };
    }

    private static List<String> allExtensions() {
        return Arrays.stream(values()).flatMap(f -> f.extensions.stream()).toList();
    }
}

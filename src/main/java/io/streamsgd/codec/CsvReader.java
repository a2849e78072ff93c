package io.streamsgd.codec;

import io.streamsgd.learn.Features;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads CSV (RFC 4180 quoting, one record per line) with a header line: the first non-blank line
 * passed to {@link #parse} is the header, so use one reader per file.
 *
 * <p>Columns: the label column (default {@value #DEFAULT_LABEL_COLUMN}, or none), an optional
 * {@value #ID_COLUMN} column, and every other column a feature named by its header. The rules:
 * <ul>
 *   <li>the header must name every column, once each, include the label column when one is
 *       configured and leave at least one feature column, else {@code not_csv};
 *   <li>a row with another number of cells than the header, or an unterminated quote, is
 *       {@code not_csv}; a blank line holds no event;
 *   <li>unquoted cells are trimmed of spaces and tabs; quoted cells are kept as written;
 *   <li>label cell: empty means unlabeled; a finite number, or true/false (any case) as 1/0,
 *       else {@code bad_label};
 *   <li>feature cell: empty means absent; a decimal number is the value (non-finite:
 *       {@code bad_feature_value}, as are {@code nan}/{@code inf} words); true/false (any case,
 *       as pandas writes booleans) is 1/nothing; any other text {@code v} is the categorical
 *       feature {@code column=v} with value 1;
 *   <li>a row whose feature cells are all empty is {@code empty_features}.
 * </ul>
 *
 * <p>Not thread-safe; one reader per thread and per file.
 */
public final class CsvReader extends TextLineReader {
    public static final String DEFAULT_LABEL_COLUMN = "label";
    public static final String ID_COLUMN = "id";

    private final String labelColumn;
    private final List<String> cells = new ArrayList<>();
    private final StringBuilder quoted = new StringBuilder();
    private String[] header;
    private int labelIndex = -1;
    private int idIndex = -1;

    /** A reader whose label column is {@value #DEFAULT_LABEL_COLUMN}, with default limits. */
    public CsvReader() {
        this(DEFAULT_LABEL_COLUMN, ReadLimits.DEFAULTS);
    }

    /**
     * @param labelColumn the label's column, or null when the file has no labels (every event
     *     is then predicted only); not {@value #ID_COLUMN}
     */
    public CsvReader(String labelColumn, ReadLimits limits) {
        super(limits);
        if (ID_COLUMN.equals(labelColumn)) {
            throw new IllegalArgumentException("the label column cannot be the id column '" + ID_COLUMN + "'");
        }
        this.labelColumn = labelColumn;
    }

    /** The header's column names, or null before the header line has been read. */
    public List<String> header() {
        return header == null ? null : List.of(header);
    }

    @Override
    protected boolean parseLine(String line, Event into) throws BadInputException {
        if (Text.isBlank(line)) {
            return false;
        }
        if (header == null) {
            readHeader(line);
            return false;
        }
        split(line);
        if (cells.size() != header.length) {
            throw new BadInputException(BadInputReason.NOT_CSV,
                    "the row has " + cells.size() + " cells, the header has " + header.length);
        }
        Features features = into.features();
        int count = 0;
        for (int c = 0; c < header.length; c++) {
            String cell = cells.get(c);
            if (cell.isEmpty()) {
                continue;
            }
            if (c == labelIndex) {
                into.setLabel(label(cell));
            } else if (c == idIndex) {
                into.setId(cell);
            } else {
                if (++count > limits.maxFeatures()) {
                    throw new BadInputException(BadInputReason.TOO_MANY_FEATURES,
                            "more than " + limits.maxFeatures() + " features");
                }
                addFeature(header[c], cell, features);
            }
        }
        if (count == 0) {
            throw new BadInputException(BadInputReason.EMPTY_FEATURES, "every feature cell of the row is empty");
        }
        return true;
    }

    private void readHeader(String line) throws BadInputException {
        // A UTF-8 byte order mark (spreadsheets write one) decodes to U+FEFF before the first name.
        split(line.charAt(0) == '\uFEFF' ? line.substring(1) : line);
        String[] names = cells.toArray(new String[0]);
        Set<String> unique = new HashSet<>();
        for (int c = 0; c < names.length; c++) {
            if (names[c].isEmpty()) {
                throw new BadInputException(BadInputReason.NOT_CSV, "header column " + (c + 1) + " has no name");
            }
            if (!unique.add(names[c])) {
                throw new BadInputException(BadInputReason.NOT_CSV, "header column " + Text.quote(names[c]) + " appears twice");
            }
        }
        int label = labelColumn == null ? -1 : List.of(names).indexOf(labelColumn);
        if (labelColumn != null && label < 0) {
            throw new BadInputException(BadInputReason.NOT_CSV,
                    "the header has no label column " + Text.quote(labelColumn) + ": " + Text.quote(line));
        }
        int id = List.of(names).indexOf(ID_COLUMN);
        int featureColumns = names.length - (label >= 0 ? 1 : 0) - (id >= 0 ? 1 : 0);
        if (featureColumns == 0) {
            throw new BadInputException(BadInputReason.NOT_CSV, "the header has no feature column: " + Text.quote(line));
        }
        header = names;
        labelIndex = label;
        idIndex = id;
    }

    private static double label(String cell) throws BadInputException {
        if (cell.equalsIgnoreCase("true")) {
            return 1.0;
        }
        if (cell.equalsIgnoreCase("false")) {
            return 0.0;
        }
        double label = Numbers.parse(cell, 0, cell.length());
        if (!Double.isFinite(label)) {
            throw new BadInputException(BadInputReason.BAD_LABEL,
                    "the label " + Text.quote(cell) + " is not a finite number or a boolean");
        }
        return label;
    }

    private static void addFeature(String column, String cell, Features features) throws BadInputException {
        double value = Numbers.parse(cell, 0, cell.length());
        if (Double.isFinite(value)) {
            features.add(column, value);
        } else if (!Double.isNaN(value) || Numbers.isNonFiniteWord(cell, 0, cell.length())) {
            throw new BadInputException(BadInputReason.BAD_FEATURE_VALUE,
                    "column " + Text.quote(column) + " has the value " + Text.quote(cell) + ", not a finite number");
        } else if (cell.equalsIgnoreCase("true")) {
            features.add(column, 1.0);
        } else if (!cell.equalsIgnoreCase("false")) {
            features.addCategorical(column, cell);
        }
    }

    /** Splits {@code line} into {@link #cells}. */
    private void split(String line) throws BadInputException {
        cells.clear();
        int n = line.length();
        int i = 0;
        while (true) {
            if (i < n && line.charAt(i) == '"') {
                i = readQuoted(line, i + 1);
                if (i < n && line.charAt(i) != ',') {
                    throw new BadInputException(BadInputReason.NOT_CSV,
                            "unexpected " + Text.quote(String.valueOf(line.charAt(i))) + " after quoted cell "
                                    + cells.size() + " at character " + (i + 1));
                }
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                cells.add(trim(line, i, end));
                i = end;
            }
            if (i >= n) {
                return;
            }
            i++; // the comma; a comma ending the line starts one more, empty, cell
        }
    }

    /** Reads a quoted cell whose content starts at {@code i}; returns the index after its closing quote. */
    private int readQuoted(String line, int i) throws BadInputException {
        quoted.setLength(0);
        int n = line.length();
        while (true) {
            if (i >= n) {
                throw new BadInputException(BadInputReason.NOT_CSV,
                        "unterminated quoted cell " + (cells.size() + 1) + " (a cell cannot span lines)");
            }
            char c = line.charAt(i++);
            if (c != '"') {
                quoted.append(c);
            } else if (i < n && line.charAt(i) == '"') {
                quoted.append('"'); // "" is an escaped quote
                i++;
            } else {
                cells.add(quoted.toString());
                return i;
            }
        }
    }

    private static String trim(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t' || s.charAt(to - 1) == '\r')) {
            to--;
        }
        return s.substring(from, to);
    }

    @Override
    public String toString() {
        return "CsvReader{labelColumn=" + labelColumn + ", " + limits + "}";
    }
}

package io.marty.observability.loganalysis.mining;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Minimal RFC 4180 CSV reading and writing, enough for Loghub-style files ({@code LineId, ...,
 * Content, EventId, EventTemplate}) and for the {@code LineId,EventId,EventTemplate} output of
 * {@code marty logs templates}.
 */
public final class TemplateCsv {
    private TemplateCsv() {}

    /** {@code value} as a CSV field: quoted (with doubled quotes) when it holds , " CR or LF. */
    public static String field(String value) {
        String v = value == null ? "" : value;
        boolean quote = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                quote = true;
                break;
            }
        }
        if (!quote) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    /** Appends one row ending in {@code \n}. */
    public static void writeRow(Appendable out, String... fields) {
        try {
            for (int i = 0; i < fields.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(field(fields[i]));
            }
            out.append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads every record; quoted fields may hold commas, doubled quotes and line breaks; CRLF and LF
     * line ends both work.
     *
     * @throws IllegalArgumentException on a quote left open at the end of input
     */
    public static List<List<String>> read(Reader source) throws IOException {
        Reader in = source.markSupported() ? source : new BufferedReader(source);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int c;
        while ((c = in.read()) != -1) {
            char ch = (char) c;
            if (quoted) {
                if (ch == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (next == -1) {
                            break;
                        }
                        handleUnquoted(rows, row, field, (char) next);
                        any = !row.isEmpty() || field.length() > 0;
                        if (next == '\n') {
                            row = new ArrayList<>();
                            any = false;
                        }
                    }
                } else {
                    field.append(ch);
                }
                continue;
            }
            if (ch == '"' && field.length() == 0) {
                quoted = true;
                any = true;
                continue;
            }
            boolean endOfRow = handleUnquoted(rows, row, field, ch);
            any = true;
            if (endOfRow) {
                row = new ArrayList<>();
                any = false;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("CSV input ends inside a quoted field (row " + (rows.size() + 1) + ")");
        }
        if (any || field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

    /** Handles one character outside quotes; true when it ended the row (the row was added). */
    private static boolean handleUnquoted(List<List<String>> rows, List<String> row, StringBuilder field, char ch) {
        if (ch == ',') {
            row.add(field.toString());
            field.setLength(0);
            return false;
        }
        if (ch == '\n') {
            int len = field.length();
            if (len > 0 && field.charAt(len - 1) == '\r') {
                field.setLength(len - 1);
            }
            row.add(field.toString());
            field.setLength(0);
            rows.add(row);
            return true;
        }
        field.append(ch);
        return false;
    }
}
